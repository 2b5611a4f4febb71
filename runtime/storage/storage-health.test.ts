import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testLogger } from '../../test/helpers/logger.js';
import { openDatabase, type Db } from './database.js';
import { isDiskFull, StorageHealth, type FreeSpace } from './storage-health.js';
import { Outbox } from '../uplink/outbox.js';
import { InboundRouter } from '../inbound-router.js';

const MiB = 2 ** 20;
function setup(freeMB = 1000) {
  let free: FreeSpace | Error = { bavail: freeMB * 256, bsize: 4096, blocks: 4096 * 256 };
  const s = new StorageHealth({ dataDir: '/data', warnFreeMB: 256, downFreeMB: 32 }, {
    logger: testLogger(), now: () => 1_700_000_000_000,
    statfs: () => { if (free instanceof Error) throw free; return free; },
  });
  return { s, setFree: (mb: number | Error) => { free = mb instanceof Error ? mb : { bavail: (mb * MiB) / 4096, bsize: 4096, blocks: 4096 * 256 }; } };
}

/** A database on disk that SQLite itself refuses to grow: writes fail with SQLITE_FULL, as on a full disk. */
function cappedDb(): { db: Db; cap: () => void; uncap: () => void } {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'sp-storage-')), 'pole.db'));
  return {
    db,
    cap: () => { db.pragma('wal_checkpoint(TRUNCATE)'); db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`); },
    uncap: () => { db.pragma('max_page_count = 1073741823'); },
  };
}

describe('StorageHealth', () => {
  it('reports free space with warn and down thresholds from statfs', () => {
    const { s, setFree } = setup();
    expect(s.health()).toMatchObject({ status: 'ok', freeMB: 1000, totalMB: 4096, detail: '1000 MiB free of 4096 MiB in /data' });
    setFree(100);
    expect(s.health()).toMatchObject({ status: 'degraded', freeMB: 100, detail: expect.stringContaining('warn below 256 MiB') });
    setFree(10);
    expect(s.health()).toMatchObject({ status: 'down', code: 'SP_STORAGE_FULL', freeMB: 10 });
    setFree(new Error('EACCES'));
    expect(s.health()).toMatchObject({ status: 'degraded', detail: expect.stringContaining('EACCES') });
  });

  it('turns down on a disk-full write and back when a write succeeds', () => {
    const { s } = setup();
    expect(s.writeFailed(Object.assign(new Error('constraint'), { code: 'SQLITE_CONSTRAINT' }))).toBe(false);
    expect(s.health().status).toBe('ok');
    expect(s.writeFailed(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))).toBe(true);
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    expect(s.writeFailed(full)).toBe(true);
    expect(s.writeFailed(full)).toBe(true); // the same failure seen again by the caller counts once
    expect(s.health()).toMatchObject({ status: 'down', code: 'SP_STORAGE_FULL', fullWrites: 2, detail: expect.stringContaining('disk full') });
    s.writeOk();
    expect(s.health()).toMatchObject({ status: 'ok', fullWrites: 2 });
  });

  it('knows a full disk by SQLite code, OS code or message', () => {
    expect(isDiskFull({ code: 'SQLITE_FULL' })).toBe(true);
    expect(isDiskFull({ code: 'ENOSPC' })).toBe(true);
    expect(isDiskFull(new Error('ENOSPC: no space left on device, write'))).toBe(true);
    expect(isDiskFull(new Error('SQLITE_BUSY'))).toBe(false);
    expect(isDiskFull(null)).toBe(false);
  });

  it('an outbox write on a full database drops the record, counts it and reports storage, without throwing', () => {
    const { s } = setup();
    const { db, cap, uncap } = cappedDb();
    const ob = new Outbox(db, { storage: s });
    expect(ob.enqueue('t', { n: 1 }, 'event')).toBeGreaterThan(0);
    cap();
    let seq = -1;
    for (let i = 0; i < 50 && seq !== 0; i++) seq = ob.enqueue('t', { big: 'x'.repeat(64 * 1024) }, 'audit');
    expect(seq).toBe(0);
    expect(ob.stats.droppedByClass.audit).toBeGreaterThanOrEqual(1);
    expect(s.health()).toMatchObject({ status: 'down', code: 'SP_STORAGE_FULL' });
    // Never-dropped records and records inside the caller's transaction are the caller's to roll back.
    expect(() => ob.enqueue('t', { big: 'x'.repeat(256 * 1024) }, 'charging')).toThrow(expect.objectContaining({ code: 'SQLITE_FULL' }));
    expect(() => db.transaction(() => ob.enqueue('t', { big: 'x'.repeat(256 * 1024) }, 'event'))()).toThrow(expect.objectContaining({ code: 'SQLITE_FULL' }));
    uncap();
    expect(ob.enqueue('t', { n: 2 }, 'event')).toBeGreaterThan(0);
    expect(s.health().status).toBe('ok');
    db.close();
  });

  it('a message whose handler hits a full disk is a storage condition, not a handler fault', async () => {
    const { s } = setup();
    const { db, cap } = cappedDb();
    db.exec('CREATE TABLE blob (b BLOB)');
    const router = new InboundRouter({ prefix: 'city', poleId: 'p1', logger: testLogger(), storage: s, batch: (run) => db.transaction(run)() })
      .on('notice', () => { db.prepare('INSERT INTO blob VALUES (?)').run(Buffer.alloc(256 * 1024)); });
    cap();
    router.dispatch('city/notices/all/n1', Buffer.from('{}'), false);
    await router.flush();
    expect(router.stats.failed).toBeGreaterThanOrEqual(1);
    expect(s.health()).toMatchObject({ status: 'down', code: 'SP_STORAGE_FULL' });
    db.close();
  });
});
