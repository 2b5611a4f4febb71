/**
 * Reporter: the one place that shapes pole → city records (receipts, events, telemetry, command
 * responses, proof of play, citizens' messages; schemas in protocols/uplink.ts) and puts them in
 * the outbox. Events are rate-limited per code so a flood of forged messages cannot fill the
 * outbox (docs/mqtt-api.md §What a bad message gets); a refusal's receipt shares its event's budget.
 * What the limiter swallows is counted and reported (SP_EVENTS_SUPPRESSED) when the code's window
 * reopens, or by flush().
 */
import type { Logger } from 'pino';
import { zonedIsoFormatter } from '../../protocols/time.js';
import type { PoleTopics } from '../../protocols/topics.js';
import type { FeedbackRatingRecord, FeedbackRecord, ReceiptStatus } from '../../protocols/uplink.js';
import type { CommandResponse } from '../../protocols/command.js';
import type { Outbox, OutboxClass } from './outbox.js';

export type { ReceiptStatus } from '../../protocols/uplink.js';

export interface ReceiptInput {
  kind: 'notice' | 'dataset' | 'reply';
  id: string;
  issuer?: string | undefined;
  version?: number | undefined;
  status: ReceiptStatus;
  code?: string | undefined;
  reason?: string | undefined;
  cap?: { sender: string; identifier: string; msgType: string } | undefined;
}

export interface EventInput {
  /** An error code (SP_…) or an event name (e.g. modem.state). */
  code: string;
  severity: 'info' | 'warning' | 'alarm' | 'security';
  message: string;
  [k: string]: unknown;
}

/** A citizen's message as FeedbackService makes it (FeedbackRecord without the record envelope). */
export type FeedbackInput = Omit<FeedbackRecord, 'type' | 'poleId' | 'at' | 'uplink' | 'createdAt'> & {
  /** epoch ms */
  createdAt: number;
};

/** A citizen's rating as FeedbackService makes it (FeedbackRatingRecord without the record envelope). */
export type FeedbackRatingInput = Omit<FeedbackRatingRecord, 'type' | 'poleId' | 'at' | 'uplink' | 'ratedAt'> & {
  /** epoch ms */
  ratedAt: number;
};

export interface ReporterOptions {
  outbox: Outbox;
  topics: PoleTopics;
  poleId: string;
  timeZone: string;
  logger: Logger;
  now?: () => number;
  /** The clock of the per-code rate windows: monotonic, so a wall-clock jump neither opens nor stalls them (runtime/clock-watch.ts). Default `now`. */
  monotonic?: () => number;
  /** Events per code per minute. Default 10. */
  eventsPerMinute?: number;
}

interface Bucket { windowStart: number; count: number; suppressed: number }

export class Reporter {
  private readonly now: () => number;
  private readonly buckets = new Map<string, Bucket>();
  private readonly log: Logger;
  private readonly iso: (ms: number) => string;

  constructor(private readonly o: ReporterOptions) {
    this.now = o.now ?? Date.now;
    this.iso = zonedIsoFormatter(o.timeZone);
    this.log = o.logger.child({ service: 'reporter' });
  }

  stamp(ms = this.now()): string {
    return this.iso(ms);
  }

  /** Fields left undefined are simply absent in the JSON (JSON.stringify drops them). */
  private put(topic: string, body: Record<string, unknown>, cls: OutboxClass): number {
    return this.o.outbox.enqueue(topic, { ...body, poleId: this.o.poleId, at: this.stamp() }, cls);
  }

  receipt(r: ReceiptInput): void {
    this.put(this.o.topics.receipts, { type: 'receipt', ...r }, 'receipt');
  }

  /** Returns false when the event was suppressed by the rate limit. */
  event(e: EventInput): boolean {
    if (!this.allow(e.code)) return false;
    this.put(this.o.topics.events, { type: 'event', ...e }, e.severity === 'security' ? 'security' : 'event');
    return true;
  }

  /**
   * An event of a process only a signed, accepted message starts (an update's steps: docs/updates.md
   * §Reports): bounded by that process, so not under the per-code budget — a forged message cannot
   * start one. Refusals still go through event()/refusal().
   */
  step(e: EventInput): void {
    this.put(this.o.topics.events, { type: 'event', ...e }, 'event');
  }

