/**
 * Moves outbox records to the broker while connected: in order, a bounded window in flight, each
 * deleted after its PUBACK (deletes are batched into one transaction per tick; a crash before the
 * batch commits only re-sends records the receiver drops by `uplink.seq`). After a reconnect it
 * starts again from the oldest unacknowledged record, so nothing acknowledged is lost and nothing
 * unacknowledged is skipped.
 *
 * Sending is always scheduled on a later tick (setImmediate), never inside the enqueue call: a
 * record is only published once the transaction that wrote it has committed.
 */
import type { Logger } from 'pino';
import type { Outbox } from './outbox.js';
import type { MqttSession } from './mqtt-session.js';
import { nextTick } from '../../lib/next-tick.js';

export interface OutboxPublisherOptions {
  /** Records in flight (published, PUBACK pending). Default 128. */
  window?: number;
  /** Called when the broker refuses a record (MQTT 5 reason code ≥ 0x80). */
  onRefused?: (seq: number, topic: string, reason: string) => void;
}

export class OutboxPublisher {
  readonly stats = { published: 0, acked: 0, refused: 0 };
  private lastSent = 0;
  private inFlight = 0;
  private epoch = 0;
  private readonly pumpSoon = nextTick(() => this.pump());
  private acks: number[] = [];
  private readonly ackSoon = nextTick(() => this.ackBatch());
  private readonly window: number;
  private readonly log: Logger;

  constructor(private readonly outbox: Outbox, private readonly session: MqttSession, logger: Logger, private readonly o: OutboxPublisherOptions = {}) {
    this.window = o.window ?? 128;
    this.log = logger.child({ service: 'outbox' });
    session.on('connected', () => { this.epoch++; this.lastSent = 0; this.inFlight = 0; this.schedule(); });
    session.on('disconnected', () => { this.epoch++; this.inFlight = 0; });
    outbox.on('enqueued', () => this.schedule());
  }

  /** Sends what fits in the window, on the next tick. */
  schedule(): void {
    this.pumpSoon();
  }

  /** Resolves when every record enqueued so far has been acknowledged (tests, orderly stop). */
  async drained(timeoutMs = 10_000): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (this.outbox.depth() === 0) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.outbox.depth() === 0;
  }

  private pump(): void {
    if (!this.session.connected) return;
    const room = this.window - this.inFlight;
    if (room <= 0) return;
    const epoch = this.epoch;
    for (const r of this.outbox.next(this.lastSent, room)) {
      this.lastSent = r.seq;
      this.inFlight++;
      this.stats.published++;
      this.session.publish(r.topic, r.payload, { qos: 1, retain: r.retain }).then(
        () => {
          this.ackLater(r.seq); // a PUBACK always means delivered, whatever happened since
          if (epoch !== this.epoch) return;
          this.inFlight--;
          this.schedule();
        },
        (e: Error & { code?: number | string; reasonCode?: number }) => {
          if (epoch !== this.epoch) return;
          const reasonCode = e.reasonCode ?? (typeof e.code === 'number' ? e.code : undefined);
          if (reasonCode !== undefined && reasonCode >= 0x80) {
            // Refused by the broker (e.g. ACL, MQTT 5): keep it for the next connection, go on with the rest.
            this.inFlight--;
            this.stats.refused++;
            this.o.onRefused?.(r.seq, r.topic, `${e.message} (reason code 0x${reasonCode.toString(16)})`);
            this.schedule();
            return;
          }
          this.log.debug({ err: e.message, seq: r.seq }, 'publish not acknowledged; will resend after reconnect');
        },
      );
    }
  }

  private ackLater(seq: number): void {
    this.acks.push(seq);
    this.stats.acked++;
    this.ackSoon();
  }

  /** Deletes the records acknowledged since the last batch, in one transaction. */
  private ackBatch(): void {
    const batch = this.acks;
    this.acks = [];
    try {
      this.outbox.ackMany(batch);
    } catch (e) {
      // The database is closing (orderly stop): the records are re-sent next start and deduplicated.
      this.log.warn({ err: (e as Error).message, count: batch.length }, 'could not delete acknowledged records');
    }
  }
}
