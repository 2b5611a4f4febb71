import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { HealthRegistry, type Health } from '../health.js';
import { StatePublisher } from './state-publisher.js';
import type { MqttSession } from './mqtt-session.js';
import { testLogger } from '../../test/helpers/logger.js';

describe('StatePublisher', () => {
  it('publishes the birth again when a device status changes, not when counters do, at most once per interval', async () => {
    let births = 0;
    const mqtt = Object.assign(new EventEmitter(), {
      connected: true,
      rebirth: async function (this: EventEmitter) { births++; this.emit('birth', 1); return 1; },
    }) as unknown as MqttSession;
    const health = new HealthRegistry();
    let led: Health = { status: 'ok', frames: 1 };
    health.register('led', () => led);
    const sp = new StatePublisher({ mqtt, health, logger: testLogger(), minIntervalMs: 0 });
    mqtt.emit('birth', 1); // the birth at connect sets the baseline
    led = { status: 'ok', frames: 99 };
    sp.check();
    expect(births).toBe(0);
    led = { status: 'down', detail: 'unplugged' };
    sp.check();
    await new Promise((r) => setImmediate(r));
    expect(births).toBe(1);
    sp.check();
    expect(births).toBe(1);
    const slow = new StatePublisher({ mqtt, health, logger: testLogger(), minIntervalMs: 60_000 });
    mqtt.emit('birth', 1);
    led = { status: 'ok' };
    slow.check();
    expect(births).toBe(1); // too soon after the last birth; the next check after the interval sends it
  });
});
