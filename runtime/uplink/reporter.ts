/**
 * Reporter: the one place that shapes pole → city records (receipts, events, telemetry) and puts
 * them in the outbox. Events are rate-limited per code so a flood of forged messages cannot fill
 * the outbox (issue 5 §2); what the limiter swallows is counted and reported when it reopens.
 */
import type { Logger } from 'pino';
import { isoInZone } from '../../protocols/time.js';
import type { PoleTopics } from '../../protocols/topics.js';
import type { Outbox } from './outbox.js';

export type ReceiptStatus = 'accepted' | 'rejected' | 'displayed' | 'expired' | 'withdrawn';

export interface ReceiptInput {
  kind: string;
  id: string;
  issuer?: string;
  version?: number;
  status: ReceiptStatus;
  code?: string;
  reason?: string;
}

export interface EventInput {
  /** An error code (SP_…) or an event name (e.g. modem.state). */
  code: string;
  severity: 'info' | 'warning' | 'alarm' | 'security';
  message: string;
  [k: string]: unknown;
}

export interface ReporterOptions {
  outbox: Outbox;
  topics: PoleTopics;
  poleId: string;
  timeZone: string;
  logger: Logger;
  now?: () => number;
  /** Events per code per minute before suppression. Default 10. */
  eventsPerMinute?: number;
}

export class Reporter {
  private readonly now: () => number;
  private readonly buckets = new Map<string, { windowStart: number; count: number; suppressed: number }>();
  private readonly log: Logger;

  constructor(private readonly o: ReporterOptions) {
    this.now = o.now ?? Date.now;
    this.log = o.logger.child({ service: 'reporter' });
  }

  private stamp(): string {
    return isoInZone(this.now(), this.o.timeZone);
  }

  receipt(r: ReceiptInput): void {
    this.o.outbox.enqueue(this.o.topics.receipts, { type: 'receipt', poleId: this.o.poleId, at: this.stamp(), ...r }, 'receipt');
  }

  /** Returns false when the event was suppressed by the rate limit. */
  event(e: EventInput): boolean {
    const now = this.now();
    const limit = this.o.eventsPerMinute ?? 10;
    let b = this.buckets.get(e.code);
    if (!b || now - b.windowStart >= 60_000) {
      const suppressed = b?.suppressed ?? 0;
      b = { windowStart: now, count: 0, suppressed: 0 };
      this.buckets.set(e.code, b);
      if (suppressed > 0) {
        this.o.outbox.enqueue(this.o.topics.events, {
          type: 'event', poleId: this.o.poleId, at: this.stamp(), code: 'SP_EVENTS_SUPPRESSED', severity: 'warning',
          message: `${suppressed} ${e.code} events suppressed in the last minute`, suppressedCode: e.code, suppressed,
        }, 'event');
      }
    }
    if (b.count >= limit) {
      b.suppressed++;
      if (b.suppressed === 1) this.log.warn({ code: e.code }, 'event rate limit reached; suppressing');
      return false;
    }
    b.count++;
    this.o.outbox.enqueue(this.o.topics.events, { type: 'event', poleId: this.o.poleId, at: this.stamp(), ...e }, 'event');
    return true;
  }

  telemetry(kind: string, values: Record<string, unknown>): void {
    this.o.outbox.enqueue(this.o.topics.telemetry, { type: 'telemetry', kind, poleId: this.o.poleId, at: this.stamp(), values }, 'telemetry');
  }
}
