import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { decodeBrightness, type Status } from '../../protocols/led-link/messages.js';
import { CommandRegistry } from '../commands/registry.js';
import { autoPercent, scheduled } from './brightness-curve.js';
import { BrightnessService, type BrightnessConfig } from './brightness.js';
import { registerBrightnessCommands } from './brightness-commands.js';
import { testLogger } from '../../test/helpers/logger.js';

const CFG: BrightnessConfig = { nightFloorPercent: 12, maxPercent: 100, darkLux: 10, brightLux: 30_000, smoothingSec: 30, rampMs: 2000, minStepPercent: 2, noSensorPercent: 70, schedule: [] };

class FakeLink extends EventEmitter {
  sent: { percent: number; rampMs: number }[] = [];
  async send(_type: number, payload: Uint8Array): Promise<void> { this.sent.push(decodeBrightness(payload)!); }
  status(lux: number): void { this.emit('status', { ambientLux: lux } as Status); }
}

const flush = () => new Promise((r) => setImmediate(r));

describe('brightness curve', () => {
  it('holds the night floor in the dark, full power in sunlight, and rises monotonically between', () => {
    expect(autoPercent(1, CFG)).toBe(12);
    expect(autoPercent(10, CFG)).toBe(12);
    expect(autoPercent(100_000, CFG)).toBe(100);
    fc.assert(fc.property(fc.double({ min: 0, max: 200_000, noNaN: true }), fc.double({ min: 0, max: 200_000, noNaN: true }), (a, b) => {
      const [lo, hi] = a < b ? [a, b] : [b, a];
      expect(autoPercent(lo, CFG)).toBeLessThanOrEqual(autoPercent(hi, CFG) + 1e-9);
    }));
  });

  it('schedules wrap past midnight and respect weekdays', () => {
    const e = [{ from: '23:00', to: '05:00', percent: 20, days: [5] }];
    expect(scheduled(e, 23 * 60 + 30, 5)?.percent).toBe(20); // Friday 23:30
    expect(scheduled(e, 2 * 60, 6)?.percent).toBe(20); // Saturday 02:00 belongs to Friday night
    expect(scheduled(e, 2 * 60, 5)).toBeNull(); // Friday 02:00 belongs to Thursday night
    expect(scheduled(e, 12 * 60, 5)).toBeNull();
  });
});

describe('BrightnessService', () => {
  it('follows smoothed lux, sends nothing for tiny changes, and obeys override then schedule', async () => {
    let now = Date.parse('2026-11-26T12:00:00+08:00');
    const link = new FakeLink();
    const svc = new BrightnessService({ link, config: { ...CFG, schedule: [{ from: '01:00', to: '05:00', percent: 25 }] }, timeZone: 'Asia/Shanghai', logger: testLogger(), now: () => now });
    link.emit('ready');
    await flush();
    expect(link.sent.at(-1)).toEqual({ percent: 70, rampMs: 0 }); // no reading yet
    link.status(50_000);
    await flush();
    expect(link.sent.at(-1)!.percent).toBe(100);
    // A passing cloud for 5 s barely moves the smoothed level: nothing is sent.
    const before = link.sent.length;
    now += 5000;
    link.status(40_000);
    await flush();
    expect(link.sent.length).toBe(before);
    // Dusk: a minute of 20 lux brings it down towards the floor, with a ramp.
    for (let i = 0; i < 12; i++) { now += 10_000; link.status(20); await flush(); }
    expect(link.sent.at(-1)!.percent).toBeLessThan(30);
    expect(link.sent.at(-1)!.rampMs).toBe(2000);
    svc.setOverride(55, 60);
    await flush();
    expect(link.sent.at(-1)!.percent).toBe(55);
    expect(svc.state().source).toBe('override');
    now += 61_000;
    expect(svc.state().source).toBe('auto');
    now = Date.parse('2026-11-27T02:00:00+08:00');
    expect(svc.state()).toMatchObject({ source: 'schedule', percent: 25 });
  });

  it('the screen.brightness command overrides, resumes and reports; refuses when no board is fitted', async () => {
    const link = new FakeLink();
    const svc = new BrightnessService({ link, config: CFG, timeZone: 'Asia/Shanghai', logger: testLogger() });
    const reg = new CommandRegistry();
    registerBrightnessCommands(reg, svc);
    const ctx = { source: 'sim' as const, now: Date.now() };
    expect(await reg.execute('screen.brightness', { percent: 40, durationSec: 600 }, ctx)).toMatchObject({ ok: true, result: { percent: 40, source: 'override' } });
    expect(await reg.execute('screen.brightness', { auto: true }, ctx)).toMatchObject({ ok: true, result: { source: 'no-sensor' } });
    expect(await reg.execute('screen.brightness', { percent: 140 }, ctx)).toMatchObject({ ok: false, error: { code: 'SP_CMD_BAD_ARGS' } });
    expect(await reg.execute('screen.brightness', { percent: 10, auto: true }, ctx)).toMatchObject({ ok: false, error: { code: 'SP_CMD_BAD_ARGS' } });
    const none = new CommandRegistry();
    registerBrightnessCommands(none, null);
    expect(await none.execute('screen.brightness', {}, ctx)).toMatchObject({ ok: false, error: { code: 'SP_CMD_NOT_FITTED' } });
  });
});
