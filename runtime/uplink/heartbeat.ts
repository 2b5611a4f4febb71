/**
 * Heartbeat: while connected, a small retained `poles/{id}/heartbeat` every `mqtt.heartbeatSec`
 * (docs/fleet.md §Liveness). A Will is published by the broker node that held the connection; on
 * a cluster, a node that dies takes the Will with it and the pole's last birth keeps saying
 * "online". Ops therefore also ask "when was it last heard?": `ops fleet` marks a pole `stale`
 * when neither a birth nor a heartbeat arrived within a multiple of this interval.
 *
 * QoS 0 and not through the outbox: liveness is about now; a lost beat is replaced by the next.
 */
import type { Logger } from 'pino';
import type { MqttSession } from './mqtt-session.js';

export interface HeartbeatOptions {
  session: MqttSession;
  topic: string;
  poleId: string;
  intervalSec: number;
  logger: Logger;
  now?: () => number;
}

/** What a heartbeat carries (docs/mqtt-api.md §Heartbeat). */
export interface HeartbeatPayload {
  poleId: string;
  bdSeq: number;
  at: string;
  intervalSec: number;
  broker: string;
}

export class Heartbeat {
  private timer: NodeJS.Timeout | null = null;
  sent = 0;
  private readonly now: () => number;
  private readonly onConnected = () => this.arm();
  private readonly onDisconnected = () => this.disarm();

  constructor(private readonly o: HeartbeatOptions) {
    this.now = o.now ?? Date.now;
    if (o.intervalSec <= 0) return;
    o.session.on('connected', this.onConnected);
    o.session.on('disconnected', this.onDisconnected);
    if (o.session.connected) this.arm();
  }

  payload(): HeartbeatPayload {
    const s = this.o.session;
    return { poleId: this.o.poleId, bdSeq: s.bdSeq, at: new Date(this.now()).toISOString(), intervalSec: this.o.intervalSec, broker: s.brokerUrl };
  }

  /** Publishes one beat now (also what the timer does). */
  async beat(): Promise<void> {
    if (!this.o.session.connected) return;
    await this.o.session.publish(this.o.topic, JSON.stringify(this.payload()), { qos: 0, retain: true });
    this.sent++;
  }

  stop(): void {
    this.disarm();
    this.o.session.off('connected', this.onConnected);
    this.o.session.off('disconnected', this.onDisconnected);
  }

  private arm(): void {
    this.disarm();
    this.timer = setInterval(() => {
      this.beat().catch((e: Error) => this.o.logger.debug({ err: e.message }, 'heartbeat not sent'));
    }, this.o.intervalSec * 1000);
    this.timer.unref?.();
  }

  private disarm(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
