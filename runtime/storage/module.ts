/**
 * The storage area (docs/architecture.md §Modules): opens the pole's SQLite database (moving a
 * corrupt one aside, runtime/storage/recover.ts), the key-value store, and watches for a full disk;
 * owns the `storage` health entry. Other areas build their stores on `db`.
 */
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { ModuleBase } from '../module.js';
import { closeDatabase, type Db } from './database.js';
import { KvStore } from './kv.js';
import { openOrRecover, reportRecovery, type Recovery } from './recover.js';
import { createStorageHealth, type StorageHealth } from './storage-health.js';

export interface StorageModule {
  readonly db: Db;
  readonly kv: KvStore;
  /** Full-disk watch: writers tell it of failed writes (runtime/storage/storage-health.ts). */
  readonly disk: StorageHealth;
  /** Runs `run` in one transaction (the inbound router's group commit). */
  batch(run: () => void): void;
  /** Throws when the database does not answer (the watchdog's core check). */
  ping(): void;
  /** SQLite's quick_check: 'ok' or what is wrong. */
  quickCheck(): string;
  /** Reports a corrupt database found at start, once the uplink exists. */
  reportRecovery(report: Parameters<typeof reportRecovery>[0]): void;
  close(): void;
}

export function createStorage(config: Readonly<Config>, d: Pick<ModuleBase, 'logger' | 'now' | 'health'>): StorageModule {
  const { db, recovered } = openOrRecover(join(config.storage.dataDir, 'pole.db'), d.logger, d.now);
  const disk = createStorageHealth(config.storage, { logger: d.logger, now: d.now });
  d.health.register('storage', () => disk.health());
  const recovery: Recovery | null = recovered;
  return {
    db, kv: new KvStore(db), disk,
    batch: (run) => db.transaction(run)(),
    ping: () => { db.prepare('SELECT 1').get(); },
    quickCheck: () => String(db.pragma('quick_check', { simple: true })),
    reportRecovery: (report) => reportRecovery(report, recovery),
    close: () => closeDatabase(db),
  };
}
