/** The alerts area's tables (docs/ops-console.md §Tables): names never change once committed; add steps at the end. */
import type { Migration } from '../store.js';

export const ALERT_MIGRATIONS: readonly Migration[] = [
  {
    name: 'alerts-001-chains',
    sql: `
CREATE TABLE alert_chains (
  id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  audience TEXT NOT NULL,
  headline TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE alert_revisions (
  chain_id TEXT NOT NULL REFERENCES alert_chains(id),
  n INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (chain_id, n)
);
CREATE INDEX alert_chains_by_time ON alert_chains (updated_at DESC);
`,
  },
  {
    name: 'alerts-002-places-receipts',
    sql: `
CREATE TABLE alert_pole_places (
  pole_id TEXT PRIMARY KEY,
  groups TEXT NOT NULL,
  lat REAL,
  lon REAL,
  area_code TEXT
);
CREATE TABLE alert_receipts (
  chain_id TEXT NOT NULL,
  pole_id TEXT NOT NULL,
  status TEXT NOT NULL,
  code TEXT,
  reason TEXT,
  identifier TEXT,
  msg_type TEXT,
  at INTEGER NOT NULL,
  PRIMARY KEY (chain_id, pole_id)
);
`,
  },
];
