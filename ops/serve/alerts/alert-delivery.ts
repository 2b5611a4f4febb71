/**
 * What the alerts area keeps from the fleet's uplink (docs/ops-console.md §Emergency alerts):
 * each pole's place and groups from its birth (for the coverage preview), and per alert chain each
 * pole's latest receipt — accepted (shown), ignored (out of area, test…) with its code, rejected
 * with its code, displayed — the delivery board of an alert.
 */
import type { OpsDb } from '../store.js';
import type { PoleMessage } from '../link.js';
import type { KnownPole } from './coverage.js';

export interface AlertReceipt { poleId: string; status: string; code: string | null; reason: string | null; identifier: string | null; msgType: string | null; at: number }

/** Later receipts replace earlier ones, except that `displayed` is not replaced by the `accepted` of a redelivery. */
const RANK: Record<string, number> = { accepted: 1, ignored: 1, rejected: 1, displayed: 2, withdrawn: 3, expired: 3 };

export class AlertDelivery {
  private readonly putPlace;
  private readonly putReceipt;
  private readonly placesStmt;
  private readonly receiptsStmt;
  private readonly knownChain;

  constructor(db: OpsDb) {
    this.putPlace = db.prepare(`INSERT INTO alert_pole_places (pole_id, groups, lat, lon, area_code) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(pole_id) DO UPDATE SET groups = excluded.groups, lat = excluded.lat, lon = excluded.lon, area_code = excluded.area_code`);
    this.putReceipt = db.prepare(`INSERT INTO alert_receipts (chain_id, pole_id, status, code, reason, identifier, msg_type, at) VALUES (@chain, @pole, @status, @code, @reason, @identifier, @msgType, @at)
      ON CONFLICT(chain_id, pole_id) DO UPDATE SET status = excluded.status, code = excluded.code, reason = excluded.reason, identifier = excluded.identifier, msg_type = excluded.msg_type, at = excluded.at
      WHERE NOT (alert_receipts.status = 'displayed' AND excluded.status = 'accepted' AND alert_receipts.identifier IS excluded.identifier)`);
    this.placesStmt = db.prepare<[], { pole_id: string; groups: string; lat: number | null; lon: number | null; area_code: string | null }>('SELECT * FROM alert_pole_places ORDER BY pole_id');
    this.receiptsStmt = db.prepare<[string], { pole_id: string; status: string; code: string | null; reason: string | null; identifier: string | null; msg_type: string | null; at: number }>(
      'SELECT * FROM alert_receipts WHERE chain_id = ? ORDER BY pole_id');
    this.knownChain = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM alert_chains WHERE id = ?');
  }

  /** Takes births and receipts out of a batch (inside the caller's transaction); returns the chains whose board changed. */
  take(batch: readonly PoleMessage[]): Set<string> {
    const changed = new Set<string>();
    for (const m of batch) {
      const b = m.body;
      if (!b) continue;
      if (m.leaf === 'state' && b.online === true) {
        const loc = b.location as { lat?: unknown; lon?: unknown; areaCode?: unknown } | undefined;
        const groups = Array.isArray(b.groups) ? b.groups.filter((g): g is string => typeof g === 'string') : [];
        const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
        this.putPlace.run(m.poleId, JSON.stringify(groups), num(loc?.lat), num(loc?.lon), typeof loc?.areaCode === 'string' ? loc.areaCode : null);
      } else if (m.leaf === 'receipts' && b.kind === 'notice' && typeof b.id === 'string' && b.id.startsWith('cap-') && typeof b.status === 'string' && RANK[b.status]) {
        if (!this.knownChain.get(b.id)?.n) continue;
        const cap = b.cap as { identifier?: unknown; msgType?: unknown } | undefined;
        const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 500) : null);
        this.putReceipt.run({ chain: b.id, pole: m.poleId, status: b.status, code: str(b.code), reason: str(b.reason), identifier: str(cap?.identifier), msgType: str(cap?.msgType), at: m.at });
        changed.add(b.id);
      }
    }
    return changed;
  }

  poles(): KnownPole[] {
    return this.placesStmt.all().map((r) => ({
      poleId: r.pole_id, groups: JSON.parse(r.groups) as string[],
      ...(r.lat !== null && r.lon !== null ? { location: { lat: r.lat, lon: r.lon, areaCode: r.area_code ?? undefined } } : {}),
    }));
  }

  receipts(chainId: string): AlertReceipt[] {
    return this.receiptsStmt.all(chainId).map((r) => ({ poleId: r.pole_id, status: r.status, code: r.code, reason: r.reason, identifier: r.identifier, msgType: r.msg_type, at: r.at }));
  }
}
