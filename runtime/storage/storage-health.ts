/**
 * Storage health (docs/security.md §Storage): free space in the data directory, and whether the
 * last database write failed because the disk is full. A full disk is a storage condition, never
 * a device fault: the pole keeps running, what it cannot store is logged, and the `storage` entry
 * of the health registry (birth message, retained state, console `status`) says why. It cannot be
 * an outbox event, since the outbox is the database that is full.
 */
import { statfsSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Health } from '../health.js';

export interface FreeSpace {
  /** Blocks free to an unprivileged process, block size, total blocks (statfs(2)). */
  bavail: number;
  bsize: number;
  blocks: number;
}

export interface StorageHealthConfig {
  dataDir: string;
  warnFreeMB: number;
  downFreeMB: number;
}

export interface StorageHealthDeps {
  logger: Logger;
  now: () => number;
  /** statfs of a directory; default node:fs statfsSync. Tests inject one. */
  statfs?: (dir: string) => FreeSpace;
}

/** Whether a write failed because the disk (or its quota) is full: SQLite's SQLITE_FULL or the OS's ENOSPC/EDQUOT. */
export function isDiskFull(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return true;
  return e instanceof Error && /database or disk is full|no space left on device/i.test(e.message);
}

export class StorageHealth {
  readonly stats = { fullWrites: 0, lastFullAt: 0 };
  private full: { at: number; message: string } | null = null;
  private readonly log: Logger;
  private readonly statfs: (dir: string) => FreeSpace;
  /** Errors already counted: one failed write seen by the outbox and again by its caller counts once. */
  private readonly seen = new WeakSet<object>();

  constructor(private readonly cfg: StorageHealthConfig, private readonly d: StorageHealthDeps) {
    this.log = d.logger.child({ service: 'storage' });
    this.statfs = d.statfs ?? statfsSync;
  }

  /**
   * Looks at an error a write threw: when it is a full disk, storage turns down (logged once per
   * episode) and true is returned, so the caller drops what it could not store instead of treating
   * it as a device or message fault. Other errors return false and are the caller's to handle.
   */
  writeFailed(e: unknown): boolean {
    if (!isDiskFull(e)) return false;
    if (typeof e === 'object' && e !== null) {
      if (this.seen.has(e)) return true;
      this.seen.add(e);
    }
    this.stats.fullWrites++;
    this.stats.lastFullAt = this.d.now();
    if (!this.full) this.log.error({ code: 'SP_STORAGE_FULL', err: (e as Error).message, dataDir: this.cfg.dataDir }, 'disk full: database writes fail; what cannot be stored is dropped');
    this.full = { at: this.d.now(), message: (e as Error).message };
    return true;
  }

  /** A write committed: the disk has room again. */
  writeOk(): void {
    if (!this.full) return;
    this.log.warn({ dataDir: this.cfg.dataDir, failedWrites: this.stats.fullWrites }, 'database writes succeed again after disk full');
    this.full = null;
  }

  health(): Health {
    let free: { freeMB: number; totalMB: number } | null = null;
    let statError: string | undefined;
    try {
      const s = this.statfs(this.cfg.dataDir);
      free = { freeMB: Math.floor((s.bavail * s.bsize) / 2 ** 20), totalMB: Math.floor((s.blocks * s.bsize) / 2 ** 20) };
    } catch (e) {
      statError = (e as Error).message;
    }
    const base = { dataDir: this.cfg.dataDir, ...free, warnFreeMB: this.cfg.warnFreeMB, downFreeMB: this.cfg.downFreeMB, fullWrites: this.stats.fullWrites };
    if (this.full) {
      return { ...base, status: 'down', code: 'SP_STORAGE_FULL', since: new Date(this.full.at).toISOString(), detail: `disk full: database writes fail (${this.full.message}); free space in ${this.cfg.dataDir}` };
    }
    if (!free) return { ...base, status: 'degraded', detail: `free space of ${this.cfg.dataDir} unknown: ${statError}` };
    if (free.freeMB < this.cfg.downFreeMB) return { ...base, status: 'down', code: 'SP_STORAGE_FULL', detail: `only ${free.freeMB} MiB free in ${this.cfg.dataDir} (down below ${this.cfg.downFreeMB} MiB): writes are about to fail` };
    if (free.freeMB < this.cfg.warnFreeMB) return { ...base, status: 'degraded', detail: `${free.freeMB} MiB free in ${this.cfg.dataDir} (warn below ${this.cfg.warnFreeMB} MiB)` };
    return { ...base, status: 'ok', detail: `${free.freeMB} MiB free of ${free.totalMB} MiB in ${this.cfg.dataDir}` };
  }
}

export function createStorageHealth(cfg: StorageHealthConfig, deps: StorageHealthDeps): StorageHealth {
  return new StorageHealth(cfg, deps);
}
