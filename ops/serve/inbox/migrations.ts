/** The inbox area's tables (docs/ops-console.md §Tables): names never change once committed; add steps at the end. */
import type { Migration } from '../store.js';

export const INBOX_MIGRATIONS: readonly Migration[] = [
  {
    name: 'inbox-001-messages',
    sql: `
CREATE TABLE inbox_messages (
  pole_id TEXT NOT NULL,
  ticket TEXT NOT NULL,
  category TEXT NOT NULL,
  problem TEXT NOT NULL,
  category_name TEXT NOT NULL,
  problem_name TEXT NOT NULL,
  text TEXT,
  address TEXT NOT NULL,
  lat REAL NOT NULL,
  lon REAL NOT NULL,
  area_code TEXT,
  lang TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  status TEXT NOT NULL,
  department TEXT,
  assigned_at INTEGER,
  reply TEXT,
  reply_version INTEGER,
  first_reply_at INTEGER,
  reply_at INTEGER,
  replied_by TEXT,
  rating TEXT,
  rated_at INTEGER,
  PRIMARY KEY (pole_id, ticket)
);
CREATE INDEX inbox_by_time ON inbox_messages (received_at DESC);
CREATE INDEX inbox_by_department ON inbox_messages (department, created_at);
`,
  },
];
