import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeOpsStore, migrateOps, openOpsStore } from './store.js';
import { allMigrations } from './migrations.js';

describe('ops console store', () => {
  it('opens on disk in WAL mode, applies every migration once, and again nothing on reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ops-store-'));
    try {
      const file = join(dir, 'ops.db');
      const db = openOpsStore(file, allMigrations());
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const names = db.prepare('SELECT name FROM ops_migrations ORDER BY rowid').pluck().all();
      expect(names).toEqual(allMigrations().map((m) => m.name));
      db.prepare("INSERT INTO audit (at, action) VALUES ('x', 'test')").run();
      closeOpsStore(db);
      const again = openOpsStore(file, allMigrations());
      expect(again.prepare('SELECT count(*) FROM audit').pluck().get()).toBe(1);
      expect(again.prepare('SELECT count(*) FROM ops_migrations').pluck().get()).toBe(allMigrations().length);
      closeOpsStore(again);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('adds a new step to an existing store, and refuses a list naming a step twice', () => {
    const db = openOpsStore(':memory:', [{ name: 'a-001', sql: 'CREATE TABLE a (x)' }]);
    expect(migrateOps(db, [{ name: 'a-001', sql: 'CREATE TABLE a (x)' }, { name: 'a-002', sql: 'ALTER TABLE a ADD COLUMN y' }])).toBe(1);
    expect(() => migrateOps(db, [{ name: 'b', sql: '' }, { name: 'b', sql: '' }])).toThrow(/twice/);
  });
  it('a failing step leaves nothing behind', () => {
    expect(() => openOpsStore(':memory:', [{ name: 'bad', sql: 'CREATE TABLE t (x); SELECT nonsense FROM nowhere' }])).toThrow();
  });
});
