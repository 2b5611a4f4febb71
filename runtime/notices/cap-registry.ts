/**
 * The CAP alerts a pole has seen, per issuer (table `cap_alerts`, migration 10): which notice
 * chain each was shown under, and which were referenced by a later Update or Cancel. Retained
 * topics arrive in any order after a reconnect, so an Update may come before the alert it
 * replaces; the reference is remembered and the old alert, arriving late, is not shown.
 */
import type { Db } from '../storage/database.js';
import type { CapReference } from '../../protocols/cap.js';

export type CapAlertState = 'shown' | 'ignored' | 'superseded' | 'cancelled';

interface Row { notice_id: string | null; state: CapAlertState; superseded_by: string | null }

export class CapRegistry {
  private readonly getStmt;
  private readonly putStmt;
  private readonly refStmt;
  private readonly pruneStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string, string, string], Row>('SELECT notice_id, state, superseded_by FROM cap_alerts WHERE issuer = ? AND sender = ? AND identifier = ?');
    this.putStmt = db.prepare(`INSERT INTO cap_alerts (issuer, sender, identifier, notice_id, state, superseded_by, updated_at) VALUES (?, ?, ?, ?, ?, NULL, ?)
      ON CONFLICT(issuer, sender, identifier) DO UPDATE SET notice_id = excluded.notice_id, state = excluded.state, updated_at = excluded.updated_at
      WHERE cap_alerts.state NOT IN ('superseded', 'cancelled')`);
    this.refStmt = db.prepare(`INSERT INTO cap_alerts (issuer, sender, identifier, notice_id, state, superseded_by, updated_at) VALUES (?, ?, ?, NULL, ?, ?, ?)
      ON CONFLICT(issuer, sender, identifier) DO UPDATE SET state = excluded.state, superseded_by = excluded.superseded_by, updated_at = excluded.updated_at`);
    this.pruneStmt = db.prepare('DELETE FROM cap_alerts WHERE updated_at < ?');
  }

  /** If a later Update/Cancel already referenced this alert: by which identifier. */
  supersededBy(issuer: string, sender: string, identifier: string): { by: string; state: CapAlertState } | null {
    const r = this.getStmt.get(issuer, sender, identifier);
    return r && (r.state === 'superseded' || r.state === 'cancelled') ? { by: r.superseded_by ?? '?', state: r.state } : null;
  }

  /** Records an alert as shown or ignored (never un-supersedes one). */
  record(issuer: string, sender: string, identifier: string, noticeId: string | null, state: 'shown' | 'ignored', now: number): void {
    this.putStmt.run(issuer, sender, identifier, noticeId, state, now);
  }

  /** Marks a referenced alert; returns the notice id it was shown under, if it was. */
  reference(issuer: string, ref: CapReference, by: string, state: 'superseded' | 'cancelled', now: number): string | null {
    const before = this.getStmt.get(issuer, ref.sender, ref.identifier);
    this.refStmt.run(issuer, ref.sender, ref.identifier, state, by, now);
    return before?.notice_id ?? null;
  }

  prune(before: number): number {
    return this.pruneStmt.run(before).changes;
  }
}
