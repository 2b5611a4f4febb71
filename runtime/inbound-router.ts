/**
 * Routes each MQTT message to the handler for its kind (MQTT.js lesson: one handler per message
 * kind). Unknown topics and topics for another pole are logged and dropped; handlers never throw
 * into the MQTT client.
 *
 * Group commit: messages are queued and handled on the next tick, all of a burst inside one
 * SQLite transaction (`batch`), so a burst — the retained set after a reconnect, a fleet-wide
 * push — costs one fsync instead of one per message. A handler that throws rolls back only its
 * own work (a nested transaction is a savepoint).
 */
import type { Logger } from 'pino';
import { parseInboundTopic, type InboundTopic } from '../protocols/topics.js';
import { nextTick } from '../lib/next-tick.js';

/** A module's handler for one kind of inbound message (runtime/pole.ts wires one per kind). */
export type InboundHandler<K extends InboundTopic['kind']> = (t: Extract<InboundTopic, { kind: K }>, payload: Buffer, topic: string, retain: boolean) => void;

export interface InboundRouterOptions {
  prefix: string;
  poleId: string;
  logger: Logger;
  /** Runs a batch of handlers, e.g. in one database transaction. Default: just runs it. */
  batch?: (run: () => void) => void;
  /** Most messages handled per batch. Default 256. */
  maxBatch?: number;
  /** Told of handler failures; true when it was a full disk (reported as storage health, not as a bad message). */
  storage?: { writeFailed(e: unknown): boolean };
  /** Runs before a batch is handled, e.g. verifying its signatures in worker threads. */
  prepare?: (payloads: Buffer[]) => Promise<void>;
  /** Largest message accepted; bigger ones are dropped before any parsing. Default 360 000 bytes. */
  maxMessageBytes?: number;
  /** Most messages waiting; past it new ones are shed. Default 10 000. */
  maxQueued?: number;
  /** Tells the city about dropped input (a Reporter's event; rate-limited there). */
  report?: (e: { code: 'SP_MQTT_INBOUND_TOO_LARGE' | 'SP_MQTT_INBOUND_SHED'; severity: 'security' | 'warning'; message: string; [k: string]: unknown }) => void;
}

/** Just above the largest signed envelope (256 KiB payload as base64 + the envelope). */
export const INBOUND_MAX_BYTES = 360_000;

interface Queued { topic: string; payload: Buffer; retain: boolean }

export class InboundRouter {
  readonly stats = { dispatched: 0, unknownTopic: 0, otherPole: 0, unhandled: 0, failed: 0, batches: 0, tooLarge: 0, shed: 0 };
  private readonly handlers = new Map<string, InboundHandler<never>>();
  private readonly log: Logger;
  private queue: Queued[] = [];
  private readonly flushSoon = nextTick(() => void this.flush());
  private flushing: Promise<void> | null = null;

  constructor(private readonly o: InboundRouterOptions) {
    this.log = o.logger.child({ service: 'inbound' });
  }

  on<K extends InboundTopic['kind']>(kind: K, h: InboundHandler<K>): this {
    this.handlers.set(kind, h as unknown as InboundHandler<never>);
    return this;
  }

  /** Queues a message; it is handled on the next tick with the rest of its burst, in arrival order. */
  dispatch(topic: string, payload: Buffer, retain: boolean): void {
    if (payload.length > (this.o.maxMessageBytes ?? INBOUND_MAX_BYTES)) {
      this.stats.tooLarge++;
      this.log.warn({ topic: topic.slice(0, 200), bytes: payload.length }, 'inbound message over the size cap dropped');
      this.o.report?.({ code: 'SP_MQTT_INBOUND_TOO_LARGE', severity: 'security', message: 'inbound message over the size cap dropped', topic: topic.slice(0, 200), bytes: payload.length });
      return;
    }
    if (this.queue.length >= (this.o.maxQueued ?? 10_000)) {
      // Shed the newest: what is queued is already half handled; retained state comes back on reconnect.
      if (this.stats.shed++ % 1000 === 0) {
        this.log.warn({ queued: this.queue.length, shed: this.stats.shed }, 'inbound queue full: shedding');
        this.o.report?.({ code: 'SP_MQTT_INBOUND_SHED', severity: 'warning', message: 'inbound queue full: messages shed', queued: this.queue.length, shed: this.stats.shed });
      }
      return;
    }
    this.queue.push({ topic, payload, retain });
    if (!this.flushing) this.flushSoon();
  }

  /** Handles everything queued (tests and benches await it to skip the tick). */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    this.flushing = (async () => {
      const max = this.o.maxBatch ?? 256;
      const prepare = (b: Queued[]) => (this.o.prepare && b.length ? this.o.prepare(b.map((m) => m.payload)).catch((e: Error) => {
        this.log.warn({ err: e.message }, 'batch preparation failed');
      }) : Promise.resolve());
      let burst = this.queue.splice(0, max);
      let prepared = prepare(burst);
      while (burst.length) {
        await prepared;
        // Prepare the next burst (signatures in worker threads) while this one is handled here.
        const next = this.queue.splice(0, max);
        const nextPrepared = prepare(next);
        this.stats.batches++;
        const current = burst;
        const run = () => { for (const m of current) this.handleOne(m.topic, m.payload, m.retain); };
        try {
          (this.o.batch ?? ((f: () => void) => f()))(run);
        } catch (e) {
          // The batch itself failed (disk full, database closed): nothing of it was stored.
          this.stats.failed += current.length;
          this.o.storage?.writeFailed(e);
          this.log.error({ err: (e as Error).message, messages: current.length }, 'inbound batch failed');
        }
        burst = next.length ? next : this.queue.splice(0, max);
        prepared = next.length ? nextPrepared : prepare(burst);
      }
    })();
    try { await this.flushing; } finally { this.flushing = null; }
  }

  private handleOne(topic: string, payload: Buffer, retain: boolean): void {
    this.stats.dispatched++;
    const t = parseInboundTopic(this.o.prefix, topic);
    if (!t) {
      this.stats.unknownTopic++;
      this.log.warn({ topic }, 'message on an unknown topic dropped');
      return;
    }
    const forPole = t.kind === 'notice' || t.kind === 'update' ? (t.target.scope === 'pole' ? t.target.poleId : undefined) : t.kind === 'trust' || t.kind === 'update-chunk' ? undefined : t.poleId;
    if (forPole !== undefined && forPole !== this.o.poleId) {
      // We never subscribe there; only a misconfigured broker or bridge delivers it.
      this.stats.otherPole++;
      this.log.warn({ topic }, 'message for another pole dropped');
      return;
    }
    const h = this.handlers.get(t.kind) as InboundHandler<typeof t.kind> | undefined;
    if (!h) {
      this.stats.unhandled++;
      this.log.debug({ topic, kind: t.kind }, 'no handler for message kind');
      return;
    }
    try {
      (h as (t: InboundTopic, p: Buffer, topic: string, retain: boolean) => void)(t, payload, topic, retain);
    } catch (e) {
      this.stats.failed++;
      if (this.o.storage?.writeFailed(e)) {
        this.log.warn({ topic }, 'message not stored: disk full');
        return;
      }
      this.log.error({ topic, err: (e as Error).message, stack: (e as Error).stack }, 'handler failed');
    }
  }
}
