/**
 * The highest version accepted per issuer + kind + id, persisted so replays and rollbacks are
 * refused across restarts (TUF's rollback defence, docs/background.md §MQTT practices; go-tuf CVE-2022-29173 was
 * exactly a missing check of this kind).
 */
import type { Db } from '../storage/database.js';

export type VersionVerdict = 'new' | 'duplicate' | 'replay' | 'rollback';

export class VersionRegistry {
  private readonly getStmt;
  private readonly putStmt;
  private readonly pruneStmt;
  constructor(db: Db) {
    this.getStmt = db.prepare<[string, string, string], { version: number; payload_sha256: string }>(
      'SELECT version, payload_sha256 FROM message_versions WHERE issuer = ? AND kind = ? AND id = ?');
    this.putStmt = db.prepare(
      `INSERT INTO message_versions (issuer, kind, id, version, payload_sha256, updated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(issuer, kind, id) DO UPDATE SET version = excluded.version, payload_sha256 = excluded.payload_sha256,
         updated_at = excluded.updated_at, expires_at = excluded.expires_at`);
    this.pruneStmt = db.prepare('DELETE FROM message_versions WHERE kind = ? AND expires_at IS NOT NULL AND expires_at < ?');
  }

  check(issuer: string, kind: string, id: string, version: number, sha256: string): VersionVerdict {
    const row = this.getStmt.get(issuer, kind, id);
    if (!row || version > row.version) return 'new';
    if (version < row.version) return 'rollback';
    return row.payload_sha256 === sha256 ? 'duplicate' : 'replay';
  }

  highest(issuer: string, kind: string, id: string): number | undefined {
    return this.getStmt.get(issuer, kind, id)?.version;
  }

  /** @param expiresAt epoch ms after which the message is refused as expired anyway (null: never). */
  record(issuer: string, kind: string, id: string, version: number, sha256: string, expiresAt: number | null = null): void {
    this.putStmt.run(issuer, kind, id, version, sha256, new Date().toISOString(), expiresAt);
  }

  /**
   * Forgets versions of `kind` whose accepted message expired before `beforeMs`. Only safe for a
   * kind whose schema makes expiry mandatory and short (commands: ≤ 24 h), so that every older
   * version of the id has expired too and a replay is refused as expired. Notice and data-set
   * versions are kept for ever: an old version without expiry could otherwise be replayed.
   */
  prune(kind: string, beforeMs: number): number {
    return this.pruneStmt.run(kind, beforeMs).changes;
  }
}
