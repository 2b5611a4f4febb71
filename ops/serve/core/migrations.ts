/** Users, sessions and the audit log (docs/ops-console.md §Users). */
import type { Migration } from '../store.js';

export const CORE_MIGRATIONS: readonly Migration[] = [
  {
    name: 'core-001-users-sessions-audit',
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('editor', 'approver', 'administrator')),
        department TEXT,
        password_hash TEXT NOT NULL,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER NOT NULL DEFAULT 0,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        csrf TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        ip TEXT
      );
      CREATE INDEX sessions_user ON sessions(user_id);
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        username TEXT,
        action TEXT NOT NULL,
        object_type TEXT,
        object_id TEXT,
        detail TEXT
      );
      CREATE INDEX audit_object ON audit(object_type, object_id);
    `,
  },
];
