/**
 * The durable uplink queue (design.md data flow 3): every record for the city is written here
 * first, published in order at QoS 1 when connected, and deleted only after its PUBACK.
 * Bounded: past `maxRows` the oldest records of the lowest-value class go first; citizens'
 * messages and charging records are never dropped (docs/mqtt-api.md §Uplink).
 */
import { EventEmitter } from 'node:events';
import type { Db } from '../storage/database.js';

/** Record classes in drop order: first listed is dropped first when the outbox is full. */
export const OUTBOX_CLASSES = ['telemetry', 'receipt', 'event', 'audit', 'cmdres', 'feedback', 'charging'] as const;
export type OutboxClass = (typeof OUTBOX_CLASSES)[number];
const NEVER_DROP: ReadonlySet<OutboxClass> = new Set(['feedback', 'charging']);

export interface OutboxRecord {
  seq: number;
  topic: string;
  payload: Buffer;
  cls: OutboxClass;
  retain: boolean;
  createdAt: number;
}

export interface OutboxOptions {
  /** Rows kept at most. Default 50,000. */
  maxRows?: number;
  now?: () => number;
}

export class Outbox extends EventEmitter<{ enqueued: [seq: number]; dropped: [cls: OutboxClass, count: number] }> {
  readonly stats = { enqueued: 0, acked: 0, dropped: 0 };
  private readonly maxRows: number;
  private readonly now: () => number;
  private readonly insert;
  private readonly del;
  private readonly countStmt;
  private readonly page;

  constructor(private readonly db: Db, o: OutboxOptions = {}) {
    super();
    this.maxRows = o.maxRows ?? 50_000;
    this.now = o.now ?? Date.now;
    this.insert = db.prepare('INSERT INTO outbox (topic, payload, class, retain, created_at, bytes) VALUES (?, ?, ?, ?, ?, ?)');
    this.del = db.prepare('DELETE FROM outbox WHERE seq = ?');
    this.countStmt = db.prepare('SELECT COUNT(*) FROM outbox').pluck();
    this.page = db.prepare<[number, number], { seq: number; topic: string; payload: Buffer; class: OutboxClass; retain: number; created_at: number }>(
      'SELECT seq, topic, payload, class, retain, created_at FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?');
  }

  enqueue(topic: string, payload: unknown, cls: OutboxClass, opts: { retain?: boolean } = {}): number {
    const buf = Buffer.isBuffer(payload) ? payload : Buffer.from(JSON.stringify(payload), 'utf8');
    const seq = Number(this.insert.run(topic, buf, cls, opts.retain ? 1 : 0, this.now(), buf.length).lastInsertRowid);
    this.stats.enqueued++;
    this.enforceBound();
    // Inside a caller's transaction (a charging record written with its session row) the
    // publisher must not see the row before the commit: announce it once the transaction is done.
    if (this.db.inTransaction) process.nextTick(() => this.emit('enqueued', seq));
    else this.emit('enqueued', seq);
    return seq;
  }

  /** Records after `afterSeq`, oldest first. */
  next(afterSeq: number, limit: number): OutboxRecord[] {
    return this.page.all(afterSeq, limit).map((r) => ({
      seq: r.seq, topic: r.topic, payload: r.payload, cls: r.class, retain: r.retain === 1, createdAt: r.created_at,
    }));
  }

  ack(seq: number): void {
    if (this.del.run(seq).changes) this.stats.acked++;
  }

  depth(): number {
    return this.countStmt.get() as number;
  }

  depthByClass(): Record<string, number> {
    const rows = this.db.prepare('SELECT class, COUNT(*) AS n FROM outbox GROUP BY class').all() as { class: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.class, r.n]));
  }

  private enforceBound(): void {
    let over = this.depth() - this.maxRows;
    if (over <= 0) return;
    for (const cls of OUTBOX_CLASSES) {
      if (over <= 0 || NEVER_DROP.has(cls)) continue;
      const n = this.db.prepare('DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE class = ? ORDER BY seq LIMIT ?)').run(cls, over).changes;
      if (n) {
        over -= n;
        this.stats.dropped += n;
        this.emit('dropped', cls, n);
      }
    }
  }
}
