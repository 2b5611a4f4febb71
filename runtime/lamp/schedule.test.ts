/**
 * The lamp schedule on a fake clock: a whole year in Wuhan with switch points at sunset/sunrise and
 * civil dusk/dawn ± offsets, each compared on every day with an independent NOAA computation
 * (noaa.test-helper.ts) to within 2 minutes; calendar rules; dynamic controls; default level.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { LampSection, type LampConfig } from '../config/fieldbus-schema.js';
import { openDatabase } from '../storage/database.js';
import { Outbox } from '../uplink/outbox.js';
import { Reporter } from '../uplink/reporter.js';
import { poleTopics } from '../../protocols/topics.js';
import type { LampDriverUnit } from '../../device/fieldbus/units/lamp-driver.js';
import { LampSchedule } from './schedule.js';
import { SunClock } from './sun-clock.js';
import { LampService } from './lamp-service.js';
import { OverrideStore } from './override-store.js';
import { LampAlarms } from './lamp-alarms.js';
import { noaaEvent } from './noaa.test-helper.js';
import { localToEpoch } from './local-time.js';

const WUHAN = { lat: 30.6043, lon: 114.3012 };
const TZ = 'Asia/Shanghai';
const log = pino({ level: 'silent' });

function lampConfig(schedule: unknown, extra: Record<string, unknown> = {}): LampConfig {
  return LampSection.parse({ schedule, ...extra });
}

function scheduleOf(cfg: LampConfig): LampSchedule {
  return new LampSchedule(cfg.schedule, new SunClock(WUHAN.lat, WUHAN.lon, TZ), TZ, { level: cfg.defaultLevel, rampSec: cfg.rampSec });
}

/** A lamp driver that records what it is told, on the fake clock. */
function fakeDriver(now: () => number) {
  const commands: { at: number; level: number; rampSec: number }[] = [];
  const d = {
    online: true,
    on: () => d,
    setLevel: async (level: number, rampSec: number) => { commands.push({ at: now(), level, rampSec }); },
    configure: async () => {},
  };
  return { driver: d as unknown as LampDriverUnit, commands };
}

function service(cfg: LampConfig, now: () => number, driver: LampDriverUnit | null, recheckMs?: number) {
  const db = openDatabase(':memory:');
  const reporter = new Reporter({ outbox: new Outbox(db, { now }), topics: poleTopics('smartpole/v1', 'WH-JA-0001', []), poleId: 'WH-JA-0001', timeZone: TZ, logger: log, now });
  const svc = new LampService({
    config: cfg, driver, schedule: scheduleOf(cfg), overrides: new OverrideStore(db), alarms: new LampAlarms(db, { ...cfg.alarms, ratedPowerW: cfg.ratedPowerW }),
    reporter, timeZone: TZ, logger: log, now, recheckMs,
  });
  return { svc, db };
}

afterEach(() => { vi.useRealTimers(); });

