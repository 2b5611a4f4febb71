/**
 * The citizens' message flow (城市留言板, docs/screen.md §Messages to the city): a message chosen on screen gets a
 * ticket number, and is stored together with its uplink record (outbox class `feedback`, topic
 * `poles/{id}/feedback`) in one SQLite transaction — a ticket shown to a citizen is never lost,
 * and the outbox never drops `feedback` records (runtime/uplink/outbox.ts). Replies arrive as
 * data (the reply intake puts them into the FeedbackStore) and are looked up by ticket.
 */
import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { checkTicket, randomTicket, type FeedbackRating, type TicketCheck } from '../../protocols/feedback.js';
import { ANSWERED_STATUSES, type ReplyStatus } from '../../protocols/dataset.js';
import type { FeedbackCategoriesData, Text } from '../../protocols/datasets.js';
import type { Reporter } from '../uplink/reporter.js';
import type { FeedbackMessage, FeedbackRatingEntry, FeedbackReply, FeedbackStep, FeedbackStore } from './feedback-store.js';
import { feedbackError } from './errors.js';

export interface FeedbackServiceOptions {
  store: FeedbackStore;
  /** Publishes the record on `poles/{id}/feedback` (outbox class `feedback`, never dropped). */
  reporter: Pick<Reporter, 'feedback' | 'feedbackRating'>;
  pole: { id: string; address: string; lat: number; lon: number; areaCode?: string | undefined };
  /** The categories on screen now (the data set, or the built-in list). */
  categories: () => FeedbackCategoriesData;
  logger: Logger;
  now?: () => number;
  /** At most `max` messages per `windowMs` from this pole (a vandal cannot flood the city). Default 20 per 10 min. */
  rateLimit?: { max: number; windowMs: number };
  /** Random integers in [0, max) for tickets. Default node:crypto randomInt (a CSPRNG); tests inject a sequence. */
  randomInt?: (max: number) => number;
}

/** Draws before giving up on a free ticket; with 10^8 tickets and a pole's few thousand, one draw in 10^4 collides. */
export const TICKET_DRAWS = 16;

export interface SubmitInput { category: string; problem: string; lang: 'zh' | 'en' }

export interface TicketLookup {
  check: TicketCheck;
  message: FeedbackMessage | null;
  reply: FeedbackReply | null;
  /** The statuses the ticket went through, oldest first. */
  steps: FeedbackStep[];
  rating: FeedbackRatingEntry | null;
  /** An answer is here and not yet rated: the page offers 满意 / 基本满意 / 不满意. */
  ratable: boolean;
}

/** The outcome of a rating: stored now, or the ticket's earlier rating (a second one is never stored or sent). */
export type RateOutcome = { status: 'rated' | 'already-rated'; entry: FeedbackRatingEntry };

/** Whether a reply is an answer the citizen can rate (docs/feedback.md §Rating): its text, with an answering status or closed after it. */
export function isAnswer(r: FeedbackReply | null): r is FeedbackReply & { reply: NonNullable<FeedbackReply['reply']> } {
  return r !== null && r.reply !== null && (ANSWERED_STATUSES.has(r.status as ReplyStatus) || r.status === 'closed');
}

export class FeedbackService {
  readonly stats = { submitted: 0, refused: 0, collisions: 0, rated: 0 };
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
    const ticket = this.o.store.transaction(() => {
      const t = this.freeTicket();
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

  /** A random ticket no message or reply on this pole has yet (inside submit's transaction). */
  private freeTicket(): string {
    const rand = this.o.randomInt ?? ((max: number) => randomInt(max));
    for (let i = 0; i < TICKET_DRAWS; i++) {
      const t = randomTicket(rand);
      if (!this.o.store.known(t)) return t;
      this.stats.collisions++;
    }
    throw feedbackError('SP_FEEDBACK_NO_FREE_TICKET', { draws: TICKET_DRAWS });
  }

  lookup(ticket: string): TicketLookup {
    const check = checkTicket(ticket);
    if (!check.ok) return { check, message: null, reply: null, steps: [], rating: null, ratable: false };
    const reply = this.o.store.reply(ticket);
    const rating = this.o.store.rating(ticket);
    return { check, message: this.o.store.get(ticket), reply, steps: reply ? this.o.store.steps(ticket) : [], rating, ratable: rating === null && isAnswer(reply) };
  }

  /**
   * The citizen rates the answer to a ticket: the rating and its uplink record (class `feedback`)
   * in one transaction, at most once per ticket — a second rating returns the first, and nothing
   * more is sent. Throws SP_FEEDBACK_NOT_RATABLE when there is no answer to rate.
   */
  rate(ticket: string, rating: FeedbackRating, lang: 'zh' | 'en'): RateOutcome {
    const earlier = this.o.store.rating(ticket);
    if (earlier) return { status: 'already-rated', entry: earlier };
    const reply = checkTicket(ticket).ok ? this.o.store.reply(ticket) : null;
    if (!isAnswer(reply)) {
      this.log.warn({ ticket, status: reply?.status ?? null, code: 'SP_FEEDBACK_NOT_RATABLE' }, 'rating refused: no answer to rate');
      throw feedbackError('SP_FEEDBACK_NOT_RATABLE', { ticket, status: reply?.status ?? null });
    }
    const ratedAt = this.now();
    const entry: FeedbackRatingEntry = { ticket, rating, reply: { issuer: reply.issuer, version: reply.version, status: reply.status }, ratedAt };
    let stored: boolean;
    try {
      stored = this.o.store.addRating(entry, () => this.o.reporter.feedbackRating({
        ticket, rating, reply: { issuer: reply.issuer, version: reply.version, status: reply.status as ReplyStatus }, ratedAt, lang,
      }));
    } catch (e) {
      this.log.error({ ticket, code: (e as { code?: string }).code ?? 'SP_INTERNAL', err: (e as Error).message }, 'rating not stored');
      throw e;
    }
    if (!stored) return { status: 'already-rated', entry: this.o.store.rating(ticket)! };
    this.stats.rated++;
    this.log.info({ ticket, rating }, 'citizen rated the answer');
    return { status: 'rated', entry };
  }
}
