/**
 * The fleet as the console last heard it (docs/ops-console.md §Fleet): births and wills, heartbeats,
 * events (the last 200 per pole) and the latest telemetry of each kind. Liveness as docs/fleet.md
 * §Liveness defines it: a pole whose birth says online but from which neither a birth nor a heartbeat
 * came within 3 × its heartbeat interval is `stale` (a dead cluster node publishes no Will).
 */
import type { OpsDb } from '../store.js';
import type { PoleMessage } from '../link.js';

export type Liveness = 'online' | 'stale' | 'offline';
export const STALE_AFTER = 3;
const EVENTS_KEPT = 200;

export interface DeviceHealth { status: string; detail?: string; [k: string]: unknown }

export interface PoleRow {
  poleId: string;
  online: boolean;
  liveness: Liveness;
  bdSeq: number | null;
  software: string | null;
  groups: string[];
  devices: Record<string, DeviceHealth>;
  /** Devices whose status is degraded or down (lamp, charger, modem, LED modules…). */
  alarms: { device: string; status: string; detail: string }[];
  outboxDepth: number | null;
  heartbeatSec: number | null;
  broker: string | null;
  lat: number | null;
  lon: number | null;
  address: string | null;
  birthAt: string | null;
  offlineReason: string | null;
  /** Last birth or heartbeat, ISO; null if never. */
  lastSeen: string | null;
}

interface Row {
  pole_id: string; online: number; bd_seq: number | null; software: string | null; groups: string; devices: string; outbox_depth: number | null;
  heartbeat_sec: number | null; broker: string | null; lat: number | null; lon: number | null; address: string | null; birth_at: string | null;
  offline_reason: string | null; last_seen: number | null;
}

export function livenessOf(online: boolean, heartbeatSec: number | null, lastSeen: number | null, now: number): Liveness {
  if (!online) return 'offline';
  if (heartbeatSec && heartbeatSec > 0 && (lastSeen === null || now - lastSeen > STALE_AFTER * heartbeatSec * 1000)) return 'stale';
  return 'online';
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown, max = 200): string | null => (typeof v === 'string' ? v.slice(0, max) : null);
const timeOf = (v: unknown): number | null => {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? t : null;
};

/** The birth's device health, keeping only well-formed entries (status a string; detail text), at most 32. */
function healthOf(v: unknown): Record<string, DeviceHealth> {
  const out: Record<string, DeviceHealth> = {};
  if (!v || typeof v !== 'object' || Array.isArray(v)) return out;
  for (const [k, h] of Object.entries(v as Record<string, unknown>).slice(0, 32)) {
    if (!h || typeof h !== 'object' || typeof (h as { status?: unknown }).status !== 'string') continue;
    const e = h as Record<string, unknown>;
    out[k.slice(0, 32)] = { status: String(e.status).slice(0, 16), ...(typeof e.detail === 'string' ? { detail: e.detail.slice(0, 300) } : {}), ...(typeof e.state === 'string' ? { state: e.state.slice(0, 40) } : {}) };
  }
  return out;
}

function toRow(r: Row, now: number): PoleRow {
  let devices: Record<string, DeviceHealth> = {};
  let groups: string[] = [];
  try { devices = JSON.parse(r.devices) as Record<string, DeviceHealth>; } catch { /* stored by us; keep empty */ }
  try { groups = JSON.parse(r.groups) as string[]; } catch { /* idem */ }
  const alarms = r.online ? Object.entries(devices).filter(([, h]) => h.status === 'degraded' || h.status === 'down')
    .map(([device, h]) => ({ device, status: h.status, detail: String(h.detail ?? '') })) : [];
  return {
    poleId: r.pole_id, online: r.online === 1, liveness: livenessOf(r.online === 1, r.heartbeat_sec, r.last_seen, now), bdSeq: r.bd_seq,
    software: r.software, groups, devices, alarms, outboxDepth: r.outbox_depth, heartbeatSec: r.heartbeat_sec, broker: r.broker,
    lat: r.lat, lon: r.lon, address: r.address, birthAt: r.birth_at, offlineReason: r.offline_reason,
    lastSeen: r.last_seen === null ? null : new Date(r.last_seen).toISOString(),
  };
}