describe('lamp schedule over a whole year in Wuhan (fake clock)', () => {
  it('switches on at sunset−10 and off at sunrise+10 within 2 min of NOAA, every day of 2026', async () => {
    vi.useFakeTimers();
    const start = localToEpoch({ y: 2026, m: 1, d: 1 }, 12, 0, TZ);
    vi.setSystemTime(start);
    const cfg = lampConfig({
      dayOffset: 12, defaultProgram: 'standard',
      programs: { standard: { switchPoints: [{ astro: 'sunset', offsetMin: -10, level: 100, rampSec: 30 }, { astro: 'sunrise', offsetMin: 10, level: 0, rampSec: 30 }] } },
    }, { photocell: { enabled: false }, alarms: { telemetrySec: 86_400 } });
    const { driver, commands } = fakeDriver(Date.now);
    const { svc } = service(cfg, Date.now, driver, 6 * 3_600_000);
    svc.start();
    const end = localToEpoch({ y: 2027, m: 1, d: 2 }, 12, 0, TZ);
    while (Date.now() < end) await vi.advanceTimersToNextTimerAsync();
    svc.stop();
    // One on and one off per day, each matched against NOAA for that local date.
    const changes = commands.filter((c, i) => i === 0 || c.level !== commands[i - 1]!.level).slice(1);
    const ons = changes.filter((c) => c.level === 100);
    const offs = changes.filter((c) => c.level === 0);
    expect(ons.length).toBeGreaterThanOrEqual(365);
    expect(offs.length).toBeGreaterThanOrEqual(365);
    let worst = 0;
    for (let day = 0; day < 365; day++) {
      const date = new Date(Date.UTC(2026, 0, 1 + day));
      const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
      const sunset = noaaEvent(y, m, d, WUHAN.lat, WUHAN.lon, 8, false) - 10 * 60_000;
      const next = new Date(Date.UTC(y, m - 1, d + 1));
      const sunrise = noaaEvent(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), WUHAN.lat, WUHAN.lon, 8, true) + 10 * 60_000;
      const on = ons.find((c) => Math.abs(c.at - sunset) < 3_600_000);
      const off = offs.find((c) => Math.abs(c.at - sunrise) < 3_600_000);
      expect(on, `switch-on on ${y}-${m}-${d}`).toBeDefined();
      expect(off, `switch-off on ${y}-${m}-${d}`).toBeDefined();
      const err = Math.max(Math.abs(on!.at - sunset), Math.abs(off!.at - sunrise));
      worst = Math.max(worst, err);
      expect(err, `${y}-${m}-${d}: ${(err / 1000).toFixed(0)} s from NOAA`).toBeLessThanOrEqual(120_000);
      expect(on!.rampSec).toBe(30);
    }
    // suncalc 2 and NOAA agree to well within the budget in Wuhan (typically < 1 min).
    expect(worst).toBeLessThan(120_000);
  });

  it('civil dusk +15 / civil dawn −15 on every day of the year, within 2 min of NOAA (zenith 96°)', () => {
    const cfg = lampConfig({
      dayOffset: 12, defaultProgram: 'civil',
      programs: { civil: { switchPoints: [{ astro: 'civilDusk', offsetMin: 15, level: 80 }, { astro: 'civilDawn', offsetMin: -15, level: 0 }] } },
    });
    const sch = scheduleOf(cfg);
    for (let day = 0; day < 365; day++) {
      const date = new Date(Date.UTC(2026, 0, 1 + day));
      const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
      const dusk = noaaEvent(y, m, d, WUHAN.lat, WUHAN.lon, 8, false, 96) + 15 * 60_000;
      // Fake clock: the schedule's own "next change" from local noon lands on the switch point.
      const noon = localToEpoch({ y, m, d }, 12, 1, TZ);
      const dec = sch.evaluate(noon);
      expect(dec.level).toBe(0);
      expect(Math.abs(dec.next - dusk), `${y}-${m}-${d} dusk`).toBeLessThanOrEqual(120_000);
      expect(sch.evaluate(dec.next).level).toBe(80);
      const dawnNext = sch.evaluate(dec.next).next;
      const nextDay = new Date(Date.UTC(y, m - 1, d + 1));
      const dawn = noaaEvent(nextDay.getUTCFullYear(), nextDay.getUTCMonth() + 1, nextDay.getUTCDate(), WUHAN.lat, WUHAN.lon, 8, true, 96) - 15 * 60_000;
      expect(Math.abs(dawnNext - dawn), `${y}-${m}-${d} dawn`).toBeLessThanOrEqual(120_000);
      expect(sch.evaluate(dawnNext).level).toBe(0);
    }
  });
});

