/** The fleet as last heard (docs/ops-console.md §Fleet). */
import type { Migration } from '../store.js';

export const FLEET_MIGRATIONS: readonly Migration[] = [
  {
    name: 'fleet-001-poles-events-telemetry-snapshots',
    sql: `
      CREATE TABLE poles (
        pole_id TEXT PRIMARY KEY,
        online INTEGER NOT NULL DEFAULT 0,
        bd_seq INTEGER,
        software TEXT,
        groups TEXT NOT NULL DEFAULT '[]',
        devices TEXT NOT NULL DEFAULT '{}',
        outbox_depth INTEGER,
        heartbeat_sec INTEGER,
        broker TEXT,
        lat REAL, lon REAL, address TEXT,
        birth_at TEXT,
        offline_reason TEXT,
        last_seen INTEGER,
        first_seen INTEGER NOT NULL
      );
      CREATE TABLE pole_events (
        id INTEGER PRIMARY KEY,
        pole_id TEXT NOT NULL,
        at TEXT NOT NULL,
        code TEXT NOT NULL,
        severity TEXT NOT NULL,
        message TEXT,
        body TEXT NOT NULL
      );
      CREATE INDEX pole_events_pole ON pole_events(pole_id, id);
      CREATE TABLE pole_telemetry (
        pole_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        at TEXT NOT NULL,
        vals TEXT NOT NULL,
        PRIMARY KEY (pole_id, kind)
      );
      CREATE TABLE pole_snapshots (
        pole_id TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        username TEXT NOT NULL,
        png BLOB NOT NULL
      );
    `,
  },
];
