/**
 * The uplink reporting on itself: outbox drops become one SP_OUTBOX_DROPPED event per minute
 * (not one per record: the event would itself need room), refused publishes and subscriptions
 * become events, an outage's end is an `mqtt.reconnected` event with its length, and every
 * `telemetryIntervalSec` an `uplink` telemetry record carries the outbox and MQTT figures.
 */
import type { Logger } from 'pino';
import type { Outbox, OutboxClass } from './outbox.js';
import type { MqttSession } from './mqtt-session.js';
import type { OutboxPublisher } from './outbox-publisher.js';
import type { Reporter } from './reporter.js';
import { UplinkErrors } from './errors.js';

export interface UplinkMonitorOptions {
  outbox: Outbox;
  mqtt: MqttSession;
  publisher: OutboxPublisher;
  reporter: Reporter;
  logger: Logger;
  now: () => number;
  telemetryIntervalSec: number;
}

export class UplinkMonitor {
  private drops = new Map<OutboxClass, number>();
  private timers: NodeJS.Timeout[] = [];
  private readonly log: Logger;

  constructor(private readonly o: UplinkMonitorOptions) {
    this.log = o.logger.child({ service: 'uplink' });
    o.outbox.on('dropped', (cls, n) => this.drops.set(cls, (this.drops.get(cls) ?? 0) + n));
    o.mqtt.on('subscribeRefused', (topic, code) => {
      o.reporter.event({ code: 'SP_MQTT_SUBSCRIBE_REFUSED', severity: 'alarm', message: UplinkErrors.SP_MQTT_SUBSCRIBE_REFUSED.message, topic, reasonCode: code });
    });
    o.mqtt.on('connected', () => {
      const lost = o.mqtt.stats.lastDisconnectAt;
      if (lost) o.reporter.event({ code: 'mqtt.reconnected', severity: 'info', message: 'MQTT connection back', outageSec: Math.round((o.now() - lost) / 1000), outboxDepth: o.outbox.depth() });
    });
  }

  /** For OutboxPublisher's onRefused. */
  refused(seq: number, topic: string, reason: string): void {
    this.log.error({ seq, topic, reason }, 'broker refused a publish');
    this.o.reporter.event({ code: 'SP_UPLINK_REFUSED', severity: 'alarm', message: UplinkErrors.SP_UPLINK_REFUSED.message, topic, seq, reason });
  }

  start(): void {
    const t = setInterval(() => this.reportDrops(), 60_000);
    t.unref?.();
    this.timers.push(t);
    if (this.o.telemetryIntervalSec > 0) {
      const tt = setInterval(() => this.telemetry(), this.o.telemetryIntervalSec * 1000);
      tt.unref?.();
      this.timers.push(tt);
    }
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  reportDrops(): void {
    try {
      this.o.reporter.flush();
      if (this.drops.size === 0) return;
      const byClass = Object.fromEntries(this.drops);
      const total = [...this.drops.values()].reduce((a, b) => a + b, 0);
      this.drops.clear();
      this.log.warn({ byClass, total }, 'outbox records dropped to stay within bounds');
      this.o.reporter.event({ code: 'SP_OUTBOX_DROPPED', severity: 'warning', message: UplinkErrors.SP_OUTBOX_DROPPED.message, dropped: total, byClass, depth: this.o.outbox.depth(), bytes: this.o.outbox.bytes() });
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'could not report drops');
    }
  }

  figures(): Record<string, unknown> {
    const { outbox, mqtt, publisher } = this.o;
    return {
      outboxDepth: outbox.depth(), outboxBytes: outbox.bytes(), enqueued: outbox.stats.enqueued, dropped: outbox.stats.dropped,
      published: publisher.stats.published, acked: publisher.stats.acked, refused: publisher.stats.refused,
      connects: mqtt.stats.connects, disconnects: mqtt.stats.disconnects, received: mqtt.stats.received, state: mqtt.state,
    };
  }

  telemetry(): void {
    try {
      this.o.reporter.telemetry('uplink', this.figures());
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'uplink telemetry failed');
    }
  }
}
