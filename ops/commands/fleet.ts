/**
 * `smartpole ops fleet [--watch] [--json] [--wait S] [--stale-after N]`: every pole's state from the
 * retained births on `poles/+/state` and heartbeats on `poles/+/heartbeat` (docs/fleet.md
 * §Liveness). A pole whose birth says online but from which neither a birth nor a heartbeat came
 * within N × its heartbeat interval (default 3) is shown `stale`: on a cluster, a node that dies
 * takes the pole's Will with it, so "online" alone is not trusted. Without --watch it collects for
 * --wait seconds (default 2) and prints one table; with --watch it redraws on every change and
 * every second, and moves to another broker of --mqtt-url's list if its own goes away.
 */
import type { MqttClient } from 'mqtt';
import { allHeartbeatsFilter, allStatesFilter } from '../../protocols/topics.js';
import { connectOps, endAsync } from '../mqtt-client.js';
import { OpsUsageError, resolveContext, type OpsFlags } from '../context.js';
import { subscribeAsync } from '../receipts.js';

export interface FleetFlags extends OpsFlags {
  watch?: boolean;
  json?: boolean;
  wait?: string;
  'stale-after'?: string;
}

export type PoleLiveness = 'online' | 'stale' | 'offline';

export interface PoleRow {
  pole: string;
  online: boolean;
  state: PoleLiveness;
  bdSeq: number | null;
  software: string;
  uptimeSec: number | null;
  outbox: number | null;
  devices: string;
  since: string;
  /** Last birth or heartbeat (ISO time), '-' if never. */
  lastSeen: string;
  heartbeatSec: number | null;
  broker: string;
  /** The release kept for a rollback, and what an update is doing (docs/updates.md §Reports). */
  kept: string;
  update: string;
  reason?: string;
}

/** The birth's `update` as one cell: an update under way, else the last rollback, else '-'. */
export function updateCell(u: unknown): { kept: string; update: string } {
  if (!u || typeof u !== 'object') return { kept: '-', update: '-' };
  const x = u as { kept?: unknown; state?: unknown; target?: unknown; progress?: unknown; lastRollback?: { release?: unknown; reason?: unknown } | null };
  const kept = typeof x.kept === 'string' ? x.kept : '-';
  if (typeof x.state === 'string' && x.state !== 'idle') {
    const pct = typeof x.progress === 'number' && x.state === 'downloading' ? ` ${x.progress} %` : '';
    return { kept, update: `${x.state}${typeof x.target === 'string' ? ` ${x.target}` : ''}${pct}` };
  }
  if (x.lastRollback && typeof x.lastRollback.release === 'string') return { kept, update: `rolled back ${x.lastRollback.release}: ${String(x.lastRollback.reason ?? '')}` };
  return { kept, update: '-' };
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
    state: m.online === true ? 'online' : 'offline',
    bdSeq: typeof m.bdSeq === 'number' ? m.bdSeq : null,
    software: typeof m.software === 'string' ? m.software : '-',
    uptimeSec: typeof m.uptimeSec === 'number' ? m.uptimeSec : null,
    outbox: typeof (m.outbox as { depth?: unknown } | undefined)?.depth === 'number' ? (m.outbox as { depth: number }).depth : null,
    devices: m.online === true ? `${ok} ok${bad.length ? `; ${bad.join(', ')}` : ''}` : '-',
    since: typeof m.timestamp === 'string' ? m.timestamp : '-',
    lastSeen: typeof m.timestamp === 'string' ? m.timestamp : '-',
    heartbeatSec: typeof m.heartbeatSec === 'number' ? m.heartbeatSec : null,
    broker: typeof m.broker === 'string' ? m.broker : '-',
    ...updateCell(m.update),
    ...(m.online === false ? { reason: String(m.reason ?? '') } : {}),
  };
}

const timeOf = (iso: unknown): number | null => {
  const t = typeof iso === 'string' ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? t : null;
};

/**
 * The fleet as ops sees it: births and heartbeats in, rows with liveness out. A message that
 * arrives live counts at its arrival (ops' clock); a retained one at the time it carries.
 */
export class FleetView {
  private readonly births = new Map<string, PoleRow>();
  private readonly heard = new Map<string, number>();

  constructor(private readonly staleAfter = 3) {}

  state(pole: string, payload: Buffer, retained: boolean, now: number): void {
    if (payload.length === 0) { this.births.delete(pole); this.heard.delete(pole); return; }
    let m: Record<string, unknown>;
    try { m = JSON.parse(payload.toString()) as Record<string, unknown>; } catch { return; }
    if (!m || typeof m !== 'object') return;
    this.births.set(pole, rowFromState(pole, m));
    if (m.online === true) this.hear(pole, retained ? timeOf(m.timestamp) : now);
  }

  heartbeat(pole: string, payload: Buffer, retained: boolean, now: number): void {
    let m: Record<string, unknown>;
    try { m = JSON.parse(payload.toString()) as Record<string, unknown>; } catch { return; }
    if (!m || typeof m !== 'object') return;
    this.hear(pole, retained ? timeOf(m.at) : now);
  }

