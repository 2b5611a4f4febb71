/**
 * Data sets for the query UI (services directory, transit, weather, …), stored locally with their
 * versions so the screen works offline (docs/datasets.md, docs/mqtt-api.md §Data sets and replies).
 * Signed data sets arrive on
 * `data/{name}` (all poles) and `poles/{id}/data/{name}` (this pole, which wins); the simulator and
 * first boot may seed them from files.
 */
import { EventEmitter } from 'node:events';
import type { Db } from '../storage/database.js';

export type DataSetScope = 'all' | 'pole';

export interface DataSet<T = unknown> {
  name: string;
  scope: DataSetScope;
  issuer: string;
  version: number;
  issuedAt: string;
  expiresAt: number | null;
  data: T;
  receivedAt: number;
}

interface Row { name: string; scope: DataSetScope; issuer: string; version: number; issued_at: string; expires_at: number | null; data: string; received_at: number }

export class DataSetStore extends EventEmitter<{ changed: [name: string] }> {
  private readonly putStmt;
  private readonly getStmt;
  private readonly listStmt;

  constructor(db: Db) {
    super();
    this.putStmt = db.prepare(`INSERT INTO datasets (name, scope, issuer, version, issued_at, expires_at, data, received_at)
      VALUES (@name, @scope, @issuer, @version, @issuedAt, @expiresAt, @data, @receivedAt)
      ON CONFLICT(name, scope) DO UPDATE SET issuer = excluded.issuer, version = excluded.version, issued_at = excluded.issued_at,
        expires_at = excluded.expires_at, data = excluded.data, received_at = excluded.received_at`);
    this.getStmt = db.prepare<[string], Row>("SELECT * FROM datasets WHERE name = ? ORDER BY CASE scope WHEN 'pole' THEN 0 ELSE 1 END");
    this.listStmt = db.prepare<[], { name: string; scope: DataSetScope; version: number; issuer: string; received_at: number }>(
      'SELECT name, scope, version, issuer, received_at FROM datasets ORDER BY name, scope');
  }

  put(ds: Omit<DataSet, 'receivedAt'> & { receivedAt?: number }): void {
    this.putStmt.run({ ...ds, data: JSON.stringify(ds.data), receivedAt: ds.receivedAt ?? Date.now() });
    this.emit('changed', ds.name);
  }

  /** The effective data set: this pole's own if present and unexpired, else the all-poles one. */
  get<T = unknown>(name: string, now = Date.now()): DataSet<T> | null {
    for (const r of this.getStmt.all(name)) {
      if (r.expires_at !== null && r.expires_at <= now) continue;
      return { name: r.name, scope: r.scope, issuer: r.issuer, version: r.version, issuedAt: r.issued_at, expiresAt: r.expires_at, data: JSON.parse(r.data) as T, receivedAt: r.received_at };
    }
    return null;
  }

  list(): { name: string; scope: DataSetScope; version: number; issuer: string; receivedAt: number }[] {
    return this.listStmt.all().map((r) => ({ name: r.name, scope: r.scope, version: r.version, issuer: r.issuer, receivedAt: r.received_at }));
  }
}
