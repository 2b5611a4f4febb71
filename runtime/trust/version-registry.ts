/**
 * The highest version accepted per issuer + kind + id + audience, persisted so replays and
 * rollbacks are refused across restarts (TUF's rollback defence, docs/security.md §Versions; go-tuf
 * CVE-2022-29173 was exactly a missing check of this kind). The audience is part of the key: a
 * message signed for one audience never counts as new in another, and a legitimate message for
 * one audience never blocks another. Data sets use the issuer `*` (rollback protection across
 * issuers: a second key cannot bring back an older data set).
 */
import type { Db } from '../storage/database.js';

export type VersionVerdict = 'new' | 'duplicate' | 'replay' | 'rollback';

/** Where a version lives: who signed it, what kind, which id, for whom. */
export interface VersionKey {
  issuer: string;
  kind: string;
  id: string;
  audience: string;
}

export class VersionRegistry {
  private readonly getStmt;
  private readonly putStmt;
  private readonly pruneStmt;
  constructor(db: Db) {
    this.getStmt = db.prepare<[string, string, string, string], { version: number; payload_sha256: string }>(
      'SELECT version, payload_sha256 FROM message_versions WHERE issuer = ? AND kind = ? AND id = ? AND audience = ?');
    this.putStmt = db.prepare(
      `INSERT INTO message_versions (issuer, kind, id, audience, version, payload_sha256, updated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(issuer, kind, id, audience) DO UPDATE SET version = excluded.version, payload_sha256 = excluded.payload_sha256,
         updated_at = excluded.updated_at, expires_at = excluded.expires_at`);
    this.pruneStmt = db.prepare('DELETE FROM message_versions WHERE kind = ? AND expires_at IS NOT NULL AND expires_at < ?');
  }

  check(k: VersionKey, version: number, sha256: string): VersionVerdict {
    const row = this.getStmt.get(k.issuer, k.kind, k.id, k.audience);
    if (!row || version > row.version) return 'new';
    if (version < row.version) return 'rollback';
    return row.payload_sha256 === sha256 ? 'duplicate' : 'replay';
  }

  highest(k: VersionKey): number | undefined {
    return this.getStmt.get(k.issuer, k.kind, k.id, k.audience)?.version;
  }

  /** @param expiresAt epoch ms after which the message is refused as expired anyway (null: never). */
  record(k: VersionKey, version: number, sha256: string, expiresAt: number | null = null): void {
    this.putStmt.run(k.issuer, k.kind, k.id, k.audience, version, sha256, new Date().toISOString(), expiresAt);
  }

  /**
   * Forgets versions of `kind` whose accepted message expired before `beforeMs`. Only safe for a
   * kind whose schema makes expiry mandatory and short (commands: ≤ 24 h), so that every older
   * version of the id has expired too and a replay is refused as expired. Notice and data-set
   * versions are kept for ever: an old version without expiry could otherwise be replayed.
   * The caller must not prune across a forward wall-clock jump (runtime/clock-watch.ts).
   */
  prune(kind: string, beforeMs: number): number {
    return this.pruneStmt.run(kind, beforeMs).changes;
  }
}
