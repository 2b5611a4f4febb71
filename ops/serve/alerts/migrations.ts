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
];