describe('lamp schedule rules', () => {
  const at = (y: number, m: number, d: number, hh: number, mm = 0) => localToEpoch({ y, m, d }, hh, mm, TZ);
  const cfg = lampConfig({
    dayOffset: 12,
    defaultProgram: 'standard',
    rules: [
      { name: 'spring festival', from: '2026-02-16', to: '2026-02-22', program: 'festival' },
      { name: 'new year', from: '12-31', to: '01-01', program: 'festival' },
      { name: 'first thursday: maintenance check', weekdays: ['thu'], nth: 1, program: 'check' },
      { name: 'weekend', weekdays: ['sat', 'sun'], program: 'weekend' },
    ],
    programs: {
      standard: {
        switchPoints: [{ astro: 'sunset', offsetMin: -10, level: 100 }, { time: '23:00', level: 60, rampSec: 300 }, { time: '05:00', level: 100 }, { astro: 'sunrise', offsetMin: 10, level: 0 }],
        dynamic: [{ from: { time: '01:00' }, to: { time: '04:00' }, op: 'min', value: 30 }],
      },
      weekend: { switchPoints: [{ astro: 'sunset', level: 100 }, { time: '01:00', level: 50 }, { astro: 'sunrise', level: 0 }] },
      festival: { switchPoints: [{ astro: 'civilDusk', offsetMin: -30, level: 100 }, { astro: 'sunrise', level: 0 }] },
      check: { switchPoints: [{ time: '20:00', level: 100 }, { time: '20:10', level: 0 }] },
    },
  });
  const sch = scheduleOf(cfg);

  it('runs a weekday night: on at sunset−10, 60 % at 23:00 with a 5 min ramp, min 30 from 01:00 to 04:00, 100 % at 05:00, off after sunrise', () => {
    // Tuesday 2026-03-10 → Wednesday morning.
    expect(sch.evaluate(at(2026, 3, 10, 15)).level).toBe(0);
    expect(sch.evaluate(at(2026, 3, 10, 20)).level).toBe(100);
    const late = sch.evaluate(at(2026, 3, 10, 23, 30));
    expect(late).toMatchObject({ level: 60, point: '23:00', rampSec: 300, program: 'standard', rule: null });
    expect(sch.evaluate(at(2026, 3, 11, 2)).level).toBe(30);
    expect(sch.evaluate(at(2026, 3, 11, 2)).dynamic).toEqual(['min 30']);
    expect(sch.evaluate(at(2026, 3, 11, 4, 30)).level).toBe(60);
    expect(sch.evaluate(at(2026, 3, 11, 5, 30)).level).toBe(100);
    expect(sch.evaluate(at(2026, 3, 11, 9)).level).toBe(0);
    // At 23:30 the next change is the dynamic period at 01:00.
    expect(late.next).toBe(at(2026, 3, 11, 1));
  });

  it('lets the first matching rule choose: weekend, festival dates (absolute and yearly across New Year), first Thursday', () => {
    expect(sch.evaluate(at(2026, 3, 14, 20)).program).toBe('weekend');
    expect(sch.evaluate(at(2026, 2, 21, 20))).toMatchObject({ program: 'festival', rule: 'spring festival' }); // a Saturday, but the festival rule is first
    expect(sch.evaluate(at(2026, 12, 31, 20)).rule).toBe('new year');
    expect(sch.evaluate(at(2027, 1, 1, 20)).rule).toBe('new year');
    expect(sch.evaluate(at(2027, 1, 2, 20)).rule).toBe('weekend');
    expect(sch.evaluate(at(2026, 3, 5, 20, 5))).toMatchObject({ program: 'check', level: 100 });
    expect(sch.evaluate(at(2026, 3, 12, 20, 5)).program).toBe('standard');
    // With dayOffset 12 the rule of the evening holds through the morning: Sunday 03:00 belongs to Saturday.
    expect(sch.evaluate(at(2026, 3, 15, 3)).program).toBe('weekend');
    expect(sch.evaluate(at(2026, 3, 15, 3)).level).toBe(50);
  });

  it('carries the level of the previous day before the first switch point, and falls back to the default 100 %', () => {
    // The 'check' program's day starts at noon with no point before 20:00: the previous evening's level carries.
    expect(sch.evaluate(at(2026, 3, 5, 13))).toMatchObject({ level: 0, point: 'carry' });
    const none = scheduleOf(lampConfig({}));
    expect(none.evaluate(at(2026, 6, 1, 13))).toMatchObject({ level: 100, reason: 'default', program: null });
  });

  it('refuses a calendar rule naming a program that does not exist', () => {
    expect(() => lampConfig({ rules: [{ name: 'x', program: 'nope' }] })).toThrow(/no program/);
    expect(() => LampSection.parse({ photocell: { onLux: 50, offLux: 40 } })).toThrow(/offLux/);
  });
});
