/**
 * Alert chains in the console's SQLite store (docs/ops-console.md §Storage): one row per chain,
 * one per revision (the Alert, each Update, the Cancel) with who asked, who approved and when it
 * went out. A step's chain is written in one transaction with its audit entry. Tables:
 * ops/serve/alerts/migrations.ts.
 */
import type Database from 'better-sqlite3';
import type { AlertChain, AlertRevision, AlertState } from './alert-machine.js';

type Db = Database.Database;

export interface AlertSummary { id: string; state: AlertState; audience: string; headline: string; updatedAt: number }

export class AlertStore {
  private readonly putChain;
  private readonly putRevision;
  private readonly getChain;
  private readonly getRevisions;
  private readonly listStmt;

  constructor(private readonly db: Db) {
    this.putChain = db.prepare(`INSERT INTO alert_chains (id, state, audience, headline, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET state = excluded.state, audience = excluded.audience, headline = excluded.headline, updated_at = excluded.updated_at`);
    this.putRevision = db.prepare('INSERT INTO alert_revisions (chain_id, n, body) VALUES (?, ?, ?) ON CONFLICT(chain_id, n) DO UPDATE SET body = excluded.body');
    this.getChain = db.prepare<[string], { id: string; state: string; audience: string; headline: string }>('SELECT * FROM alert_chains WHERE id = ?');
    this.getRevisions = db.prepare<[string], { body: string }>('SELECT body FROM alert_revisions WHERE chain_id = ? ORDER BY n');
    this.listStmt = db.prepare<[number], { id: string; state: string; audience: string; headline: string; updated_at: number }>('SELECT * FROM alert_chains ORDER BY updated_at DESC LIMIT ?');
  }

  get(id: string): AlertChain | null {
    const c = this.getChain.get(id);
    if (!c) return null;
    return { id: c.id, state: c.state as AlertState, audience: c.audience, headline: c.headline, revisions: this.getRevisions.all(id).map((r) => JSON.parse(r.body) as AlertRevision) };
  }

  /** Writes the chain and its revisions; `also` runs in the same transaction (the audit entry). */
  save(c: AlertChain, at: number, also: () => void = () => {}): void {
    this.db.transaction(() => {
      this.putChain.run(c.id, c.state, c.audience, c.headline, at);
      for (const r of c.revisions) this.putRevision.run(c.id, r.n, JSON.stringify(r));
      also();
    })();
  }

  list(limit = 100): AlertSummary[] {
    return this.listStmt.all(limit).map((r) => ({ id: r.id, state: r.state as AlertState, audience: r.audience, headline: r.headline, updatedAt: r.updated_at }));
  }
}
