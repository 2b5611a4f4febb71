import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { closeDatabase, openDatabase } from '../storage/database.js';
import { MIGRATIONS } from '../storage/migrations.js';
import { FeedbackStore } from './feedback-store.js';

describe('feedback tables across the status/rating migration', () => {
  it('keeps a reply stored before it, without department or steps, and rates it after', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sp-fb-mig-')), 'pole.db');
    // A pole's database as it was before migration 55.
    const old = new Database(file);
    old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of MIGRATIONS.filter((x) => x.version !== 55)) {
      old.exec(m.sql);
      old.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, '2026-11-01T00:00:00Z');
    }
    old.prepare('INSERT INTO feedback_replies (ticket, issuer, version, status, reply, received_at) VALUES (?, ?, ?, ?, ?, ?)').run('263310047', 'ops', 1, 'resolved', JSON.stringify({ zh: '已修复' }), 1000);
    old.close();
    const db = openDatabase(file);
    const store = new FeedbackStore(db);
    expect(store.reply('263310047')).toMatchObject({ status: 'resolved', reply: { zh: '已修复' }, department: null });
    expect(store.steps('263310047')).toEqual([]);
    expect(store.addRating({ ticket: '263310047', rating: 'satisfied', reply: { issuer: 'ops', version: 1, status: 'resolved' }, ratedAt: 2000 })).toBe(true);
    expect(store.addRating({ ticket: '263310047', rating: 'dissatisfied', reply: { issuer: 'ops', version: 1, status: 'resolved' }, ratedAt: 3000 })).toBe(false);
    expect(store.rating('263310047')?.rating).toBe('satisfied');
    closeDatabase(db);
  });
});
