/**
 * The highest version accepted per issuer + kind + id, persisted so replays and rollbacks are
 * refused across restarts (TUF's rollback defence; reference/mqtt.md §5).
 */
import type { Db } from '../storage/database.js';

export type VersionVerdict = 'new' | 'duplicate' | 'replay' | 'rollback';

export class VersionRegistry {
  private readonly getStmt;
  private readonly putStmt;
  constructor(db: Db) {
    this.getStmt = db.prepare<[string, string, string], { version: number; payload_sha256: string }>(
      'SELECT version, payload_sha256 FROM message_versions WHERE issuer = ? AND kind = ? AND id = ?');
    this.putStmt = db.prepare(
      `INSERT INTO message_versions (issuer, kind, id, version, payload_sha256, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(issuer, kind, id) DO UPDATE SET version = excluded.version, payload_sha256 = excluded.payload_sha256, updated_at = excluded.updated_at`);
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

  record(issuer: string, kind: string, id: string, version: number, sha256: string): void {
    this.putStmt.run(issuer, kind, id, version, sha256, new Date().toISOString());
  }
}
