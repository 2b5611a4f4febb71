/** Notices the console sent and their delivery per pole (docs/ops-console.md §Notices). */
import type { Migration } from '../store.js';

export const NOTICE_MIGRATIONS: readonly Migration[] = [
  {
    name: 'notices-001-notices-deliveries',
    sql: `
      CREATE TABLE notices (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('sent', 'withdrawn')),
        targets TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_by TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        withdrawn_by TEXT,
        withdrawn_at TEXT,
        withdraw_reason TEXT
      );
      CREATE TABLE delivery_tracked (
        msg_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        version INTEGER NOT NULL,
        withdraw_version INTEGER,
        sent_ms INTEGER NOT NULL
      );
      CREATE TABLE deliveries (
        msg_id TEXT NOT NULL,
        pole_id TEXT NOT NULL,
        status TEXT NOT NULL,
        code TEXT,
        reason TEXT,
        accepted_at TEXT,
        displayed_at TEXT,
        first_receipt_ms INTEGER,
        updated_at TEXT,
        plays INTEGER NOT NULL DEFAULT 0,
        seconds INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (msg_id, pole_id)
      );
      CREATE INDEX deliveries_pole ON deliveries(pole_id);
    `,
  },
];
