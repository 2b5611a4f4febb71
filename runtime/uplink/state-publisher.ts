/**
 * Keeps the retained birth on `poles/{id}/state` current (docs/mqtt-api.md §State: birth and will):
 * MqttSession publishes it on every connect and on `state.rebirth`; this watches the devices' health
 * and publishes it again when a status changes (ok → down, …), at most once per `minIntervalMs`.
 * Counters that change all the time (frames, bytes) do not trigger a birth; they are in telemetry.
 */
import type { Logger } from 'pino';
import type { HealthRegistry } from '../health.js';
import type { MqttSession } from './mqtt-session.js';
import { periodic, type Periodic } from '../../lib/periodic.js';

export interface StatePublisherOptions {
  mqtt: MqttSession;
  health: HealthRegistry;
  logger: Logger;
  /** Health check period. Default 2 s. */
  checkMs?: number;
  /** Least time between births caused by changes. Default 10 s. */
  minIntervalMs?: number;
}

export function healthSignature(snapshot: Record<string, { status: string }>): string {
  return Object.entries(snapshot).map(([k, v]) => `${k}=${v.status}`).sort().join(',');
}

export class StatePublisher {
  readonly stats = { changeBirths: 0 };
  private last = '';
  private lastBirthAt = 0;
  private readonly timer: Periodic;
  private readonly log: Logger;

  constructor(private readonly o: StatePublisherOptions) {
    this.log = o.logger.child({ service: 'state' });
    this.timer = periodic(() => this.check(), o.checkMs ?? 2000);
    o.mqtt.on('birth', () => {
      this.last = healthSignature(o.health.snapshot());
      this.lastBirthAt = Date.now();
    });
  }

  start(): void {
    this.timer.start();
  }

  stop(): void {
    this.timer.stop();
  }

  check(): void {
    if (!this.o.mqtt.connected) return;
    const sig = healthSignature(this.o.health.snapshot());
    if (sig === this.last || Date.now() - this.lastBirthAt < (this.o.minIntervalMs ?? 10_000)) return;
    this.log.info({ from: this.last, to: sig }, 'health changed; publishing birth');
    this.stats.changeBirths++;
    this.last = sig;
    this.o.mqtt.rebirth().catch((e: Error) => this.log.warn({ err: e.message }, 'birth publish failed'));
  }
}
