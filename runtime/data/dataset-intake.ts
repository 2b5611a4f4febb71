/**
 * Signed data sets from MQTT into the DataSetStore (docs/mqtt-api.md §Data sets and replies): retained
 * `data/{name}` for every pole and `poles/{id}/data/{name}` for this one (which wins in
 * DataSetStore.get). Versions are kept per audience and shared by all issuers (no rollback across
 * keys; docs/security.md §Versions), stored with the data in one transaction, and every outcome gets
 * a receipt. Optional content validators per data set name let the UI that reads a data set refuse
 * content it could not show, before it replaces good data.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import { DataSetPayload } from '../../protocols/dataset.js';
import type { Db } from '../storage/database.js';
import type { MessageGate } from '../trust/message-gate.js';
import { refuseAtIntake } from '../trust/refusal.js';
import type { Reporter } from '../uplink/reporter.js';
import type { DataSetStore } from './dataset-store.js';

export interface DataSetIntakeOptions {
  db: Db;
  gate: MessageGate;
  store: DataSetStore;
  reporter: Reporter;
  logger: Logger;
  now: () => number;
  /** Content schemas by data set name; names without one accept any JSON. */
  validators?: ReadonlyMap<string, z.ZodType>;
}

export class DataSetIntake {
  readonly stats = { accepted: 0, rejected: 0, duplicates: 0 };
  private readonly log: Logger;
  private readonly validators: Map<string, z.ZodType>;

  constructor(private readonly o: DataSetIntakeOptions) {
    this.log = o.logger.child({ service: 'datasets' });
    this.validators = new Map(o.validators ?? []);
  }

  /** Lets the UI that reads a data set declare its content schema. */
  setValidator(name: string, schema: z.ZodType): void {
    this.validators.set(name, schema);
  }

  handle(topic: string, name: string, scope: 'all' | 'pole', raw: Buffer): void {
    const r = this.o.gate.open(raw, DataSetPayload, 'dataset', topic, name, { anyIssuer: true });
    if (!r.ok) {
      refuseAtIntake({ db: this.o.db, reporter: this.o.reporter, log: this.log, stats: this.stats }, r, { kind: 'dataset', topic, topicId: name });
      return;
    }
    const p = r.payload;
    const content = this.validators.get(name)?.safeParse(p.data);
    this.o.db.transaction(() => {
      r.commit();
      if (content && !content.success) {
        const i = content.error.issues[0];
        const detail = `data.${i?.path.join('.') || '(root)'}: ${i?.message}`;
        this.stats.rejected++;
        this.o.reporter.refusal(
          { code: 'SP_MSG_SCHEMA', severity: 'warning', message: `data set ${name}: content does not match its schema`, detail, topic, issuer: r.issuer, id: name, version: p.version },
          { kind: 'dataset', id: name, issuer: r.issuer, version: p.version, status: 'rejected', code: 'SP_MSG_SCHEMA', reason: detail },
        );
        return;
      }
      this.o.store.put({
        name, scope, issuer: r.issuer, version: p.version, issuedAt: p.issuedAt,
        expiresAt: p.expiresAt ? Date.parse(p.expiresAt) : null, data: content ? content.data : p.data, receivedAt: this.o.now(),
      });
      this.stats.accepted++;
      this.o.reporter.receipt({ kind: 'dataset', id: name, issuer: r.issuer, version: p.version, status: 'accepted' });
    })();
    this.log.info({ name, scope, version: p.version, issuer: r.issuer }, 'data set received');
  }
}
