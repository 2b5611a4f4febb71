/**
 * NoticeIntake: notice topics → MessageGate → NoticeStore, with a receipt for every outcome and a
 * security event for every refusal (docs/architecture.md §Flow 1; docs/mqtt-api.md §What a bad message gets). A notice topic carries
 * a notice, its signed withdrawal, or a CAP alert (CapIntake). Each message is stored with its
 * version and its receipt in one transaction: a receipt says "accepted" only for what is on disk.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { NoticeMessage } from '../../protocols/notice.js';
import type { NoticeTarget } from '../../protocols/topics.js';
import type { Db } from '../storage/database.js';
import type { MessageGate } from '../trust/message-gate.js';
import { refuseAtIntake } from '../trust/refusal.js';
import type { Reporter } from '../uplink/reporter.js';
import type { NoticeStore } from './notice-store.js';
import type { CapIntake } from './cap-intake.js';
import { nextTick } from '../../lib/next-tick.js';

export interface NoticeIntakeOptions {
  db: Db;
  gate: MessageGate;
  store: NoticeStore;
  cap: CapIntake;
  reporter: Reporter;
  logger: Logger;
  now: () => number;
}

export class NoticeIntake extends EventEmitter<{ changed: [] }> {
  readonly stats = { accepted: 0, withdrawn: 0, rejected: 0, duplicates: 0, cap: 0 };
  private readonly log: Logger;
  private readonly changedSoon = nextTick(() => this.emit('changed'));

  constructor(private readonly o: NoticeIntakeOptions) {
    super();
    this.log = o.logger.child({ service: 'notices' });
  }

  handle(topic: string, target: NoticeTarget, topicId: string, raw: Buffer): void {
    const r = this.o.gate.open(raw, NoticeMessage, 'notice', topic, topicId);
    if (!r.ok) {
      refuseAtIntake({ db: this.o.db, reporter: this.o.reporter, log: this.log, stats: this.stats }, r, { kind: 'notice', topic, topicId });
      return;
    }
    const p = r.payload;
    const now = this.o.now();
    this.o.db.transaction(() => {
      if (p.type === 'notice.withdraw') {
        const wasHeld = this.o.store.withdraw(r.issuer, p.id, p.version, now);
        r.commit();
        this.stats.withdrawn++;
        this.log.info({ id: p.id, issuer: r.issuer, wasHeld }, 'notice withdrawn');
        this.o.reporter.receipt({ kind: 'notice', id: p.id, issuer: r.issuer, version: p.version, status: 'withdrawn', reason: p.reason });
      } else if (p.type === 'cap') {
        this.stats.cap++;
        this.o.cap.apply(r.issuer, topic, p, r.commit, now);
      } else {
        this.o.store.upsert(r.issuer, topic, p, now);
        r.commit();
        this.stats.accepted++;
        this.log.info({ id: p.id, issuer: r.issuer, version: p.version, priority: p.priority, scope: target.scope }, 'notice accepted');
        this.o.reporter.receipt({ kind: 'notice', id: p.id, issuer: r.issuer, version: p.version, status: 'accepted' });
      }
    })();
    this.changed();
  }

  /** Tells the screen once per tick, however many notices a burst brought (one re-render, not hundreds). */
  changed(): void {
    this.changedSoon();
  }
}
