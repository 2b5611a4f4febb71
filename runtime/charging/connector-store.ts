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
  constructor(private readonly db: Db) {}

  get(connector: number): ConnectorState {
    const r = this.db.prepare('SELECT operative, finishing, auth FROM charging_connectors WHERE connector = ?').get(connector) as
      { operative: number; finishing: number; auth: string | null } | undefined;
    if (!r) return { operative: true, finishing: false, auth: null };
    return { operative: r.operative === 1, finishing: r.finishing === 1, auth: r.auth ? (JSON.parse(r.auth) as Authorization) : null };
  }

  set(connector: number, patch: Partial<ConnectorState>): ConnectorState {
    const next = { ...this.get(connector), ...patch };
    this.db.prepare(`INSERT INTO charging_connectors (connector, operative, finishing, auth) VALUES (?, ?, ?, ?)
      ON CONFLICT(connector) DO UPDATE SET operative = excluded.operative, finishing = excluded.finishing, auth = excluded.auth`)
      .run(connector, next.operative ? 1 : 0, next.finishing ? 1 : 0, next.auth ? JSON.stringify(next.auth) : null);
    return next;
  }
}
