/**
 * Citizens' messages to the city (城市留言板) and the city's replies (docs/screen.md §Messages to the city,
 * docs/mqtt-api.md §Uplink, §Data sets and replies). A message is stored here and its uplink record
 * put in the outbox in one transaction, so a ticket shown to a citizen is never lost; replies arrive
 * signed on `poles/{id}/replies/{ticket}`.
 */
import { EventEmitter } from 'node:events';
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
  /** e.g. received, in-progress, resolved, rejected */
  status: string;
  reply: { zh: string; en?: string | undefined };
  receivedAt: number;
}

export class FeedbackStore extends EventEmitter<{ reply: [ticket: string] }> {
  private readonly addStmt;
  private readonly getStmt;
  private readonly replyStmt;
  private readonly getReplyStmt;
  private readonly knownStmt;

  constructor(private readonly db: Db) {
    super();
    this.addStmt = db.prepare('INSERT INTO feedback (ticket, category, problem, text, location, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.getStmt = db.prepare<[string], { ticket: string; category: string; problem: string; text: string | null; location: string; created_at: number }>('SELECT * FROM feedback WHERE ticket = ?');
    this.replyStmt = db.prepare(`INSERT INTO feedback_replies (ticket, issuer, version, status, reply, received_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(ticket) DO UPDATE SET issuer = excluded.issuer, version = excluded.version, status = excluded.status, reply = excluded.reply, received_at = excluded.received_at`);
    this.getReplyStmt = db.prepare<[string], { ticket: string; issuer: string; version: number; status: string; reply: string; received_at: number }>('SELECT * FROM feedback_replies WHERE ticket = ?');
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

  putReply(r: FeedbackReply): void {
    this.replyStmt.run(r.ticket, r.issuer, r.version, r.status, JSON.stringify(r.reply), r.receivedAt);
    this.emit('reply', r.ticket);
  }

  reply(ticket: string): FeedbackReply | null {
    const r = this.getReplyStmt.get(ticket);
    return r ? { ticket: r.ticket, issuer: r.issuer, version: r.version, status: r.status, reply: JSON.parse(r.reply) as FeedbackReply['reply'], receivedAt: r.received_at } : null;
  }
}
