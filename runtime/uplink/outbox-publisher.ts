/**
 * Moves outbox records to the broker while connected: in order, a bounded window in flight,
 * each deleted on its PUBACK. After a reconnect it starts again from the oldest unacknowledged
 * record, so nothing acknowledged is lost and nothing unacknowledged is skipped.
 */
import type { Logger } from 'pino';
import type { Outbox } from './outbox.js';
import type { MqttSession } from './mqtt-session.js';

export class OutboxPublisher {
  private lastSent = 0;
  private inFlight = 0;
  private epoch = 0;
  private readonly log: Logger;

  constructor(private readonly outbox: Outbox, private readonly session: MqttSession, logger: Logger, private readonly window = 64) {
    this.log = logger.child({ service: 'outbox' });
    session.on('connected', () => { this.epoch++; this.lastSent = 0; this.inFlight = 0; this.pump(); });
    session.on('disconnected', () => { this.epoch++; this.inFlight = 0; });
    outbox.on('enqueued', () => this.pump());
  }

  pump(): void {
    if (!this.session.connected) return;
    const room = this.window - this.inFlight;
    if (room <= 0) return;
    const epoch = this.epoch;
    for (const r of this.outbox.next(this.lastSent, room)) {
      this.lastSent = r.seq;
      this.inFlight++;
      this.session.publish(r.topic, r.payload, { qos: 1, retain: r.retain }).then(
        () => {
          this.outbox.ack(r.seq); // a PUBACK always means delivered, whatever happened since
          if (epoch !== this.epoch) return;
          this.inFlight--;
          this.pump();
        },
        (e: Error) => { if (epoch === this.epoch) this.log.debug({ err: e.message, seq: r.seq }, 'publish not acknowledged; will resend'); },
      );
    }
  }
}
