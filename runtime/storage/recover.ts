/**
 * A corrupt database at start (docs/security.md §Versions; docs/errors.md §Storage): the file (and
 * its -wal/-shm) is moved aside as `pole.db.corrupt-<time>` for later analysis, the pole starts
 * with a clean database, and raises an alarm so the city knows. What is lost with it: notices and
 * data sets (the broker's retained copies come back on connect), the outbox, the command journal,
 * and the version registry — so rollback protection restarts from the retained state; the trust
 * list in force comes back from `trust/list` too. Detected by opening, migrating and
 * `PRAGMA quick_check`; anything else that fails to open still fails the start.
 */
import { existsSync, renameSync } from 'node:fs';
import type { Logger } from 'pino';
import { openDatabase, type Db } from './database.js';

export interface Recovery {
  movedTo: string;
  reason: string;
}

const CORRUPT = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_INDEX']);

function check(file: string): Db {
  const db = openDatabase(file);
  const result = db.pragma('quick_check', { simple: true });
  if (result !== 'ok') {
    db.close();
    throw Object.assign(new Error(`quick_check: ${String(result).slice(0, 200)}`), { code: 'SQLITE_CORRUPT' });
  }
  return db;
}

export function openOrRecover(file: string, logger: Logger, now = Date.now): { db: Db; recovered: Recovery | null } {
  try {
    return { db: check(file), recovered: null };
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (!CORRUPT.has(code)) throw e;
    const movedTo = `${file}.corrupt-${new Date(now()).toISOString().replaceAll(':', '')}`;
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(file + suffix)) renameSync(file + suffix, movedTo + suffix);
    logger.fatal({ code: 'SP_STORAGE_CORRUPT', file, movedTo, reason: (e as Error).message }, 'database corrupt: moved aside, starting clean');
    return { db: openDatabase(file), recovered: { movedTo, reason: (e as Error).message } };
  }
}

/** The alarm for a recovery, once the uplink exists. */
export function reportRecovery(report: (e: { code: string; severity: 'alarm'; message: string; [k: string]: unknown }) => unknown, r: Recovery | null): void {
  if (r) report({ code: 'SP_STORAGE_CORRUPT', severity: 'alarm', message: 'the database was corrupt at start: moved aside, the pole started clean', movedTo: r.movedTo, reason: r.reason });
}
