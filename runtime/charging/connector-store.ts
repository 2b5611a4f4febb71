/**
 * Connector state that must survive a restart (table charging_connectors): set inoperative by
 * operations, "finishing" (a session stopped while the car is still plugged — free vend must not
 * start another for the same car), and an authorization waiting for a car.
 */
import type { Db } from '../storage/database.js';

export interface Authorization {
  source: 'command' | 'payment';
  idTag?: string;
  paymentRef?: string;
  paymentAmount?: number;
  limitWh?: number;
  principal?: string;
  expiresAt: number;
}

export interface ConnectorState {
  operative: boolean;
  finishing: boolean;
  auth: Authorization | null;
}

export class ConnectorStore {
  private readonly getStmt;
  private readonly setStmt;
  /** Write-through cache: the service reads this several times per poll. */
  private readonly cache = new Map<number, ConnectorState>();

  constructor(db: Db) {
    this.getStmt = db.prepare<[number], { operative: number; finishing: number; auth: string | null }>('SELECT operative, finishing, auth FROM charging_connectors WHERE connector = ?');
    this.setStmt = db.prepare(`INSERT INTO charging_connectors (connector, operative, finishing, auth) VALUES (?, ?, ?, ?)
      ON CONFLICT(connector) DO UPDATE SET operative = excluded.operative, finishing = excluded.finishing, auth = excluded.auth`);
  }

  get(connector: number): ConnectorState {
    const hit = this.cache.get(connector);
    if (hit) return { ...hit };
    const r = this.getStmt.get(connector);
    const st = r ? { operative: r.operative === 1, finishing: r.finishing === 1, auth: r.auth ? (JSON.parse(r.auth) as Authorization) : null } : { operative: true, finishing: false, auth: null };
    this.cache.set(connector, st);
    return { ...st };
  }

  set(connector: number, patch: Partial<ConnectorState>): ConnectorState {
    const next = { ...this.get(connector), ...patch };
    this.setStmt.run(connector, next.operative ? 1 : 0, next.finishing ? 1 : 0, next.auth ? JSON.stringify(next.auth) : null);
    // Cached only once written; inside a caller's transaction that rolls back, drop it instead.
    this.cache.delete(connector);
    return next;
  }
}
