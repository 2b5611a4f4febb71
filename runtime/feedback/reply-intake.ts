/**
 * The city's signed replies to citizens' messages, on `poles/{id}/replies/{ticket}` (docs/mqtt-api.md
 * §Data sets and replies), into the FeedbackStore, where the query UI shows them when the citizen
 * looks up the ticket. Tickets are unique per pole, so ops replies on the issuing pole's topic. A
 * reply to a well-formed ticket this pole has no record of (its store was replaced, e.g. a swapped
 * controller) is still kept, so the citizen can read it, and logged.
 */
import type { Logger } from 'pino';
import { ReplyPayload } from '../../protocols/dataset.js';
import type { Db } from '../storage/database.js';
import type { MessageGate } from '../trust/message-gate.js';
import { reportRefusal } from '../trust/refusal.js';
import type { Reporter } from '../uplink/reporter.js';
import type { FeedbackStore } from './feedback-store.js';

export interface ReplyIntakeOptions {
  db: Db;
  gate: MessageGate;
  store: FeedbackStore;
  reporter: Reporter;
  logger: Logger;
  now: () => number;
}

export class ReplyIntake {
  readonly stats = { accepted: 0, rejected: 0, duplicates: 0 };
  private readonly log: Logger;

  constructor(private readonly o: ReplyIntakeOptions) {
    this.log = o.logger.child({ service: 'feedback' });
  }

  handle(topic: string, ticket: string, raw: Buffer): void {
    const r = this.o.gate.open(raw, ReplyPayload, 'reply', topic, ticket);
    if (!r.ok) {
      if (r.code === 'SP_MSG_DUPLICATE') this.stats.duplicates++;
      else this.stats.rejected++;
      this.o.db.transaction(() => reportRefusal(this.o.reporter, this.log, r, { kind: 'reply', topic, topicId: ticket }))();
      return;
    }
    const p = r.payload;
    const known = this.o.store.get(ticket) !== null;
    this.o.db.transaction(() => {
      r.commit();
      this.o.store.putReply({ ticket, issuer: r.issuer, version: p.version, status: p.status, reply: p.reply ?? null, department: p.department ?? null, receivedAt: this.o.now() });
      this.o.reporter.receipt({ kind: 'reply', id: ticket, issuer: r.issuer, version: p.version, status: 'accepted' });
    })();
    this.stats.accepted++;
    this.log.info({ ticket, status: p.status, known }, known ? 'reply to a citizen received' : 'reply to a ticket this pole did not issue');
  }
}
