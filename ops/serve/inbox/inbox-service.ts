/**
 * The citizens' messages inbox (docs/ops-console.md §Citizens' messages): records from
 * `poles/{id}/feedback` in, assignment and status, and the signed reply back on
 * `poles/{id}/replies/{ticket}` — the pole that took the message, the only one that knows the
 * ticket (docs/mqtt-api.md §Data sets and replies). Every operator step is audited.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { ReplyPayload } from '../../../protocols/dataset.js';
import { FeedbackRatingRecord, FeedbackRecord } from '../../../protocols/uplink.js';
import { replyTopic } from '../../../protocols/topics.js';
import { isoWithOffset } from '../../../protocols/time.js';
import type { SigningKey } from '../../keys.js';
import { sign } from '../../sign.js';
import type { Operator } from '../auth/operator.js';
import { feedbackFigures, type DepartmentFigures } from '../../feedback-figures.js';
import { suggestDepartment, type Department } from './departments.js';
import { inboxError } from './errors.js';
import { InboxStore, type InboxFilter, type InboxMessage } from './inbox-store.js';
import { checkReplyText, nextTicketStatus, TicketStatus, type ReplyText, type TicketAudit } from './ticket-state.js';

export interface InboxDeps {
  store: InboxStore;
  departments: readonly Department[];
  prefix: string;
  key: () => SigningKey;
  /** Publishes retained at QoS 1; resolves on the broker's PUBACK. */
  publish: (topic: string, body: string) => Promise<void>;
  audit: (entry: TicketAudit) => void;
  logger: Logger;
  now?: () => number;
}

export interface InboxEvents {
  /** A message or its state changed (new, assigned, replied, rated): pages refresh it. */
  changed: [poleId: string, ticket: string, what: 'new' | 'assign' | 'reply' | 'rating'];
}

export class Inbox extends EventEmitter<InboxEvents> {
  readonly stats = { received: 0, duplicates: 0, ratings: 0, invalid: 0 };
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(private readonly d: InboxDeps) {
    super();
    this.now = d.now ?? Date.now;
    this.log = d.logger.child({ service: 'inbox' });
  }

  /**
   * Records from `poles/{id}/feedback` (messages and ratings), written in one transaction. Bad ones
   * are logged with SP_INBOX_RECORD_INVALID, counted and dropped.
   */
  handleRecords(batch: readonly { poleId: string; body: unknown }[]): void {
    const changed: [string, string, 'new' | 'rating'][] = [];
    this.d.store.transaction(() => {
      for (const m of batch) {
        const c = this.record(m.poleId, m.body);
        if (c) changed.push([m.poleId, c.ticket, c.what]);
      }
    });
    for (const [p, t, what] of changed) this.emit('changed', p, t, what);
  }

  private record(topicPole: string, json: unknown): { ticket: string; what: 'new' | 'rating' } | null {
    const type = (json as { type?: unknown } | null)?.type;
    if (type === 'rating') {
      const r = FeedbackRatingRecord.safeParse(json);
      if (!r.success || r.data.poleId !== topicPole) { this.invalid(topicPole, r.success ? 'poleId differs from the topic' : r.error.issues[0]!.message); return null; }
      if (!this.d.store.rate(r.data.poleId, r.data.ticket, r.data.rating, Date.parse(r.data.ratedAt) || this.now())) {
        this.log.warn({ code: 'SP_INBOX_NOT_FOUND', poleId: topicPole, ticket: r.data.ticket }, 'rating for a message the inbox does not have');
        return null;
      }
      this.stats.ratings++;
      return { ticket: r.data.ticket, what: 'rating' };
    }
    const r = FeedbackRecord.safeParse(json);
    if (!r.success || r.data.poleId !== topicPole) {
      this.invalid(topicPole, r.success ? 'poleId differs from the topic' : `${r.error.issues[0]!.path.join('.')}: ${r.error.issues[0]!.message}`);
      return null;
    }
    if (!this.d.store.add(r.data, this.now())) { this.stats.duplicates++; return null; }
    this.stats.received++;
    return { ticket: r.data.ticket, what: 'new' };
  }

  private invalid(poleId: string, detail: string): void {
    this.stats.invalid++;
    this.log.warn({ code: 'SP_INBOX_RECORD_INVALID', poleId, detail }, 'citizen message record refused');
  }

  list(f: InboxFilter = {}): InboxMessage[] { return this.d.store.list(f); }
  counts(): Record<string, number> { return this.d.store.counts(); }
  departments(): readonly Department[] { return this.d.departments; }
  /** Per department and in total (ops/feedback-figures.ts: within 24 h, average rating). */
  figures(): { departments: DepartmentFigures[]; total: DepartmentFigures } { return feedbackFigures(this.d.store.figureRows(), { now: this.now() }); }

  get(poleId: string, ticket: string): InboxMessage {
    const m = this.d.store.get(poleId, ticket);
    if (!m) throw inboxError('SP_INBOX_NOT_FOUND', { poleId, ticket });
    return m;
  }

  department(id: string): Department {
    const dep = this.d.departments.find((x) => x.id === id);
    if (!dep) throw inboxError('SP_INBOX_DEPARTMENT', { department: id });
    return dep;
  }

  suggested(m: InboxMessage): Department | undefined { return suggestDepartment(this.d.departments, m.category); }

  /**
   * Hands the message to a department (→ 办理中) and tells the citizen on the pole: an
   * in-progress status naming the department, so the ticket page shows it is being handled.
   */
  async assign(poleId: string, ticket: string, departmentId: string, who: Operator): Promise<void> {
    const m = this.get(poleId, ticket);
    const dep = this.department(departmentId);
    const step = nextTicketStatus(m, { type: 'assign', department: dep.id }, who);
    const now = this.now();
    // A status-only reply: the ticket page shows 办理中 and who has it (the pole keeps any earlier answer).
    const version = await this.publishReply(m, dep, 'in-progress', undefined, now);
    this.d.store.transaction(() => { this.d.store.assign(poleId, ticket, dep.id, step.status, now, version); this.d.audit(step.audit); });
    this.emit('changed', poleId, ticket, 'assign');
  }

  async reply(poleId: string, ticket: string, text: ReplyText, who: Operator): Promise<void> {
    const m = this.get(poleId, ticket);
    const clean = checkReplyText(text);
    const step = nextTicketStatus(m, { type: 'reply', text: clean }, who);
    const now = this.now();
    const version = await this.publishReply(m, this.department(m.department!), 'replied', clean, now);
    this.d.store.transaction(() => { this.d.store.reply(poleId, ticket, clean, version, now, who.username); this.d.audit(step.audit); });
    this.emit('changed', poleId, ticket, 'reply');
  }

  /** Signs and publishes retained; the version rises above any earlier reply to this ticket. */
  private async publishReply(m: InboxMessage, dep: Department, status: 'in-progress' | 'replied', text: ReplyText | undefined, now: number): Promise<number> {
    const version = Math.max(now, (m.replyVersion ?? 0) + 1);
    const audience = `pole:${m.poleId}`;
    const payload = ReplyPayload.parse({
      type: 'reply', id: m.ticket, audience, version, issuedAt: isoWithOffset(now), status, department: dep.name, ...(text ? { reply: text } : {}),
    });
    await this.d.publish(replyTopic(this.d.prefix, m.poleId, m.ticket), JSON.stringify(sign(payload, this.d.key(), audience)));
    this.log.info({ poleId: m.poleId, ticket: m.ticket, status, version }, 'reply sent to the pole');
    return version;
  }
}

export { TicketStatus };
