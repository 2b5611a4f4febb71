/**
 * Connector state that must survive a restart (table charging_connectors): set inoperative by
 * operations, "finishing" (a session stopped while the car is still plugged — free vend must not
 * start another for the same car), an authorization waiting for a car, and which car is plugged in
 * (docs/charging.md §Which car).
 */
import type { Db } from '../storage/database.js';

export interface Authorization {
  source: 'command' | 'payment';
  idTag?: string;
  paymentRef?: string;
  paymentAmount?: number;
  limitWh?: number;
  principal?: string;
  /** The plug-in this authorization is for (a payment made at that car): void once another car is there. */
  plugIn?: number;
  expiresAt: number;
}

export interface ConnectorState {
  operative: boolean;
  finishing: boolean;
  auth: Authorization | null;
  /** The pole's number for the latest car it saw plugged in (counts up from 1). */
  plugIn: number;
  /** That car is still plugged in, as last seen. */
  plugged: boolean;
  /** The controller's time-in-state-C for that car, as last saved (at most 30 s old). */
  chargeSec: number;
}

export class ConnectorStore {
  private readonly getStmt;
  private readonly setStmt;
  /** Write-through cache: the service reads this several times per poll. */
  private readonly cache = new Map<number, ConnectorState>();

  constructor(db: Db) {
    this.getStmt = db.prepare<[number], { operative: number; finishing: number; auth: string | null; plug_in: number; plugged: number; charge_sec: number }>(
      'SELECT operative, finishing, auth, plug_in, plugged, charge_sec FROM charging_connectors WHERE connector = ?');
    this.setStmt = db.prepare(`INSERT INTO charging_connectors (connector, operative, finishing, auth, plug_in, plugged, charge_sec) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(connector) DO UPDATE SET operative = excluded.operative, finishing = excluded.finishing, auth = excluded.auth,
        plug_in = excluded.plug_in, plugged = excluded.plugged, charge_sec = excluded.charge_sec`);
  }

  get(connector: number): ConnectorState {
    const hit = this.cache.get(connector);
    if (hit) return { ...hit };
    const r = this.getStmt.get(connector);
    const st: ConnectorState = r
      ? { operative: r.operative === 1, finishing: r.finishing === 1, auth: r.auth ? (JSON.parse(r.auth) as Authorization) : null, plugIn: r.plug_in, plugged: r.plugged === 1, chargeSec: r.charge_sec }
      : { operative: true, finishing: false, auth: null, plugIn: 0, plugged: false, chargeSec: 0 };
    this.cache.set(connector, st);
    return { ...st };
  }

  set(connector: number, patch: Partial<ConnectorState>): ConnectorState {
    const next = { ...this.get(connector), ...patch };
    this.setStmt.run(connector, next.operative ? 1 : 0, next.finishing ? 1 : 0, next.auth ? JSON.stringify(next.auth) : null, next.plugIn, next.plugged ? 1 : 0, next.chargeSec);
    // Cached only once written; inside a caller's transaction that rolls back, drop it instead.
    this.cache.delete(connector);
    return next;
  }
}
