/**
 * The citizens' message flow (城市留言板, docs/screen.md §Behaviour): a message chosen on screen gets a
 * ticket number, and is stored together with its uplink record (outbox class `feedback`, topic
 * `poles/{id}/feedback`) in one SQLite transaction — a ticket shown to a citizen is never lost,
 * and the outbox never drops `feedback` records (runtime/uplink/outbox.ts). Replies arrive as
 * data (the reply intake puts them into the FeedbackStore) and are looked up by ticket.
 */
import type { Logger } from 'pino';
import { MAX_DAILY_SEQUENCE, checkTicket, makeTicket, type TicketCheck } from '../../protocols/feedback.js';
import type { FeedbackCategoriesData, Text } from '../../protocols/datasets.js';
import type { Reporter } from '../uplink/reporter.js';
import type { FeedbackMessage, FeedbackReply, FeedbackStore } from './feedback-store.js';
import { feedbackError } from './errors.js';

export interface FeedbackServiceOptions {
  store: FeedbackStore;
  /** Publishes the record on `poles/{id}/feedback` (outbox class `feedback`, never dropped). */
  reporter: Pick<Reporter, 'feedback'>;
  pole: { id: string; address: string; lat: number; lon: number; areaCode?: string | undefined };
  timeZone: string;
  /** The categories on screen now (the data set, or the built-in list). */
  categories: () => FeedbackCategoriesData;
  logger: Logger;
  now?: () => number;
  /** At most `max` messages per `windowMs` from this pole (a vandal cannot flood the city). Default 20 per 10 min. */
  rateLimit?: { max: number; windowMs: number };
}

export interface SubmitInput { category: string; problem: string; lang: 'zh' | 'en' }

export interface TicketLookup {
  check: TicketCheck;
  message: FeedbackMessage | null;
  reply: FeedbackReply | null;
}

export class FeedbackService {
  readonly stats = { submitted: 0, refused: 0 };
  private readonly recent: number[] = [];
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(private readonly o: FeedbackServiceOptions) {
    this.now = o.now ?? Date.now;
    this.log = o.logger.child({ service: 'feedback' });
  }

  /** Names of a category and problem in the current list, or null if unknown. */
  names(category: string, problem: string): { category: Text; problem: Text } | null {
    const c = this.o.categories().categories.find((x) => x.id === category);
    const p = c?.problems.find((x) => x.id === problem);
    return c && p ? { category: c.name, problem: p.name } : null;
  }

  /** Stores the message and its uplink record atomically; returns the ticket. Throws SP_FEEDBACK_*. */
  submit(input: SubmitInput): { ticket: string; createdAt: number } {
    const now = this.now();
    const names = this.names(input.category, input.problem);
    if (!names) throw feedbackError('SP_FEEDBACK_UNKNOWN_PROBLEM', { category: input.category, problem: input.problem });
    const limit = this.o.rateLimit ?? { max: 20, windowMs: 10 * 60_000 };
    while (this.recent.length && this.recent[0]! <= now - limit.windowMs) this.recent.shift();
    if (this.recent.length >= limit.max) {
      this.stats.refused++;
      this.log.warn({ inWindow: this.recent.length }, 'feedback rate limit reached');
      throw feedbackError('SP_FEEDBACK_RATE_LIMITED', { max: limit.max, windowMs: limit.windowMs });
    }
    const { year, dayOfYear } = localDay(now, this.o.timeZone);
    const ticket = this.o.store.transaction(() => {
      const prefix = makeTicket(year, dayOfYear, 1).slice(0, 5);
      const last = this.o.store.lastTicket(prefix);
      const seq = last ? Number(last.slice(5, 8)) + 1 : 1;
      if (seq > MAX_DAILY_SEQUENCE) throw feedbackError('SP_FEEDBACK_DAILY_LIMIT', { prefix });
      const t = makeTicket(year, dayOfYear, seq);
      const p = this.o.pole;
      this.o.store.add({ ticket: t, category: input.category, problem: input.problem, location: p.address, createdAt: now },
        () => this.o.reporter.feedback({
          ticket: t, category: input.category, problem: input.problem, categoryName: names.category, problemName: names.problem,
          location: { address: p.address, lat: p.lat, lon: p.lon, ...(p.areaCode ? { areaCode: p.areaCode } : {}) },
          createdAt: now, lang: input.lang,
        }));
      return t;
    });
    this.recent.push(now);
    this.stats.submitted++;
    this.log.info({ ticket, category: input.category, problem: input.problem }, 'citizen message stored');
    return { ticket, createdAt: now };
  }

  lookup(ticket: string): TicketLookup {
    const check = checkTicket(ticket);
    if (!check.ok) return { check, message: null, reply: null };
    return { check, message: this.o.store.get(ticket), reply: this.o.store.reply(ticket) };
  }
}

/** Year and day of year (1–366) of an instant in a time zone. */
export function localDay(ms: number, timeZone: string): { year: number; dayOfYear: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const year = get('year');
  const dayOfYear = Math.round((Date.UTC(year, get('month') - 1, get('day')) - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
  return { year, dayOfYear };
}
