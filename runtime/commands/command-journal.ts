/**
 * The commands a pole received over MQTT and the one response each got (table `commands`,
 * migration 10). A command is journalled as `running` in the same transaction that records its
 * version, and its response is stored with the outbox record that carries it, so after any crash
 * a command id is either answered from here or known to have been interrupted — never run twice.
 */
import type { Db } from '../storage/database.js';

export interface JournalEntry {
  issuer: string;
  id: string;
  name: string;
  sha256: string;
  state: 'running' | 'done';
  response: Record<string, unknown> | null;
  receivedAt: number;
  expiresAt: number;
}

interface Row { issuer: string; id: string; name: string; payload_sha256: string; state: 'running' | 'done'; response: string | null; received_at: number; expires_at: number }

const fromRow = (r: Row): JournalEntry => ({
  issuer: r.issuer, id: r.id, name: r.name, sha256: r.payload_sha256, state: r.state,
  response: r.response ? (JSON.parse(r.response) as Record<string, unknown>) : null, receivedAt: r.received_at, expiresAt: r.expires_at,
});

export class CommandJournal {
  private readonly getStmt;
  private readonly beginStmt;
  private readonly finishStmt;
  private readonly runningStmt;
  private readonly pruneStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string, string], Row>('SELECT * FROM commands WHERE issuer = ? AND id = ?');
    this.beginStmt = db.prepare(`INSERT INTO commands (issuer, id, name, payload_sha256, state, response, received_at, expires_at)
      VALUES (?, ?, ?, ?, 'running', NULL, ?, ?) ON CONFLICT(issuer, id) DO NOTHING`);
    this.finishStmt = db.prepare("UPDATE commands SET state = 'done', response = ? WHERE issuer = ? AND id = ?");
    this.runningStmt = db.prepare<[], Row>("SELECT * FROM commands WHERE state = 'running' ORDER BY received_at");
    this.pruneStmt = db.prepare('DELETE FROM commands WHERE expires_at < ?');
  }

  get(issuer: string, id: string): JournalEntry | null {
    const r = this.getStmt.get(issuer, id);
    return r ? fromRow(r) : null;
  }

  /** Returns false if the id is already journalled. */
  begin(e: { issuer: string; id: string; name: string; sha256: string; receivedAt: number; expiresAt: number }): boolean {
    return this.beginStmt.run(e.issuer, e.id, e.name, e.sha256, e.receivedAt, e.expiresAt).changes > 0;
  }

  finish(issuer: string, id: string, response: Record<string, unknown>): void {
    this.finishStmt.run(JSON.stringify(response), issuer, id);
  }

  /** Commands left `running` by a process that died. */
  running(): JournalEntry[] {
    return this.runningStmt.all().map(fromRow);
  }

  prune(before: number): number {
    return this.pruneStmt.run(before).changes;
  }
}
