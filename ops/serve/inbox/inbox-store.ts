/**
 * The inbox's table in the console's SQLite store (docs/ops-console.md §Storage): one row per
 * citizen's message, keyed by pole id and ticket (tickets are unique per pole). A redelivered
 * record (MQTT QoS 1 is at least once) changes nothing; the first copy wins. Tables:
 * ops/serve/inbox/migrations.ts.
 */
import type Database from 'better-sqlite3';
import type { FeedbackRecord } from '../../../protocols/uplink.js';
import type { FeedbackFigureInput } from '../../feedback-figures.js';
import { TicketStatus, type ReplyText } from './ticket-state.js';
import type { FeedbackRating as Rating } from '../../../protocols/feedback.js';

type Db = Database.Database;

export interface InboxMessage {
  poleId: string;
  ticket: string;
  category: string;
  problem: string;
  categoryName: { zh: string; en?: string | undefined };
  problemName: { zh: string; en?: string | undefined };
  text: string | null;
  address: string;
  lat: number;
  lon: number;
  areaCode: string | null;
  lang: 'zh' | 'en';
  /** When the citizen left it (the pole's clock), ms. */
  createdAt: number;
  /** When the console got it, ms. */
  receivedAt: number;
  status: TicketStatus;
  department: string | null;
  assignedAt: number | null;
  reply: ReplyText | null;
  replyVersion: number | null;
  firstReplyAt: number | null;
  replyAt: number | null;
  repliedBy: string | null;
  rating: Rating | null;
  ratedAt: number | null;
}

interface Row {
  pole_id: string; ticket: string; category: string; problem: string; category_name: string; problem_name: string; text: string | null;
  address: string; lat: number; lon: number; area_code: string | null; lang: string; created_at: number; received_at: number; status: string;
  department: string | null; assigned_at: number | null; reply: string | null; reply_version: number | null; first_reply_at: number | null;
  reply_at: number | null; replied_by: string | null; rating: string | null; rated_at: number | null;
}

function fromRow(r: Row): InboxMessage {
  return {
    poleId: r.pole_id, ticket: r.ticket, category: r.category, problem: r.problem,
    categoryName: JSON.parse(r.category_name) as InboxMessage['categoryName'], problemName: JSON.parse(r.problem_name) as InboxMessage['problemName'],
    text: r.text, address: r.address, lat: r.lat, lon: r.lon, areaCode: r.area_code, lang: r.lang === 'en' ? 'en' : 'zh',
    createdAt: r.created_at, receivedAt: r.received_at, status: r.status as TicketStatus, department: r.department, assignedAt: r.assigned_at,
    reply: r.reply ? JSON.parse(r.reply) as ReplyText : null, replyVersion: r.reply_version, firstReplyAt: r.first_reply_at, replyAt: r.reply_at,
    repliedBy: r.replied_by, rating: r.rating as Rating | null, ratedAt: r.rated_at,
  };
}

export interface InboxFilter {
  status?: TicketStatus | undefined;
  department?: string | undefined;
  poleId?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export class InboxStore {
  private readonly insert;
  private readonly getStmt;
  private readonly assignStmt;
  private readonly statusStmt;
  private readonly replyStmt;
  private readonly rateStmt;
  private readonly countStmt;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(`INSERT OR IGNORE INTO inbox_messages (pole_id, ticket, category, problem, category_name, problem_name, text, address, lat, lon, area_code, lang, created_at, received_at, status)
      VALUES (@poleId, @ticket, @category, @problem, @categoryName, @problemName, @text, @address, @lat, @lon, @areaCode, @lang, @createdAt, @receivedAt, '${TicketStatus.Received}')`);
    this.getStmt = db.prepare<[string, string], Row>('SELECT * FROM inbox_messages WHERE pole_id = ? AND ticket = ?');
    this.assignStmt = db.prepare('UPDATE inbox_messages SET department = ?, status = ?, assigned_at = ?, reply_version = ? WHERE pole_id = ? AND ticket = ?');
    this.statusStmt = db.prepare('UPDATE inbox_messages SET status = ? WHERE pole_id = ? AND ticket = ?');
    this.replyStmt = db.prepare(`UPDATE inbox_messages SET status = ?, reply = ?, reply_version = ?, reply_at = ?, first_reply_at = COALESCE(first_reply_at, ?), replied_by = ?
      WHERE pole_id = ? AND ticket = ?`);
    this.rateStmt = db.prepare('UPDATE inbox_messages SET rating = ?, rated_at = ? WHERE pole_id = ? AND ticket = ?');
    this.countStmt = db.prepare<[], { status: string; n: number }>('SELECT status, COUNT(*) AS n FROM inbox_messages GROUP BY status');
  }

  /** Stores a message from a pole; false if this pole's ticket is already here (a redelivery). */
  add(rec: FeedbackRecord, receivedAt: number): boolean {
    const r = this.insert.run({
      poleId: rec.poleId, ticket: rec.ticket, category: rec.category, problem: rec.problem,
      categoryName: JSON.stringify(rec.categoryName), problemName: JSON.stringify(rec.problemName), text: rec.text ?? null,
      address: rec.location.address, lat: rec.location.lat, lon: rec.location.lon, areaCode: rec.location.areaCode ?? null, lang: rec.lang,
      createdAt: Date.parse(rec.createdAt), receivedAt,
    });
    return r.changes === 1;
  }

  get(poleId: string, ticket: string): InboxMessage | null {
    const r = this.getStmt.get(poleId, ticket);
    return r ? fromRow(r) : null;
  }

  list(f: InboxFilter = {}): InboxMessage[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (f.status) { where.push('status = ?'); args.push(f.status); }
    if (f.department) { where.push('department = ?'); args.push(f.department); }
    if (f.poleId) { where.push('pole_id = ?'); args.push(f.poleId); }
    const sql = `SELECT * FROM inbox_messages ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY received_at DESC, ticket LIMIT ? OFFSET ?`;
    return this.db.prepare<(string | number)[], Row>(sql).all(...args, Math.min(f.limit ?? 100, 500), f.offset ?? 0).map(fromRow);
  }

  counts(): Record<string, number> {
    return Object.fromEntries(this.countStmt.all().map((r) => [r.status, r.n]));
  }

  /** `version`: of the status-only reply that told the pole (replies' versions only rise). */
  assign(poleId: string, ticket: string, department: string, status: TicketStatus, at: number, version: number): void {
    this.assignStmt.run(department, status, at, version, poleId, ticket);
  }

  setStatus(poleId: string, ticket: string, status: TicketStatus): void {
    this.statusStmt.run(status, poleId, ticket);
  }

  reply(poleId: string, ticket: string, text: ReplyText, version: number, at: number, by: string): void {
    this.replyStmt.run(TicketStatus.Replied, JSON.stringify(text), version, at, at, by, poleId, ticket);
  }

  /** The citizen's rating; false if the message is unknown here. The pole sends one per ticket; a later one replaces. */
  rate(poleId: string, ticket: string, rating: Rating, at: number): boolean {
    return this.rateStmt.run(rating, at, poleId, ticket).changes === 1;
  }

  /** Every message with what the department figures need. */
  figureRows(): FeedbackFigureInput[] {
    return this.db.prepare<[], { department: string | null; created_at: number; first_reply_at: number | null; rating: string | null }>(
      'SELECT department, created_at, first_reply_at, rating FROM inbox_messages').all()
      .map((r) => ({ department: r.department, createdAt: r.created_at, answeredAt: r.first_reply_at, rating: r.rating as Rating | null }));
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
