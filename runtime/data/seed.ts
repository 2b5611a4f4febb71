/**
 * Seeds data sets from files (the simulator's Wuhan sample, or a pole's first boot) into the
 * DataSetStore — only those absent, so data the city has pushed is never overwritten by a seed.
 * Each file is a DataSetFile (protocols/datasets.ts): the payload a signed data set carries
 * (DataSetPayload, `id` = the data set's name), unsigned because it ships with the software.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { DATASET_SCHEMAS, DataSetFile } from '../../protocols/datasets.js';
import type { DataSetStore } from './dataset-store.js';

export interface SeedResult { seeded: string[]; skipped: string[]; invalid: { file: string; error: string }[] }

export function seedDataSets(store: DataSetStore, dir: string, issuer: string, logger: Logger, now = Date.now()): SeedResult {
  const out: SeedResult = { seeded: [], skipped: [], invalid: [] };
  const log = logger.child({ service: 'datasets' });
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    try {
      const f = DataSetFile.parse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      const data = DATASET_SCHEMAS[f.id].parse(f.data);
      if (store.get(f.id, now)) { out.skipped.push(f.id); continue; }
      store.put({
        name: f.id, scope: 'all', issuer, version: f.version, issuedAt: f.issuedAt,
        expiresAt: f.expiresAt ? Date.parse(f.expiresAt) : null, data, receivedAt: now,
      });
      out.seeded.push(f.id);
    } catch (e) {
      out.invalid.push({ file, error: (e as Error).message.slice(0, 300) });
      log.warn({ file, err: (e as Error).message.slice(0, 300) }, 'seed data set file refused');
    }
  }
  if (out.seeded.length) log.info({ seeded: out.seeded, dir }, 'data sets seeded');
  return out;
}
