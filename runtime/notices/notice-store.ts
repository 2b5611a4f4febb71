/**
 * Notices as accepted, in SQLite (table `notices`, migrations 1 and 10). Keyed by issuer + id;
 * a notice mapped from a CAP alert keeps its origin (sender, identifier, event, …).
 */
import type { Db } from '../storage/database.js';
import { PRIORITY_RANK, type NoticePayload } from '../../protocols/notice.js';
import type { CapOrigin } from '../../protocols/cap-notice.js';

export type NoticeOrigin = CapOrigin;

export interface StoredNotice {
  issuer: string;
  id: string;
  version: number;
  topic: string;
  payload: NoticePayload;
  receivedAt: number;
  validFrom: number;
  expiresAt: number | null;
  withdrawnAt: number | null;
  firstDisplayedAt: number | null;
  /** When the `expired` receipt went out: from then on the notice is over, whatever the clock says later. */
  expiryReportedAt?: number | null;
  /** Set for notices mapped from a CAP alert. */
  origin?: NoticeOrigin | null;
}

interface Row {
  issuer: string; id: string; version: number; topic: string; priority: number; payload: string;
  received_at: number; valid_from: number; expires_at: number | null; withdrawn_at: number | null; first_displayed_at: number | null;
  origin: string | null; expiry_reported_at: number | null;
}

function fromRow(r: Row): StoredNotice {
  return {
    issuer: r.issuer, id: r.id, version: r.version, topic: r.topic, payload: JSON.parse(r.payload) as NoticePayload,
    receivedAt: r.received_at, validFrom: r.valid_from, expiresAt: r.expires_at, withdrawnAt: r.withdrawn_at, firstDisplayedAt: r.first_displayed_at,
    expiryReportedAt: r.expiry_reported_at ?? null,
    origin: r.origin ? (JSON.parse(r.origin) as NoticeOrigin) : null,
  };
}

export class NoticeStore {
  private readonly upsertStmt;
  private readonly withdrawStmt;
  private readonly activeStmt;
  private readonly allStmt;
  private readonly oneStmt;
  private readonly displayedStmt;
  private readonly expiredStmt;
  private readonly expiryReportedStmt;
  private readonly pruneStmt;

  constructor(db: Db) {
    this.upsertStmt = db.prepare(`
      INSERT INTO notices (issuer, id, version, topic, priority, payload, received_at, valid_from, expires_at, withdrawn_at, first_displayed_at, origin, expiry_reported_at)
      VALUES (@issuer, @id, @version, @topic, @priority, @payload, @received_at, @valid_from, @expires_at, NULL, NULL, @origin, NULL)
      ON CONFLICT(issuer, id) DO UPDATE SET version = excluded.version, topic = excluded.topic, priority = excluded.priority,
        payload = excluded.payload, received_at = excluded.received_at, valid_from = excluded.valid_from,
        expires_at = excluded.expires_at, withdrawn_at = NULL, first_displayed_at = NULL, origin = excluded.origin, expiry_reported_at = NULL`);
    this.withdrawStmt = db.prepare('UPDATE notices SET withdrawn_at = ?, version = MAX(version, ?) WHERE issuer = ? AND id = ? AND withdrawn_at IS NULL');
    this.activeStmt = db.prepare<[number, number], Row>(
      // A notice reported expired stays over even if the wall clock is later set back (docs/mqtt-api.md §Receipts).
      'SELECT * FROM notices WHERE withdrawn_at IS NULL AND expiry_reported_at IS NULL AND valid_from <= ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY priority DESC, received_at DESC');
    this.allStmt = db.prepare<[number], Row>('SELECT * FROM notices ORDER BY received_at DESC LIMIT ?');
    this.oneStmt = db.prepare<[string, string], Row>('SELECT * FROM notices WHERE issuer = ? AND id = ?');
    this.displayedStmt = db.prepare('UPDATE notices SET first_displayed_at = ? WHERE issuer = ? AND id = ? AND first_displayed_at IS NULL');
    this.expiredStmt = db.prepare<[number], Row>(
      'SELECT * FROM notices WHERE withdrawn_at IS NULL AND expiry_reported_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at LIMIT 500');
    this.expiryReportedStmt = db.prepare('UPDATE notices SET expiry_reported_at = ? WHERE issuer = ? AND id = ?');
    this.pruneStmt = db.prepare('DELETE FROM notices WHERE COALESCE(withdrawn_at, expiry_reported_at) < ?');
  }

  upsert(issuer: string, topic: string, n: NoticePayload, now: number, origin: NoticeOrigin | null = null): void {
    this.upsertStmt.run({
      issuer, id: n.id, version: n.version, topic, priority: PRIORITY_RANK[n.priority], payload: JSON.stringify(n), received_at: now,
      valid_from: Date.parse(n.validFrom ?? n.issuedAt), expires_at: n.expiresAt ? Date.parse(n.expiresAt) : null,
      origin: origin ? JSON.stringify(origin) : null,
    });
  }

  /** Returns true if a held (not yet withdrawn) notice was withdrawn. */
  withdraw(issuer: string, id: string, version: number, now: number): boolean {
    return this.withdrawStmt.run(now, version, issuer, id).changes > 0;
  }

  active(now: number): StoredNotice[] {
    return this.activeStmt.all(now, now).map(fromRow);
  }

  /** Newest first, at most `limit`. */
  all(limit = 10_000): StoredNotice[] {
    return this.allStmt.all(limit).map(fromRow);
  }

  get(issuer: string, id: string): StoredNotice | undefined {
    const r = this.oneStmt.get(issuer, id);
    return r ? fromRow(r) : undefined;
  }

  /** Records the first time a notice reached the screen; true the first time only. */
  markDisplayed(issuer: string, id: string, now: number): boolean {
    return this.displayedStmt.run(now, issuer, id).changes > 0;
  }

  /** Notices past their expiry whose `expired` receipt has not gone out yet. */
  expiredUnreported(now: number): StoredNotice[] {
    return this.expiredStmt.all(now).map(fromRow);
  }

  markExpiryReported(issuer: string, id: string, now: number): void {
    this.expiryReportedStmt.run(now, issuer, id);
  }

  /** Deletes notices withdrawn or expired (and reported) before `before`; their versions stay in message_versions. */
  prune(before: number): number {
    return this.pruneStmt.run(before).changes;
  }
}
