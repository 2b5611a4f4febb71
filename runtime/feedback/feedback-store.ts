/**
 * Citizens' messages to the city (城市留言板) and the city's replies (docs/screen.md §Messages to the city,
 * docs/mqtt-api.md §Uplink, §Data sets and replies). A message is stored here and its uplink record
 * put in the outbox in one transaction, so a ticket shown to a citizen is never lost; replies arrive
 * signed on `poles/{id}/replies/{ticket}`.
 */
import { EventEmitter } from 'node:events';
import type { FeedbackRating } from '../../protocols/feedback.js';
import type { Db } from '../storage/database.js';

export interface FeedbackMessage {
  ticket: string;
  category: string;
  problem: string;
  text?: string | undefined;
  location: string;
  createdAt: number;
}

export interface FeedbackReply {
  ticket: string;
  issuer: string;
  version: number;
  /** received, in-progress, replied, resolved, rejected, closed (protocols/dataset.ts ReplyStatus) */
  status: string;
  /** The department's answer; null while only a status has arrived. */
  reply: LocalText | null;
  department?: LocalText | null | undefined;
  receivedAt: number;
}

type LocalText = { zh: string; en?: string | undefined };

/** The citizen's one rating of an answer (docs/feedback.md §Rating). */
export interface FeedbackRatingEntry {
  ticket: string;
  rating: FeedbackRating;
  reply: { issuer: string; version: number; status: string };
  ratedAt: number;
}

/** When a status first reached this pole. */
export interface FeedbackStep { status: string; at: number }

export class FeedbackStore extends EventEmitter<{ reply: [ticket: string]; rating: [ticket: string] }> {
  private readonly addStmt;
  private readonly getStmt;
  private readonly replyStmt;
  private readonly getReplyStmt;
  private readonly knownStmt;
  private readonly stepStmt;
  private readonly stepsStmt;
  private readonly rateStmt;
  private readonly ratingStmt;

  constructor(private readonly db: Db) {
    super();
    this.addStmt = db.prepare('INSERT INTO feedback (ticket, category, problem, text, location, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.getStmt = db.prepare<[string], { ticket: string; category: string; problem: string; text: string | null; location: string; created_at: number }>('SELECT * FROM feedback WHERE ticket = ?');
    // A status-only update (no answer text, no department) keeps what the pole already had.
    this.replyStmt = db.prepare(`INSERT INTO feedback_replies (ticket, issuer, version, status, reply, department, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(ticket) DO UPDATE SET issuer = excluded.issuer, version = excluded.version, status = excluded.status,
        reply = CASE WHEN excluded.reply = 'null' THEN feedback_replies.reply ELSE excluded.reply END,
        department = COALESCE(excluded.department, feedback_replies.department), received_at = excluded.received_at`);
    this.getReplyStmt = db.prepare<[string], { ticket: string; issuer: string; version: number; status: string; reply: string; department: string | null; received_at: number }>('SELECT * FROM feedback_replies WHERE ticket = ?');
    this.stepStmt = db.prepare('INSERT INTO feedback_steps (ticket, status, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
    this.stepsStmt = db.prepare<[string], FeedbackStep>('SELECT status, at FROM feedback_steps WHERE ticket = ? ORDER BY at, rowid');
    this.rateStmt = db.prepare('INSERT INTO feedback_ratings (ticket, rating, reply_issuer, reply_version, reply_status, rated_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.ratingStmt = db.prepare<[string], { ticket: string; rating: FeedbackRating; reply_issuer: string; reply_version: number; reply_status: string; rated_at: number }>('SELECT * FROM feedback_ratings WHERE ticket = ?');
    this.knownStmt = db.prepare<[string, string], { n: number }>('SELECT (SELECT COUNT(*) FROM feedback WHERE ticket = ?) + (SELECT COUNT(*) FROM feedback_replies WHERE ticket = ?) AS n');
  }

  /** Whether a ticket is taken here, by a message or a reply (ticket allocation, runtime/feedback/feedback-service.ts). */
  known(ticket: string): boolean {
    return (this.knownStmt.get(ticket, ticket)?.n ?? 0) > 0;
  }

  /** Runs `f` in one transaction (allocate a ticket and store the message atomically). */
  transaction<T>(f: () => T): T {
    return this.db.transaction(f)();
  }

  /** Stores a message and runs `alsoInTransaction` (e.g. the outbox insert) atomically with it. */
  add(m: FeedbackMessage, alsoInTransaction?: () => void): void {
    this.db.transaction(() => {
      this.addStmt.run(m.ticket, m.category, m.problem, m.text ?? null, m.location, m.createdAt);
      alsoInTransaction?.();
    })();
  }

  get(ticket: string): FeedbackMessage | null {
    const r = this.getStmt.get(ticket);
    return r ? { ticket: r.ticket, category: r.category, problem: r.problem, text: r.text ?? undefined, location: r.location, createdAt: r.created_at } : null;
  }

  /** Stores a reply or status update and the time its status first arrived. */
  putReply(r: FeedbackReply): void {
    this.db.transaction(() => {
      this.replyStmt.run(r.ticket, r.issuer, r.version, r.status, JSON.stringify(r.reply), r.department ? JSON.stringify(r.department) : null, r.receivedAt);
      this.stepStmt.run(r.ticket, r.status, r.receivedAt);
    })();
    this.emit('reply', r.ticket);
  }

  reply(ticket: string): FeedbackReply | null {
    const r = this.getReplyStmt.get(ticket);
    return r ? {
      ticket: r.ticket, issuer: r.issuer, version: r.version, status: r.status, reply: JSON.parse(r.reply) as LocalText | null,
      department: r.department ? JSON.parse(r.department) as LocalText : null, receivedAt: r.received_at,
    } : null;
  }

  /** The statuses this ticket has been through, oldest first. */
  steps(ticket: string): FeedbackStep[] {
    return this.stepsStmt.all(ticket);
  }

  /**
   * Stores the citizen's rating and runs `alsoInTransaction` (the outbox insert) atomically with it.
   * Returns false, storing nothing, when the ticket is already rated (one rating per ticket).
   */
  addRating(r: FeedbackRatingEntry, alsoInTransaction?: () => void): boolean {
    const stored = this.db.transaction(() => {
      if (this.ratingStmt.get(r.ticket)) return false;
      this.rateStmt.run(r.ticket, r.rating, r.reply.issuer, r.reply.version, r.reply.status, r.ratedAt);
      alsoInTransaction?.();
      return true;
    })();
    if (stored) this.emit('rating', r.ticket);
    return stored;
  }

  rating(ticket: string): FeedbackRatingEntry | null {
    const r = this.ratingStmt.get(ticket);
    return r ? { ticket: r.ticket, rating: r.rating, reply: { issuer: r.reply_issuer, version: r.reply_version, status: r.reply_status }, ratedAt: r.rated_at } : null;
  }
}
