/**
 * What "up" and "healthy" mean for a running pole, for the systemd supervisor
 * (docs/deployment.md §Watchdog):
 * - up: the first frame reached the LED board (or the board is known absent: not configured, or
 *   its serial device cannot be opened) and the first MQTT connection attempt has finished;
 * - core health (withholds the watchdog ping): the database answers, the V8 heap is below 95 % of
 *   its limit. Devices that are unplugged or a broker that is down are reported in STATUS but do
 *   not stop the pings: a restart would not fix them, and the runtime already retries them.
 */
import { getHeapStatistics } from 'node:v8';
import { LinkState } from '../../device/serial/serial-link.js';
import { MqttState } from '../uplink/mqtt-session.js';
import type { Pole } from '../pole.js';
import type { ServiceSubject } from './supervisor.js';

const HEAP_LIMIT_FRACTION = 0.95;

/** "led ok · touch absent · modem down (no SIM) · mqtt ok" — what `systemctl status` shows. */
export function healthLine(snapshot: Record<string, { status: string; detail?: string | undefined }>): string {
  return Object.entries(snapshot)
    .map(([name, h]) => (h.status === 'ok' || h.status === 'absent' || !h.detail ? `${name} ${h.status}` : `${name} ${h.status} (${h.detail.slice(0, 60)})`))
    .join(' · ');
}

export function poleServiceSubject(pole: Pole): ServiceSubject {
  let presented = false;
  pole.once('presented', () => { presented = true; });
  const { led: { board }, uplink: { mqtt }, storage } = pole.services;
  return {
    awaiting(): string | null {
      const ledAbsent = board === null || board.serial.state === LinkState.Waiting;
      if (!presented && !ledAbsent) return 'the first frame on the LED board';
      if (mqtt.state !== MqttState.Connected && mqtt.state !== MqttState.Waiting) return 'the first MQTT connection attempt';
      return null;
    },
    status(): string {
      return healthLine(pole.health.snapshot());
    },
    coreProblems(): string[] {
      const out: string[] = [];
      try {
        storage.ping();
      } catch (e) {
        out.push(`database: ${(e as Error).message}`);
      }
      const h = getHeapStatistics();
      if (h.used_heap_size > HEAP_LIMIT_FRACTION * h.heap_size_limit) {
        out.push(`heap ${Math.round(h.used_heap_size / 2 ** 20)} MiB of ${Math.round(h.heap_size_limit / 2 ** 20)} MiB`);
      }
      return out;
    },
  };
}
