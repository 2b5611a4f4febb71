/** Notices as accepted, in SQLite (table `notices`, migration 1). Keyed by issuer + id. */
import type { Db } from '../storage/database.js';
import { PRIORITY_RANK, type NoticePayload } from '../../protocols/notice.js';

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
}

interface Row {
  issuer: string; id: string; version: number; topic: string; priority: number; payload: string;
  received_at: number; valid_from: number; expires_at: number | null; withdrawn_at: number | null; first_displayed_at: number | null;
}

function fromRow(r: Row): StoredNotice {
  return {
    issuer: r.issuer, id: r.id, version: r.version, topic: r.topic, payload: JSON.parse(r.payload) as NoticePayload,
    receivedAt: r.received_at, validFrom: r.valid_from, expiresAt: r.expires_at, withdrawnAt: r.withdrawn_at, firstDisplayedAt: r.first_displayed_at,
  };
}

export class NoticeStore {
  private readonly upsertStmt;
  private readonly withdrawStmt;
  private readonly activeStmt;
  private readonly allStmt;
  private readonly oneStmt;
  private readonly displayedStmt;

  constructor(db: Db) {
    this.upsertStmt = db.prepare(`
      INSERT INTO notices (issuer, id, version, topic, priority, payload, received_at, valid_from, expires_at, withdrawn_at, first_displayed_at)
      VALUES (@issuer, @id, @version, @topic, @priority, @payload, @received_at, @valid_from, @expires_at, NULL, NULL)
      ON CONFLICT(issuer, id) DO UPDATE SET version = excluded.version, topic = excluded.topic, priority = excluded.priority,
        payload = excluded.payload, received_at = excluded.received_at, valid_from = excluded.valid_from,
        expires_at = excluded.expires_at, withdrawn_at = NULL, first_displayed_at = NULL`);
    this.withdrawStmt = db.prepare('UPDATE notices SET withdrawn_at = ?, version = ? WHERE issuer = ? AND id = ? AND withdrawn_at IS NULL');
    this.activeStmt = db.prepare<[number, number], Row>(
      'SELECT * FROM notices WHERE withdrawn_at IS NULL AND valid_from <= ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY priority DESC, received_at DESC');
    this.allStmt = db.prepare<[], Row>('SELECT * FROM notices ORDER BY received_at DESC');
    this.oneStmt = db.prepare<[string, string], Row>('SELECT * FROM notices WHERE issuer = ? AND id = ?');
    this.displayedStmt = db.prepare('UPDATE notices SET first_displayed_at = ? WHERE issuer = ? AND id = ? AND first_displayed_at IS NULL');
  }

  upsert(issuer: string, topic: string, n: NoticePayload, now: number): void {
    this.upsertStmt.run({
      issuer, id: n.id, version: n.version, topic, priority: PRIORITY_RANK[n.priority], payload: JSON.stringify(n), received_at: now,
      valid_from: Date.parse(n.validFrom ?? n.issuedAt), expires_at: n.expiresAt ? Date.parse(n.expiresAt) : null,
    });
  }

  /** Returns true if a showing notice was withdrawn. */
  withdraw(issuer: string, id: string, version: number, now: number): boolean {
    return this.withdrawStmt.run(now, version, issuer, id).changes > 0;
  }

  active(now: number): StoredNotice[] {
    return this.activeStmt.all(now, now).map(fromRow);
  }

  all(): StoredNotice[] {
    return this.allStmt.all().map(fromRow);
  }

  get(issuer: string, id: string): StoredNotice | undefined {
    const r = this.oneStmt.get(issuer, id);
    return r ? fromRow(r) : undefined;
  }

  /** Records the first time a notice reached the screen; true the first time only. */
  markDisplayed(issuer: string, id: string, now: number): boolean {
    return this.displayedStmt.run(now, issuer, id).changes > 0;
  }
}
