/**
 * `smartpole ops fleet [--watch] [--json] [--wait S]`: every pole's state from the retained
 * births on `poles/+/state` (docs/mqtt-api.md §State: birth and will, §Clustered brokers and the
 * fleet). Without --watch it collects for --wait seconds (default 2) and prints one table; with
 * --watch it redraws on every change until Ctrl-C.
 */
import { allStatesFilter } from '../../protocols/topics.js';
import { connectOps, endAsync } from '../mqtt-client.js';
import { resolveContext, type OpsFlags } from '../context.js';
import { subscribeAsync } from '../receipts.js';

export interface FleetFlags extends OpsFlags {
  watch?: boolean;
  json?: boolean;
  wait?: string;
}

export interface PoleRow {
  pole: string;
  online: boolean;
  bdSeq: number | null;
  software: string;
  uptimeSec: number | null;
  outbox: number | null;
  devices: string;
  since: string;
  reason?: string;
}

function fmtUptime(s: number | null): string {
  if (s === null) return '-';
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  return d ? `${d}d${h}h` : h ? `${h}h${m}m` : `${m}m${s % 60}s`;
}

export function rowFromState(pole: string, m: Record<string, unknown>): PoleRow {
  const devices = (m.devices ?? {}) as Record<string, { status?: string }>;
  const bad = Object.entries(devices).filter(([, h]) => h.status !== 'ok' && h.status !== 'absent').map(([n, h]) => `${n} ${String(h.status)}`);
  const ok = Object.values(devices).filter((h) => h.status === 'ok').length;
  return {
    pole,
    online: m.online === true,
    bdSeq: typeof m.bdSeq === 'number' ? m.bdSeq : null,
    software: typeof m.software === 'string' ? m.software : '-',
    uptimeSec: typeof m.uptimeSec === 'number' ? m.uptimeSec : null,
    outbox: typeof (m.outbox as { depth?: unknown } | undefined)?.depth === 'number' ? (m.outbox as { depth: number }).depth : null,
    devices: m.online === true ? `${ok} ok${bad.length ? `; ${bad.join(', ')}` : ''}` : '-',
    since: typeof m.timestamp === 'string' ? m.timestamp : '-',
    ...(m.online === false ? { reason: String(m.reason ?? '') } : {}),
  };
}

export function fleetTable(rows: PoleRow[]): string {
  const head = ['POLE', 'STATE', 'BDSEQ', 'VERSION', 'UPTIME', 'OUTBOX', 'DEVICES', 'BIRTH'];
  const body = rows.sort((a, b) => a.pole.localeCompare(b.pole)).map((r) => [
    r.pole, r.online ? 'online' : `offline${r.reason ? ` (${r.reason})` : ''}`, String(r.bdSeq ?? '-'), r.software, fmtUptime(r.uptimeSec),
    r.outbox === null ? '-' : String(r.outbox), r.devices, r.since,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const online = rows.filter((r) => r.online).length;
  return [line(head), ...body.map(line), `${rows.length} poles, ${online} online`].join('\n');
}

export async function fleetCommand(f: FleetFlags, out: (s: string) => void): Promise<number> {
  const ctx = resolveContext(f);
  const filter = allStatesFilter(ctx.prefix);
  const rows = new Map<string, PoleRow>();
  const client = await connectOps(ctx.connection);
  const render = () => (f.json ? JSON.stringify([...rows.values()], null, 2) : fleetTable([...rows.values()]));
  try {
    client.on('message', (topic, payload) => {
      const pole = topic.split('/').at(-2)!;
      if (payload.length === 0) { rows.delete(pole); return; }
      try { rows.set(pole, rowFromState(pole, JSON.parse(payload.toString()) as Record<string, unknown>)); } catch { /* not a state message */ }
      if (f.watch) out(`\u001b[2J\u001b[H${render()}`);
    });
    await subscribeAsync(client, filter);
    if (f.watch) {
      out(render());
      await new Promise<void>((resolve) => { process.once('SIGINT', () => resolve()); process.once('SIGTERM', () => resolve()); });
      return 0;
    }
    await new Promise((r) => setTimeout(r, Math.max(0.2, Number(f.wait ?? 2)) * 1000));
    out(render());
    return 0;
  } finally {
    await endAsync(client);
  }
}
