/**
 * Typed, validated views of the stored data sets (protocols/datasets.ts). The screen reads these
 * on every page build, so a parsed value is cached until the stored data set changes. A data set
 * that fails its schema is treated as absent and logged once per version — bad data from the
 * city never breaks the screen (docs/datasets.md).
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import { DATASET_SCHEMAS, type DataSetName } from '../../protocols/datasets.js';
import type { DataSet, DataSetStore } from './dataset-store.js';

type Parsed<N extends DataSetName> = z.infer<(typeof DATASET_SCHEMAS)[N]>;

export interface TypedDataSet<T> {
  data: T;
  version: number;
  issuedAt: string;
  receivedAt: number;
}

export class TypedDataSets {
  private readonly cache = new Map<string, { key: string; value: TypedDataSet<unknown> | null }>();
  private readonly log: Logger;
  readonly stats = { invalid: 0 };

  constructor(private readonly store: DataSetStore, logger: Logger, private readonly now: () => number = Date.now) {
    this.log = logger.child({ service: 'datasets' });
    store.on('changed', (name) => this.cache.delete(name));
  }

  get<N extends DataSetName>(name: N): TypedDataSet<Parsed<N>> | null {
    const raw: DataSet | null = this.store.get(name, this.now());
    if (!raw) return null;
    const key = `${raw.scope}:${raw.issuer}:${raw.version}:${raw.receivedAt}`;
    const hit = this.cache.get(name);
    if (hit && hit.key === key) return hit.value as TypedDataSet<Parsed<N>> | null;
    const r = DATASET_SCHEMAS[name].safeParse(raw.data);
    let value: TypedDataSet<Parsed<N>> | null = null;
    if (r.success) {
      value = { data: r.data as Parsed<N>, version: raw.version, issuedAt: raw.issuedAt, receivedAt: raw.receivedAt };
    } else {
      this.stats.invalid++;
      const issue = r.error.issues[0];
      this.log.warn({ dataset: name, version: raw.version, issuer: raw.issuer, path: issue?.path.join('.'), err: issue?.message }, 'stored data set does not match its schema; ignored');
    }
    this.cache.set(name, { key, value });
    return value;
  }
}