  rows(now: number): PoleRow[] {
    return [...this.births.values()].map((r) => {
      const heard = this.heard.get(r.pole);
      const lastSeen = heard === undefined ? r.lastSeen : new Date(heard).toISOString();
      const stale = r.online && r.heartbeatSec !== null && r.heartbeatSec > 0 && (heard === undefined || now - heard > this.staleAfter * r.heartbeatSec * 1000);
      return { ...r, lastSeen, state: stale ? 'stale' : r.state };
    });
  }

  private hear(pole: string, t: number | null): void {
    if (t === null) return;
    this.heard.set(pole, Math.max(t, this.heard.get(pole) ?? 0));
  }
}

function ago(iso: string, now: number): string {
  const t = timeOf(iso);
  return t === null ? 'never' : `${Math.max(0, Math.round((now - t) / 1000))} s ago`;
}

export function fleetTable(rows: PoleRow[], now = Date.now()): string {
  const head = ['POLE', 'STATE', 'BDSEQ', 'VERSION', 'KEPT', 'UPDATE', 'UPTIME', 'OUTBOX', 'DEVICES', 'BROKER', 'BIRTH'];
  const body = rows.sort((a, b) => a.pole.localeCompare(b.pole)).map((r) => [
    r.pole,
    r.state === 'offline' ? `offline${r.reason ? ` (${r.reason})` : ''}` : r.state === 'stale' ? `stale (last seen ${ago(r.lastSeen, now)})` : 'online',
    String(r.bdSeq ?? '-'), r.software, r.kept, r.update, fmtUptime(r.uptimeSec), r.outbox === null ? '-' : String(r.outbox), r.devices, r.broker, r.since,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const online = rows.filter((r) => r.state === 'online').length;
  const stale = rows.filter((r) => r.state === 'stale').length;
  // The rollout at a glance: poles per running version, updates under way, rollbacks.
  const versions = [...rows.reduce((m, r) => m.set(r.software, (m.get(r.software) ?? 0) + 1), new Map<string, number>())].sort().map(([v, n]) => `${v}: ${n}`).join(', ');
  const updating = rows.filter((r) => r.update !== '-' && !r.update.startsWith('rolled back')).length;
  const rolledBack = rows.filter((r) => r.update.startsWith('rolled back')).length;
  return [line(head), ...body.map(line), `${rows.length} poles, ${online} online${stale ? `, ${stale} stale` : ''}`,
    `versions ${versions || '-'}; ${updating} updating, ${rolledBack} rolled back`].join('\n');
}

export async function fleetCommand(f: FleetFlags, out: (s: string) => void): Promise<number> {
  const ctx = resolveContext(f);
  const staleAfter = Number(f['stale-after'] ?? 3);
  if (!(staleAfter >= 1)) throw new OpsUsageError('--stale-after must be a number ≥ 1 (multiples of a pole\'s heartbeat interval)');
  const view = new FleetView(staleAfter);
  const render = () => {
    const rows = view.rows(Date.now());
    return f.json ? JSON.stringify(rows, null, 2) : fleetTable(rows);
  };
  const attach = async (): Promise<MqttClient> => {
    const client = await connectOps(ctx.connection);
    client.on('message', (topic, payload, packet) => {
      const parts = topic.split('/');
      const pole = parts.at(-2)!;
      if (parts.at(-1) === 'state') view.state(pole, payload, packet.retain, Date.now());
      else view.heartbeat(pole, payload, packet.retain, Date.now());
      if (f.watch) out(`\u001b[2J\u001b[H${render()}`);
    });
    // QoS 0: a view of retained state needs no queue on the broker, and on NATS a QoS 0 subscription
    // works at once while a QoS 1 one waits for JetStream to re-elect after a node died (docs/fleet.md).
    await subscribeAsync(client, allStatesFilter(ctx.prefix), 0);
    await subscribeAsync(client, allHeartbeatsFilter(ctx.prefix), 0);
    return client;
  };
  let client = await attach();
  try {
    if (f.watch) {
      out(render());
      let stopping = false;
      const reattach = () => {
        if (stopping) return;
        setTimeout(() => { attach().then((c) => { client = c; c.once('close', reattach); }, reattach); }, 1000);
      };
      client.once('close', reattach);
      const tick = setInterval(() => out(`\u001b[2J\u001b[H${render()}`), 1000);
      await new Promise<void>((resolve) => { process.once('SIGINT', () => resolve()); process.once('SIGTERM', () => resolve()); });
      stopping = true;
      clearInterval(tick);
      return 0;
    }
    await new Promise((r) => setTimeout(r, Math.max(0.2, Number(f.wait ?? 2)) * 1000));
    out(render());
    return 0;
  } finally {
    client.removeAllListeners('close');
    await endAsync(client);
  }
}
