/**
 * The durable uplink queue (docs/architecture.md §Flow 3; docs/mqtt-api.md §Uplink): every record for the city is
 * written here first, published in order at QoS 1 when connected, and deleted only after its
 * PUBACK. Each JSON record is stamped with `uplink: {stream, seq}` inside the same transaction
 * (protocols/uplink-meta.ts), so receivers can drop the duplicates that re-sending after an
 * outage or a kill -9 produces.
 *
 * Bounded in rows and in bytes (docs/mqtt-api.md §Uplink, drop policy): past either bound the
 * oldest records of the lowest-value class go first — telemetry, then command responses (ops can
 * ask again: commands are idempotent), receipts, events, audit records (proof of play). Citizens'
 * messages and charging records are never dropped: when they alone fill the outbox a new one is
 * refused with SP_OUTBOX_FULL, so the caller's transaction rolls back and the citizen is told,
 * instead of a ticket being lost silently.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { Db } from '../storage/database.js';
import { KvStore } from '../storage/kv.js';
import { uplinkError } from './errors.js';

/**
 * Record classes in drop order: the first listed is dropped first when the outbox is full.
 * Security events (refusals, lockouts, trust changes, clock jumps) and console audit records go
 * after every other droppable class: a flood of ordinary events cannot push out the evidence.
 */
export const OUTBOX_CLASSES = ['telemetry', 'cmdres', 'receipt', 'event', 'audit', 'security', 'feedback', 'charging'] as const;
export type OutboxClass = (typeof OUTBOX_CLASSES)[number];
export const NEVER_DROP: ReadonlySet<OutboxClass> = new Set(['feedback', 'charging']);

export interface OutboxRecord {
  seq: number;
  topic: string;
  payload: Buffer;
  cls: OutboxClass;
  retain: boolean;
  createdAt: number;
}

export interface OutboxOptions {
  /** Rows kept at most. Default 100,000. */
  maxRows?: number;
  /** Payload bytes kept at most. Default 64 MiB. */
  maxBytes?: number;
  now?: () => number;
  /** Told of every write's outcome, so a full disk shows as storage health (docs/security.md §Storage). */
  storage?: StorageWriteWatch;
}

/** What the outbox tells storage health: a write failed (true when it was a full disk) or committed. */
export interface StorageWriteWatch {
  writeFailed(e: unknown): boolean;
  writeOk(): void;
}

export const OUTBOX_DEFAULTS = { maxRows: 100_000, maxBytes: 64 * 1024 * 1024 };

export class Outbox extends EventEmitter<{ enqueued: [seq: number]; dropped: [cls: OutboxClass, count: number] }> {
  readonly stats = { enqueued: 0, acked: 0, dropped: 0, refused: 0, droppedByClass: {} as Partial<Record<OutboxClass, number>> };
  /** Fixed for the life of this database: receivers dedupe on (pole, stream, seq). */
  readonly stream: string;
  readonly maxRows: number;
  readonly maxBytes: number;
  private readonly now: () => number;
  private readonly insert;
  private readonly nextSeqStmt;
  private readonly del;
  private readonly sizeStmt;
  private readonly page;
  private readonly dropStmt;
  private readonly enqueueTx: (topic: string, payload: unknown, cls: OutboxClass, retain: boolean) => { seq: number; drops: Map<OutboxClass, number> };
  private readonly dropRoomStmt;
  private readonly storage: StorageWriteWatch | undefined;

