/**
 * The console's own SQLite store (better-sqlite3, WAL, synchronous FULL): users, sessions, the
 * audit log, the fleet as last heard, notices and their delivery. Migrations are named, applied in
 * list order once each, each in its own transaction (docs/ops-console.md §Tables).
 */
import { openSqlite, type Db } from '../../runtime/storage/database.js';

export type OpsDb = Db;

/** One schema step. `name` is unique and never changes once released; add new steps at the end of an area's list. */
export interface Migration {
  name: string;
  sql: string;
}

export function openOpsStore(file: string, migrations: readonly Migration[]): OpsDb {
  const db = openSqlite(file);
  migrateOps(db, migrations);
  return db;
}

/** Applies the migrations not yet applied; returns how many ran. */
export function migrateOps(db: OpsDb, migrations: readonly Migration[]): number {
  db.exec('CREATE TABLE IF NOT EXISTS ops_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const names = new Set<string>();
  for (const m of migrations) {
    if (names.has(m.name)) throw new Error(`migration ${m.name} is listed twice`);
    names.add(m.name);
  }
  const applied = new Set(db.prepare('SELECT name FROM ops_migrations').pluck().all() as string[]);
  let n = 0;
  for (const m of migrations) {
    if (applied.has(m.name)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO ops_migrations (name, applied_at) VALUES (?, ?)').run(m.name, new Date().toISOString());
    })();
    n++;
  }
  return n;
}

export function closeOpsStore(db: OpsDb): void {
  if (!db.open) return;
  try { db.pragma('wal_checkpoint(TRUNCATE)'); } catch { /* read-only or busy: closing is enough */ }
  db.close();
}