export interface FleetFilter { group?: string | undefined; liveness?: Liveness | undefined; q?: string | undefined; alarms?: boolean | undefined }

export class FleetStore {
  constructor(private readonly db: OpsDb, private readonly now: () => number = Date.now) {}

  /**
   * Applies a batch from the link (the caller's transaction). A live message counts at its arrival;
   * a retained one at the time it carries (docs/fleet.md §Liveness). Returns the poles that changed.
   */
  apply(batch: readonly PoleMessage[]): Set<string> {
    const changed = new Set<string>();
    const ensure = this.db.prepare('INSERT OR IGNORE INTO poles (pole_id, first_seen) VALUES (?, ?)');
    const birth = this.db.prepare(`UPDATE poles SET online = 1, bd_seq = @bdSeq, software = @software, groups = @groups, devices = @devices,
      outbox_depth = @outbox, heartbeat_sec = @hb, broker = @broker, lat = coalesce(@lat, lat), lon = coalesce(@lon, lon), address = coalesce(@address, address),
      birth_at = @birthAt, offline_reason = NULL, last_seen = max(coalesce(last_seen, 0), @seen) WHERE pole_id = @pole`);
    const death = this.db.prepare('UPDATE poles SET online = 0, offline_reason = ? WHERE pole_id = ? AND (bd_seq IS NULL OR bd_seq <= ?)');
    const seen = this.db.prepare('UPDATE poles SET last_seen = max(coalesce(last_seen, 0), ?), broker = coalesce(?, broker) WHERE pole_id = ?');
    const removed = this.db.prepare('DELETE FROM poles WHERE pole_id = ?');
    const event = this.db.prepare('INSERT INTO pole_events (pole_id, at, code, severity, message, body) VALUES (?, ?, ?, ?, ?, ?)');
    const telemetry = this.db.prepare('INSERT INTO pole_telemetry (pole_id, kind, at, vals) VALUES (?, ?, ?, ?) ON CONFLICT (pole_id, kind) DO UPDATE SET at = excluded.at, vals = excluded.vals WHERE excluded.at >= pole_telemetry.at');
    const outbox = this.db.prepare('UPDATE poles SET outbox_depth = ? WHERE pole_id = ?');
    const evented = new Set<string>();
    for (const m of batch) {
      const b = m.body;
      if (m.leaf === 'state') {
        if (!b) { removed.run(m.poleId); changed.add(m.poleId); continue; }
        ensure.run(m.poleId, m.at);
        if (b.online === true) {
          const loc = (b.location ?? {}) as Record<string, unknown>;
          const t = m.retained ? timeOf(b.timestamp) : m.at;
          birth.run({
            pole: m.poleId, bdSeq: num(b.bdSeq), software: str(b.software, 64), groups: JSON.stringify(Array.isArray(b.groups) ? b.groups.filter((g) => typeof g === 'string').slice(0, 32) : []),
            devices: JSON.stringify(healthOf(b.devices)),
            outbox: num((b.outbox as Record<string, unknown> | undefined)?.depth), hb: num(b.heartbeatSec), broker: str(b.broker),
            lat: num(loc.lat), lon: num(loc.lon), address: str(loc.address), birthAt: str(b.timestamp, 40), seen: t ?? 0,
          });
        } else if (b.online === false) {
          death.run(str(b.reason) ?? '', m.poleId, num(b.bdSeq) ?? Number.MAX_SAFE_INTEGER);
        }
        changed.add(m.poleId);
      } else if (m.leaf === 'heartbeat') {
        if (!b) continue;
        const t = m.retained ? timeOf(b.at) : m.at;
        if (t !== null) seen.run(t, str(b.broker), m.poleId);
        changed.add(m.poleId);
      } else if (m.leaf === 'events' && b) {
        ensure.run(m.poleId, m.at);
        event.run(m.poleId, str(b.at, 40) ?? new Date(m.at).toISOString(), str(b.code, 64) ?? '?', str(b.severity, 16) ?? 'info', str(b.message, 500), JSON.stringify(b).slice(0, 8000));
        evented.add(m.poleId);
        changed.add(m.poleId);
      } else if (m.leaf === 'telemetry' && b && typeof b.kind === 'string') {
        ensure.run(m.poleId, m.at);
        telemetry.run(m.poleId, b.kind.slice(0, 64), str(b.at, 40) ?? new Date(m.at).toISOString(), JSON.stringify(b.values ?? {}).slice(0, 8000));
        const depth = b.kind === 'uplink' ? num((b.values as Record<string, unknown> | undefined)?.outboxDepth) : null;
        if (depth !== null) outbox.run(depth, m.poleId);
        changed.add(m.poleId);
      }
    }
    const prune = this.db.prepare('DELETE FROM pole_events WHERE pole_id = ? AND id <= (SELECT id FROM pole_events WHERE pole_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)');
    for (const p of evented) prune.run(p, p, EVENTS_KEPT);
    return changed;
  }

