/**
 * NoticeIntake: notice topics → MessageGate → NoticeStore, with a receipt for every outcome
 * and a security event for every refusal (design.md data flow 1; issue 5 §2–3).
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { NoticeMessage } from '../../protocols/notice.js';
import type { NoticeTarget } from '../../protocols/topics.js';
import type { Db } from '../storage/database.js';
import type { MessageGate } from '../trust/message-gate.js';
import { TrustErrors } from '../trust/errors.js';
import type { Reporter } from '../uplink/reporter.js';
import type { NoticeStore } from './notice-store.js';

export interface NoticeIntakeOptions {
  db: Db;
  gate: MessageGate;
  store: NoticeStore;
  reporter: Reporter;
  logger: Logger;
  now: () => number;
}

export class NoticeIntake extends EventEmitter<{ changed: [] }> {
  readonly stats = { accepted: 0, withdrawn: 0, rejected: 0, duplicates: 0 };
  private readonly log: Logger;

  constructor(private readonly o: NoticeIntakeOptions) {
    super();
    this.log = o.logger.child({ service: 'notices' });
  }

  handle(topic: string, target: NoticeTarget, topicId: string, raw: Buffer): void {
    const r = this.o.gate.open(raw, NoticeMessage, 'notice', topicId);
    if (!r.ok) {
      if (r.code === 'SP_MSG_DUPLICATE') {
        this.stats.duplicates++;
        this.log.debug({ topic, id: r.id }, 'notice already held');
        return;
      }
      this.stats.rejected++;
      this.log.warn({ topic, code: r.code, detail: r.detail, kid: r.kid }, 'notice refused');
      this.o.reporter.event({ code: r.code, severity: 'security', message: TrustErrors[r.code].message, detail: r.detail, topic, kid: r.kid, id: r.id ?? topicId });
      this.o.reporter.receipt({ kind: 'notice', id: r.id ?? topicId, issuer: r.issuer, version: r.version, status: 'rejected', code: r.code, reason: r.detail });
      return;
    }
    const p = r.payload;
    const now = this.o.now();
    if (p.type === 'notice.withdraw') {
      const withdrawn = this.o.db.transaction(() => {
        const w = this.o.store.withdraw(r.issuer, p.id, p.version, now);
        r.commit();
        return w;
      })();
      this.stats.withdrawn++;
      this.log.info({ id: p.id, issuer: r.issuer, wasShowing: withdrawn }, 'notice withdrawn');
      this.o.reporter.receipt({ kind: 'notice', id: p.id, issuer: r.issuer, version: p.version, status: 'withdrawn' });
    } else {
      this.o.db.transaction(() => {
        this.o.store.upsert(r.issuer, topic, p, now);
        r.commit();
      })();
      this.stats.accepted++;
      this.log.info({ id: p.id, issuer: r.issuer, version: p.version, priority: p.priority, scope: target.scope }, 'notice accepted');
      this.o.reporter.receipt({ kind: 'notice', id: p.id, issuer: r.issuer, version: p.version, status: 'accepted' });
    }
    this.emit('changed');
  }
}