  /**
   * A refused city → pole message: a security event and, where the sender can be told, a
   * `rejected` receipt — both under the event's per-code budget, so a flood stays bounded.
   */
  refusal(e: EventInput, receipt?: ReceiptInput): boolean {
    if (!this.allow(e.code)) return false;
    this.put(this.o.topics.events, { type: 'event', ...e }, e.severity === 'security' ? 'security' : 'event');
    if (receipt) this.receipt(receipt);
    return true;
  }

  telemetry(kind: string, values: Record<string, unknown>): void {
    this.put(this.o.topics.telemetry, { type: 'telemetry', kind, values }, 'telemetry');
  }

  /**
   * A charging record (a finished session, meter reading for billing): on the telemetry
   * topic like any measurement, but in the `charging` class, which the outbox never drops. Call it
   * inside the transaction that stores the record.
   */
  charging(kind: string, values: Record<string, unknown>): void {
    this.put(this.o.topics.telemetry, { type: 'telemetry', kind, values }, 'charging');
  }

  /** The one response to a command (runtime/commands/command-channel.ts builds it). */
  commandResponse(r: Omit<CommandResponse, 'type' | 'poleId' | 'at' | 'uplink'> & { at: string }): number {
    return this.o.outbox.enqueue(this.o.topics.cmdRes, { type: 'cmdres', poleId: this.o.poleId, ...r }, 'cmdres');
  }

  /** An hourly proof-of-play record (runtime/notices/proof-of-play.ts). */
  proofOfPlay(from: number, to: number, items: { id: string; issuer: string; version: number; plays: number; seconds: number }[]): void {
    this.put(this.o.topics.receipts, { type: 'proofOfPlay', from: this.stamp(from), to: this.stamp(to), items }, 'audit');
  }

  /**
   * A citizen's message: call inside FeedbackStore.add's transaction so the ticket and
   * its uplink record commit together. Throws SP_OUTBOX_FULL when it cannot be kept.
   */
  feedback(m: FeedbackInput): void {
    this.put(this.o.topics.feedback, { type: 'feedback', ...m, createdAt: this.stamp(m.createdAt) }, 'feedback');
  }

  /**
   * A citizen's rating of an answer: call inside FeedbackStore.addRating's transaction so the rating
   * and its uplink record commit together (class `feedback`, never dropped).
   */
  feedbackRating(r: FeedbackRatingInput): void {
    this.put(this.o.topics.feedback, { type: 'rating', ...r, ratedAt: this.stamp(r.ratedAt) }, 'feedback');
  }

  /** Reports what the limiter suppressed in windows that have not reopened yet (called periodically). */
  flush(): void {
    const now = this.now();
    for (const [code, b] of this.buckets) {
      if (b.suppressed > 0 && now - b.windowStart >= 60_000) this.reopen(code, b, now);
    }
  }

  private allow(code: string): boolean {
    const now = (this.o.monotonic ?? this.now)();
    const limit = this.o.eventsPerMinute ?? 10;
    let b = this.buckets.get(code);
    if (!b) {
      b = { windowStart: now, count: 0, suppressed: 0 };
      this.buckets.set(code, b);
    } else if (now - b.windowStart >= 60_000) {
      this.reopen(code, b, now);
    }
    if (b.count >= limit) {
      b.suppressed++;
      if (b.suppressed === 1) this.log.warn({ code }, 'event rate limit reached; suppressing');
      return false;
    }
    b.count++;
    return true;
  }

  private reopen(code: string, b: Bucket, now: number): void {
    const suppressed = b.suppressed;
    b.windowStart = now;
    b.count = 0;
    b.suppressed = 0;
    if (suppressed > 0) {
      this.put(this.o.topics.events, {
        type: 'event', code: 'SP_EVENTS_SUPPRESSED', severity: 'warning',
        message: `${suppressed} ${code} events suppressed in the last minute`, suppressedCode: code, suppressed,
      }, 'event');
    }
  }
}