  rows(f: FleetFilter = {}): PoleRow[] {
    const now = this.now();
    const q = f.q?.trim().toLowerCase();
    return (this.db.prepare('SELECT * FROM poles ORDER BY pole_id').all() as Row[]).map((r) => toRow(r, now)).filter((p) =>
      (!f.group || p.groups.includes(f.group)) && (!f.liveness || p.liveness === f.liveness) && (!f.alarms || p.alarms.length > 0)
      && (!q || p.poleId.toLowerCase().includes(q) || (p.address ?? '').toLowerCase().includes(q)));
  }

  pole(id: string): PoleRow | null {
    const r = this.db.prepare('SELECT * FROM poles WHERE pole_id = ?').get(id) as Row | undefined;
    return r ? toRow(r, this.now()) : null;
  }

  groups(): string[] {
    const all = this.db.prepare("SELECT DISTINCT value FROM poles, json_each(poles.groups) ORDER BY value").pluck().all() as string[];
    return all;
  }

  /** Pole ids in a group ('all' for every pole). */
  members(target: { scope: 'all' } | { scope: 'group'; group: string } | { scope: 'pole'; poleId: string }): string[] {
    if (target.scope === 'pole') return [target.poleId];
    if (target.scope === 'all') return this.db.prepare('SELECT pole_id FROM poles ORDER BY pole_id').pluck().all() as string[];
    return this.db.prepare('SELECT pole_id FROM poles WHERE EXISTS (SELECT 1 FROM json_each(poles.groups) WHERE value = ?) ORDER BY pole_id').pluck().all(target.group) as string[];
  }

  events(poleId: string, limit = 50): { at: string; code: string; severity: string; message: string | null }[] {
    return this.db.prepare('SELECT at, code, severity, message FROM pole_events WHERE pole_id = ? ORDER BY id DESC LIMIT ?').all(poleId, limit) as never;
  }

  telemetry(poleId: string): { kind: string; at: string; values: Record<string, unknown> }[] {
    return (this.db.prepare('SELECT kind, at, vals FROM pole_telemetry WHERE pole_id = ? ORDER BY kind').all(poleId) as { kind: string; at: string; vals: string }[])
      .map((r) => ({ kind: r.kind, at: r.at, values: JSON.parse(r.vals) as Record<string, unknown> }));
  }

  saveSnapshot(poleId: string, png: Buffer, username: string): void {
    this.db.prepare('INSERT INTO pole_snapshots (pole_id, at, username, png) VALUES (?, ?, ?, ?) ON CONFLICT (pole_id) DO UPDATE SET at = excluded.at, username = excluded.username, png = excluded.png')
      .run(poleId, new Date(this.now()).toISOString(), username, png);
  }

  snapshot(poleId: string): { at: string; username: string; png: Buffer } | null {
    return (this.db.prepare('SELECT at, username, png FROM pole_snapshots WHERE pole_id = ?').get(poleId) as { at: string; username: string; png: Buffer } | undefined) ?? null;
  }

  /** How many poles are stale now (the area re-draws the fleet when this changes with no message). */
  staleCount(): number {
    return this.rows().filter((p) => p.liveness === 'stale').length;
  }
}