  constructor(private readonly db: Db, o: OutboxOptions = {}) {
    super();
    this.maxRows = o.maxRows ?? OUTBOX_DEFAULTS.maxRows;
    this.storage = o.storage;
    this.maxBytes = o.maxBytes ?? OUTBOX_DEFAULTS.maxBytes;
    this.now = o.now ?? Date.now;
    const kv = new KvStore(db);
    let stream = kv.get('outbox.stream');
    if (!stream) {
      stream = randomBytes(8).toString('hex');
      kv.set('outbox.stream', stream);
    }
    this.stream = stream;
    this.insert = db.prepare('INSERT INTO outbox (seq, topic, payload, class, retain, created_at, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.nextSeqStmt = db.prepare("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0) + 1").pluck();
    this.del = db.prepare('DELETE FROM outbox WHERE seq = ?');
    this.sizeStmt = db.prepare<[], { rows: number; bytes: number }>('SELECT rows, bytes FROM outbox_stats WHERE id = 1');
    this.page = db.prepare<[number, number], { seq: number; topic: string; payload: Buffer; class: OutboxClass; retain: number; created_at: number }>(
      'SELECT seq, topic, payload, class, retain, created_at FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?');
    this.dropStmt = db.prepare('DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE class = ? ORDER BY seq LIMIT ?)');
    this.dropRoomStmt = db.prepare<[string], { rows: number; bytes: number }>('SELECT COUNT(*) AS rows, COALESCE(SUM(bytes), 0) AS bytes FROM outbox WHERE class = ?');
    const body = (topic: string, payload: unknown, cls: OutboxClass, retain: boolean): { seq: number; drops: Map<OutboxClass, number> } => {
      // The seq is read inside the transaction: a rolled-back record never leaves a gap or a reused
      // seq behind that the publisher could have sent (it only sends after commit, on a later tick).
      const seq = this.nextSeqStmt.get() as number;
      const buf = Buffer.isBuffer(payload)
        ? payload
        : Buffer.from(JSON.stringify({ ...(payload as Record<string, unknown>), uplink: { stream: this.stream, seq } }), 'utf8');
      const drops = this.makeRoom(cls, buf.length);
      this.insert.run(seq, topic, buf, cls, retain ? 1 : 0, this.now(), buf.length);
      return { seq, drops };
    };
    const tx = db.transaction(body);
    // Inside the caller's transaction no savepoint is needed: makeRoom decides before it deletes,
    // so a refusal leaves nothing half done (a savepoint costs more than the insert itself).
    this.enqueueTx = (topic: string, payload: unknown, cls: OutboxClass, retain: boolean) => (db.inTransaction ? body : tx)(topic, payload, cls, retain);
  }

  /**
   * Adds a record; objects become JSON with `uplink` added, Buffers go as they are (no record id).
   * Throws SP_OUTBOX_FULL only for a never-dropped class when such records alone fill the outbox;
   * a droppable record that finds no room is dropped itself (counted) and 0 is returned. When the
   * disk is full storage health turns down, and a droppable record written on its own is dropped
   * (counted, 0 returned): a full disk must not take down the service that was reporting
   * something. Inside a caller's transaction, or for a never-dropped class, the error is thrown.
   */
  enqueue(topic: string, payload: Record<string, unknown> | Buffer, cls: OutboxClass, opts: { retain?: boolean } = {}): number {
    let seq: number;
    const nested = this.db.inTransaction;
    try {
      const r = this.enqueueTx(topic, payload, cls, opts.retain ?? false);
      seq = r.seq;
      // Counted after commit: drops made for a record that then did not fit were rolled back.
      for (const [c, n] of r.drops) this.countDrop(c, n);
    } catch (e) {
      if (e instanceof NoRoom) {
        this.countDrop(cls, 1);
        return 0;
      }
      // A full disk: a droppable record written on its own is dropped like one that found no room;
      // inside the caller's transaction, or for a never-dropped class, the caller must roll back.
      if (this.storage?.writeFailed(e) && !nested && !NEVER_DROP.has(cls)) {
        this.countDrop(cls, 1);
        return 0;
      }
      throw e;
    }
    this.storage?.writeOk();
    this.stats.enqueued++;
    this.emit('enqueued', seq);
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

  /** Deletes many acknowledged records in one transaction (one fsync, not one per record). */
  ackMany(seqs: readonly number[]): void {
    if (seqs.length === 0) return;
    this.db.transaction(() => { for (const s of seqs) this.ack(s); })();
  }

  /** The seq of the newest record ever enqueued (0 if none). */
  lastSeq(): number {
    return (this.nextSeqStmt.get() as number) - 1;
  }

  depth(): number {
    return this.sizeStmt.get()!.rows;
  }

  bytes(): number {
    return this.sizeStmt.get()!.bytes;
  }

  /** Records waiting, their bytes and the oldest's creation time (the console's `outbox status`). */
  summary(): { n: number; bytes: number; oldest: number | null } {
    return this.db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS bytes, MIN(created_at) AS oldest FROM outbox').get() as { n: number; bytes: number; oldest: number | null };
  }

  depthByClass(): Record<string, number> {
    const rows = this.db.prepare('SELECT class, COUNT(*) AS n FROM outbox GROUP BY class').all() as { class: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.class, r.n]));
  }

  /**
   * Drops the oldest records of droppable classes, lowest value first, until `incoming` fits.
   * It first checks that dropping can make enough room, so a refusal deletes nothing.
   */
  private makeRoom(incoming: OutboxClass, incomingBytes: number): Map<OutboxClass, number> {
    const drops = new Map<OutboxClass, number>();
    const s0 = this.sizeStmt.get()!;
    if (s0.rows + 1 <= this.maxRows && s0.bytes + incomingBytes <= this.maxBytes) return drops;
    // Never drop an older record of a class to make room for a lower-value one.
    const victims = OUTBOX_CLASSES.slice(0, OUTBOX_CLASSES.indexOf(incoming) + 1).filter((c) => !NEVER_DROP.has(c));
    let freeRows = 0;
    let freeBytes = 0;
    for (const c of victims) {
      const v = this.dropRoomStmt.get(c)!;
      freeRows += v.rows;
      freeBytes += v.bytes;
    }
    if (s0.rows + 1 - freeRows > this.maxRows || s0.bytes + incomingBytes - freeBytes > this.maxBytes) {
      if (NEVER_DROP.has(incoming)) {
        this.stats.refused++;
        throw uplinkError('SP_OUTBOX_FULL', { cls: incoming, maxRows: this.maxRows, maxBytes: this.maxBytes });
      }
      throw new NoRoom();
    }
    for (const cls of victims) {
      for (;;) {
        const s = this.sizeStmt.get()!;
        if (s.rows + 1 <= this.maxRows && s.bytes + incomingBytes <= this.maxBytes) return drops;
        const n = this.dropStmt.run(cls, Math.max(s.rows + 1 - this.maxRows, 1)).changes;
        if (n === 0) break;
        drops.set(cls, (drops.get(cls) ?? 0) + n);
      }
    }
    return drops;
  }

  private countDrop(cls: OutboxClass, n: number): void {
    this.stats.dropped += n;
    this.stats.droppedByClass[cls] = (this.stats.droppedByClass[cls] ?? 0) + n;
    this.emit('dropped', cls, n);
  }
}

class NoRoom extends Error {}
