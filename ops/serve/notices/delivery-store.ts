/**
 * Delivery per pole of a message the console sent on a notice topic — a notice or a CAP alert
 * (docs/ops-console.md §Delivery board). States:
 *   pending (未回应 not heard from) → accepted → displayed (the `displayed` receipt or proof of play)
 *   refused (`rejected` with its code) · ignored (a CAP alert this pole does not show, with its code)
 *   withdrawn · expired
 * Receipts are matched by id and version: one for an older version is ignored; `displayed` never
 * goes back to `accepted`. A pole not in the list when the message was sent (it joined later, or
 * the console had not heard of it) is added when its receipt comes.
 */
import type { OpsDb } from '../store.js';
import type { PoleMessage } from '../link.js';

export const DELIVERY_STATES = ['pending', 'accepted', 'displayed', 'refused', 'ignored', 'withdrawn', 'expired'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export interface DeliveryRow {
  poleId: string;
  status: DeliveryState;
  code: string | null;
  reason: string | null;
  acceptedAt: string | null;
  displayedAt: string | null;
  plays: number;
  seconds: number;
  updatedAt: string | null;
  /** Milliseconds from sending to this pole's first receipt (console clock), null before one. */
  receiptAfterMs: number | null;
}

const RANK: Record<DeliveryState, number> = { pending: 0, accepted: 1, displayed: 2, refused: 3, ignored: 3, expired: 4, withdrawn: 5 };
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown, max = 300): string | null => (typeof v === 'string' ? v.slice(0, max) : null);

export class DeliveryStore {
  constructor(private readonly db: OpsDb, private readonly now: () => number = Date.now) {}

  /** Starts tracking `msgId` at `version` for `poles` (all pending). A new version resets the board. */
  track(msgId: string, kind: 'notice' | 'cap', version: number, poles: readonly string[]): void {
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO delivery_tracked (msg_id, kind, version, withdraw_version, sent_ms) VALUES (?, ?, ?, NULL, ?) ON CONFLICT (msg_id) DO UPDATE SET version = excluded.version, withdraw_version = NULL, sent_ms = excluded.sent_ms')
        .run(msgId, kind, version, this.now());
      this.db.prepare('DELETE FROM deliveries WHERE msg_id = ?').run(msgId);
      const ins = this.db.prepare("INSERT OR IGNORE INTO deliveries (msg_id, pole_id, status) VALUES (?, ?, 'pending')");
      for (const p of poles) ins.run(msgId, p);
    })();
  }

  /** The withdrawal was sent at `version`: `withdrawn` receipts of that version close the rows. */
  withdrawing(msgId: string, version: number): void {
    this.db.prepare('UPDATE delivery_tracked SET withdraw_version = ? WHERE msg_id = ?').run(version, msgId);
  }

  /** Applies receipts and proof of play from a batch (the caller's transaction); returns the message ids whose board changed. */
  apply(batch: readonly PoleMessage[]): Set<string> {
    const changed = new Set<string>();
    const tracked = this.db.prepare('SELECT version, withdraw_version, sent_ms FROM delivery_tracked WHERE msg_id = ?');
    const get = this.db.prepare('SELECT status FROM deliveries WHERE msg_id = ? AND pole_id = ?');
    const upsert = this.db.prepare(`INSERT INTO deliveries (msg_id, pole_id, status, code, reason, accepted_at, displayed_at, first_receipt_ms, updated_at)
      VALUES (@msg, @pole, @status, @code, @reason, @acceptedAt, @displayedAt, @ms, @at)
      ON CONFLICT (msg_id, pole_id) DO UPDATE SET status = @status, code = coalesce(@code, code), reason = coalesce(@reason, reason),
        accepted_at = coalesce(accepted_at, @acceptedAt), displayed_at = coalesce(displayed_at, @displayedAt),
        first_receipt_ms = coalesce(first_receipt_ms, @ms), updated_at = @at`);
    const play = this.db.prepare(`UPDATE deliveries SET plays = plays + ?, seconds = seconds + ?, displayed_at = coalesce(displayed_at, ?),
      status = CASE WHEN status IN ('pending', 'accepted') THEN 'displayed' ELSE status END, updated_at = ? WHERE msg_id = ? AND pole_id = ?`);
    const refusedWithdrawal = this.db.prepare('UPDATE deliveries SET code = ?, reason = ?, updated_at = ? WHERE msg_id = ? AND pole_id = ?');
    for (const m of batch) {
      const b = m.body;
      if (m.leaf !== 'receipts' || !b) continue;
      if (b.type === 'receipt' && b.kind === 'notice') {
        const id = str(b.id, 200);
        const t = id ? tracked.get(id) as { version: number; withdraw_version: number | null; sent_ms: number } | undefined : undefined;
        if (!id || !t) continue;
        const v = num(b.version);
        const status = str(b.status, 20);
        const at = str(b.at, 40) ?? new Date(m.at).toISOString();
        let next: DeliveryState | null = null;
        if (status === 'withdrawn' && t.withdraw_version !== null && (v === null || v >= t.version)) next = 'withdrawn';
        else if (status === 'rejected' && t.withdraw_version !== null && v === t.withdraw_version) {
          // The pole refused the withdrawal: keep the row's state (the notice is still shown) and say why.
          refusedWithdrawal.run(`withdrawal refused: ${str(b.code, 64) ?? '?'}`, str(b.reason), at, id, m.poleId);
          changed.add(id);
          continue;
        } else if (v !== t.version) continue;
        else if (status === 'accepted') next = 'accepted';
        else if (status === 'displayed') next = 'displayed';
        else if (status === 'rejected') next = 'refused';
        else if (status === 'ignored') next = 'ignored';
        else if (status === 'expired') next = 'expired';
        else if (status === 'withdrawn') next = 'withdrawn';
        if (!next) continue;
        const cur = (get.get(id, m.poleId) as { status: DeliveryState } | undefined)?.status;
        // Receipts may arrive out of order across a reconnect: never step back (displayed stays displayed).
        if (cur && RANK[cur] > RANK[next]) continue;
        upsert.run({
          msg: id, pole: m.poleId, status: next, code: str(b.code, 64), reason: str(b.reason),
          acceptedAt: next === 'accepted' || next === 'displayed' ? at : null, displayedAt: next === 'displayed' ? at : null,
          ms: Math.max(0, m.at - t.sent_ms), at,
        });
        changed.add(id);
      } else if (b.type === 'proofOfPlay' && Array.isArray(b.items)) {
        for (const it of b.items as Record<string, unknown>[]) {
          const id = str(it?.id, 200);
          const t = id ? tracked.get(id) as { version: number } | undefined : undefined;
          if (!id || !t || num(it.version) !== t.version) continue;
          const plays = num(it.plays) ?? 0;
          if (plays <= 0) continue;
          if (!get.get(id, m.poleId)) upsert.run({ msg: id, pole: m.poleId, status: 'displayed', code: null, reason: null, acceptedAt: null, displayedAt: str(b.from, 40), ms: null, at: str(b.at, 40) });
          play.run(Math.round(plays), Math.round(num(it.seconds) ?? 0), str(b.from, 40), str(b.at, 40), id, m.poleId);
          changed.add(id);
        }
      }
    }
    return changed;
  }

  rows(msgId: string): DeliveryRow[] {
    return (this.db.prepare('SELECT * FROM deliveries WHERE msg_id = ? ORDER BY pole_id').all(msgId) as {
      pole_id: string; status: DeliveryState; code: string | null; reason: string | null; accepted_at: string | null; displayed_at: string | null;
      plays: number; seconds: number; updated_at: string | null; first_receipt_ms: number | null;
    }[]).map((r) => ({
      poleId: r.pole_id, status: r.status, code: r.code, reason: r.reason, acceptedAt: r.accepted_at, displayedAt: r.displayed_at,
      plays: r.plays, seconds: r.seconds, updatedAt: r.updated_at, receiptAfterMs: r.first_receipt_ms,
    }));
  }

  counts(msgId: string): Record<DeliveryState, number> & { total: number } {
    const out = Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Record<DeliveryState, number>;
    let total = 0;
    for (const r of this.db.prepare('SELECT status, count(*) AS n FROM deliveries WHERE msg_id = ? GROUP BY status').all(msgId) as { status: DeliveryState; n: number }[]) {
      out[r.status] = r.n;
      total += r.n;
    }
    return { ...out, total };
  }

  /** Messages in force on a pole: accepted or displayed there and not withdrawn. */
  activeOn(poleId: string): { msgId: string; status: DeliveryState; displayedAt: string | null }[] {
    return this.db.prepare("SELECT msg_id AS msgId, status, displayed_at AS displayedAt FROM deliveries WHERE pole_id = ? AND status IN ('accepted', 'displayed') ORDER BY msg_id").all(poleId) as never;
  }
}
