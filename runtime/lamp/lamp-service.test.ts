/**
 * Photocell hysteresis (the Wuhan storm of 2021-05-10), operator overrides with expiry and resume,
 * and the TALQ alarms, on a fake clock with a fake lamp driver.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { LampSection } from '../config/fieldbus-schema.js';
import { openDatabase, type Db } from '../storage/database.js';
import { Outbox } from '../uplink/outbox.js';
import { Reporter } from '../uplink/reporter.js';
import { CommandRegistry } from '../commands/registry.js';
import { poleTopics } from '../../protocols/topics.js';
import { LampStatus } from '../../protocols/fieldbus/lamp-driver.js';
import type { LampDriverUnit, LampReading } from '../../device/fieldbus/units/lamp-driver.js';
import { LampSchedule } from './schedule.js';
import { SunClock } from './sun-clock.js';
import { LampService } from './lamp-service.js';
import { OverrideStore } from './override-store.js';
import { LampAlarms } from './lamp-alarms.js';
import { Photocell, PhotocellState } from './photocell.js';
import { registerLampCommands } from './commands.js';
import { localToEpoch } from './local-time.js';
import { parseConfig } from '../config/load.js';
import { KvStore } from '../storage/kv.js';
import { HealthRegistry } from '../health.js';
import { createField } from '../field/module.js';

const TZ = 'Asia/Shanghai';
const log = pino({ level: 'silent' });

class FakeDriver extends EventEmitter {
  online = true;
  state = 'online';
  commands: { at: number; level: number; rampSec: number }[] = [];
  configures = 0;
  level = 0;
  constructor(private readonly now: () => number) { super(); }
  async setLevel(level: number, rampSec: number) { this.commands.push({ at: this.now(), level, rampSec }); this.level = level; }
  async configure() { this.configures++; }
  read(p: Partial<LampReading> = {}): void {
    const powerW = this.level > 0 ? 120 * (0.05 + 0.95 * this.level / 100) : 0.4;
    this.emit('reading', {
      at: this.now(), actualLevel: this.level, statusBits: 0, status: [], powerW, supplyV: 220, lampCurrentMa: 500, gearTemperatureC: 35, energyWh: 1000,
      operatingTimeS: 3600, startCounter: 5, lightOnTimeS: 100, lightStarts: 3, lux: 20_000, supplyLossCount: 0, ...p,
    } satisfies LampReading);
  }
  fail(): void { this.online = false; this.state = 'offline'; this.emit('failure', { code: 'SP_MODBUS_TIMEOUT', message: 'x', at: this.now() }); }
}

function rig(db: Db = openDatabase(':memory:'), cfgIn: Record<string, unknown> = {}) {
  const now = () => Date.now();
  const cfg = LampSection.parse({
    schedule: { dayOffset: 12, defaultProgram: 'p', programs: { p: { switchPoints: [{ astro: 'sunset', offsetMin: -10, level: 100 }, { time: '23:00', level: 50 }, { astro: 'sunrise', offsetMin: 10, level: 0 }] } } },
    alarms: { telemetrySec: 86_400, confirmPolls: 3 }, ...cfgIn,
  });
  const outbox = new Outbox(db, { now });
  const reporter = new Reporter({ outbox, topics: poleTopics('smartpole/v1', 'WH-JA-0001', []), poleId: 'WH-JA-0001', timeZone: TZ, logger: log, now, eventsPerMinute: 1000 });
  const driver = new FakeDriver(now);
  const svc = new LampService({
    config: cfg, driver: driver as unknown as LampDriverUnit, schedule: new LampSchedule(cfg.schedule, new SunClock(30.6043, 114.3012, TZ), TZ, { level: cfg.defaultLevel, rampSec: cfg.rampSec }),
    overrides: new OverrideStore(db), alarms: new LampAlarms(db, { ...cfg.alarms, ratedPowerW: cfg.ratedPowerW }), reporter, timeZone: TZ, logger: log,
  });
  const events = () => outbox.next(0, 10_000).map((r) => JSON.parse(r.payload.toString()) as Record<string, unknown>).filter((p) => p.type === 'event');
  return { svc, driver, db, outbox, events };
}

const tick = async (ms: number) => { await vi.advanceTimersByTimeAsync(ms); };

afterEach(() => { vi.useRealTimers(); });

describe('photocell', () => {
  it('switches with hysteresis and delays', () => {
    const p = new Photocell({ onLux: 30, offLux: 60, onDelaySec: 60, offDelaySec: 120 });
    expect(p.update(1000, 0)).toBe(false);
    expect(p.state).toBe(PhotocellState.Unknown);
    p.update(1000, 120_000);
    expect(p.state).toBe(PhotocellState.Bright);
    p.update(20, 130_000);
    p.update(20, 180_000);
    expect(p.state).toBe(PhotocellState.Bright); // 50 s dark: not yet
    expect(p.update(25, 190_000)).toBe(true); // 60 s at or below 30 lx
    expect(p.state).toBe(PhotocellState.Dark);
    p.update(45, 200_000); // inside the band: holds
    p.update(70, 210_000);
    p.update(45, 220_000); // back into the band: the bright timer restarts
    p.update(70, 230_000);
    p.update(70, 340_000);
    expect(p.state).toBe(PhotocellState.Dark); // 110 s bright
    p.update(70, 350_000);
    expect(p.state).toBe(PhotocellState.Bright);
    p.update(null, 360_000);
    expect(p.state).toBe(PhotocellState.Unknown);
    expect(() => new Photocell({ onLux: 60, offLux: 60, onDelaySec: 0, offDelaySec: 0 })).toThrow(RangeError);
  });

  it('lights the lamps on the dark storm afternoon of 2021-05-10 in Wuhan and puts them out after', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(localToEpoch({ y: 2021, m: 5, d: 10 }, 14, 30, TZ));
    const { svc, driver, events } = rig();
    svc.start();
    await svc.flush();
    expect(driver.commands.at(-1)?.level).toBe(0); // afternoon: the schedule says off
    for (let s = 0; s < 15 * 60; s += 5) { driver.read({ lux: 40_000 }); await tick(5000); }
    // 14:45 the storm: 8 lx.
    for (let s = 0; s < 55; s += 5) { driver.read({ lux: 8 }); await tick(5000); }
    expect(svc.status().level).toBe(0);
    for (let s = 0; s < 15; s += 5) { driver.read({ lux: 8 }); await tick(5000); }
    expect(svc.status()).toMatchObject({ level: 100, reason: 'photocell', photocell: { state: 'dark' } });
    await svc.flush();
    expect(driver.commands.at(-1)?.level).toBe(100);
    // Brightening into the band (45 lx) holds; above 60 lx for 2 min puts them out.
    for (let s = 0; s < 300; s += 5) { driver.read({ lux: 45 }); await tick(5000); }
    expect(svc.status().level).toBe(100);
    for (let s = 0; s < 130; s += 5) { driver.read({ lux: 5000 }); await tick(5000); }
    expect(svc.status()).toMatchObject({ level: 0, reason: 'program' });
    expect(events().filter((e) => e.code === 'lamp.photocell').map((e) => e.state)).toEqual(['bright', 'dark', 'bright']);
    svc.stop();
  });
});

describe('operator overrides', () => {
  it('lamp.set overrides until it expires, then the schedule resumes; lamp.resume ends it early', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(localToEpoch({ y: 2026, m: 6, d: 1 }, 21, 0, TZ));
    const { svc, driver, events } = rig();
    const reg = new CommandRegistry();
    registerLampCommands(reg, svc);
    svc.start();
    await svc.flush();
    expect(svc.status()).toMatchObject({ level: 100, reason: 'program' });
    const ctx = () => ({ source: 'mqtt' as const, principal: 'city-ops', now: Date.now() });
    const r = await reg.execute('lamp.set', { level: 30, forSec: 600, rampSec: 10 }, ctx());
    expect(r).toMatchObject({ ok: true, result: { level: 30, reason: 'override', override: { level: 30, principal: 'city-ops' } } });
    await svc.flush();
    expect(driver.commands.at(-1)).toMatchObject({ level: 30, rampSec: 10 });
    await tick(599_000);
    expect(svc.status().reason).toBe('override');
    await tick(2_000);
    expect(svc.status()).toMatchObject({ level: 100, reason: 'program', override: null });
    await svc.flush();
    expect(driver.commands.at(-1)?.level).toBe(100);
    expect(events().filter((e) => e.code === 'lamp.override').map((e) => e.state)).toEqual(['set', 'expired']);

    const until = new Date(Date.now() + 3_600_000).toISOString();
    await reg.execute('lamp.set', { level: 0, until }, ctx());
    expect(svc.status().level).toBe(0);
    expect((await reg.execute('lamp.resume', {}, ctx()))).toMatchObject({ ok: true, result: { level: 100, reason: 'program' } });
    expect(await reg.execute('lamp.set', { level: 10, until: '2020-01-01T00:00:00+08:00' }, ctx())).toMatchObject({ ok: false, error: { code: 'SP_LAMP_UNTIL_PAST' } });
    expect(await reg.execute('lamp.set', { level: 101 }, ctx())).toMatchObject({ ok: false, error: { code: 'SP_CMD_BAD_ARGS' } });
    expect(await reg.execute('lamp.status', {}, ctx())).toMatchObject({ ok: true, result: { level: 100 } });
    svc.stop();
  });

  it('keeps an override across a restart, and the photocell does not beat an operator', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(localToEpoch({ y: 2026, m: 6, d: 1 }, 14, 0, TZ));
    const db = openDatabase(':memory:');
    const a = rig(db);
    a.svc.start();
    a.svc.set(20, Date.now() + 7_200_000, null, 'console', 'tech');
    a.svc.stop();
    const b = rig(db);
    b.svc.start();
    expect(b.svc.status()).toMatchObject({ level: 20, reason: 'override' });
    for (let s = 0; s < 120; s += 5) { b.driver.read({ lux: 2 }); await tick(5000); }
    expect(b.svc.status()).toMatchObject({ level: 20, reason: 'override', photocell: { state: 'dark' } });
    b.svc.resume();
    expect(b.svc.status()).toMatchObject({ level: 100, reason: 'photocell' });
    b.svc.stop();
  });

  it('registers no lamp commands on a pole without a lamp driver (the console then says "not fitted")', () => {
    const db = openDatabase(':memory:');
    const commands = new CommandRegistry();
    const now = () => Date.now();
    const outbox = new Outbox(db, { now });
    const config = parseConfig({ pole: { id: 'WH-JA-0002', location: { lat: 30.6, lon: 114.3 } }, mqtt: { url: 'mqtt://127.0.0.1:1' }, trust: { keys: [{ kid: 'k', issuer: 'i', publicKey: 'A'.repeat(44) }] } });
    const f = createField(config, {
      db, kv: new KvStore(db), outbox, reporter: new Reporter({ outbox, topics: poleTopics('smartpole/v1', 'WH-JA-0002', []), poleId: 'WH-JA-0002', timeZone: TZ, logger: log }),
      commands, health: new HealthRegistry(), logger: log, now,
    });
    expect(f.lamp).toBeNull();
    expect(commands.list().filter((c) => /^(lamp|charger|pads)\./.test(c.name))).toEqual([]);
  });
});

describe('TALQ lamp alarms', () => {
  async function lit() {
    vi.useFakeTimers();
    vi.setSystemTime(localToEpoch({ y: 2026, m: 6, d: 1 }, 21, 0, TZ)); // schedule: 100 %
    const r = rig();
    r.svc.start();
    await r.svc.flush();
    await tick(10_000); // past ramp + grace
    const raised = () => r.events().filter((e) => String(e.code).startsWith('lamp.') && e.state === 'raised').map((e) => e.alarm);
    const cleared = () => r.events().filter((e) => String(e.code).startsWith('lamp.') && e.state === 'cleared').map((e) => e.alarm);
    return { ...r, raised, cleared };
  }

  it('a driver restart configures it and commands the level; a failed level is re-sent without configuring again', async () => {
    const { driver, svc } = await lit();
    const configures = driver.configures;
    const sent = driver.commands.length;
    const setLevel = driver.setLevel.bind(driver);
    driver.setLevel = async () => { driver.setLevel = setLevel; throw Object.assign(new Error('timeout'), { code: 'SP_MODBUS_TIMEOUT' }); };
    driver.read({ startCounter: 6 }); // restarted: configure, then the level (which fails once)
    await svc.flush();
    expect(driver.configures).toBe(configures + 1);
    expect(driver.commands.length).toBe(sent);
    driver.read({ startCounter: 6 });
    await svc.flush();
    expect(driver.commands.length).toBe(sent + 1); // re-sent at the next reading
    expect(driver.configures).toBe(configures + 1); // no second configure
    driver.read({ startCounter: 6 });
    await svc.flush();
    expect(driver.commands.length).toBe(sent + 1); // in sync: nothing more
  });

  it('lampFailure: should be lit, draws no current; cleared when it draws again', async () => {
    const { driver, svc, raised, cleared } = await lit();
    for (let i = 0; i < 2; i++) { driver.read({ powerW: 0.4, statusBits: LampStatus.OpenCircuit }); await tick(2000); }
    expect(raised()).toEqual([]);
    driver.read({ powerW: 0.4, statusBits: LampStatus.OpenCircuit });
    expect(raised()).toEqual(['lampFailure']);
    expect(svc.status().alarms.map((a) => a.alarm)).toEqual(['lampFailure']);
    for (let i = 0; i < 3; i++) { driver.read(); await tick(2000); }
    expect(cleared()).toEqual(['lampFailure']);
    svc.stop();
  });

  it('dimmingFailure, dayBurning, cycling, controlGearCommFailure and supplyLoss', async () => {
    const { driver, svc, raised, cleared } = await lit();
    svc.set(40, null, 0, 'console', null);
    await svc.flush();
    await tick(6000);
    for (let i = 0; i < 3; i++) { driver.read({ actualLevel: 100, powerW: 120 }); await tick(2000); }
    expect(raised()).toContain('dimmingFailure');
    svc.set(0, null, 0, 'console', null);
    await svc.flush();
    await tick(6000);
    for (let i = 0; i < 3; i++) { driver.read({ powerW: 120, actualLevel: 0 }); await tick(2000); }
    expect(raised()).toContain('dayBurning');
    svc.set(100, null, 0, 'console', null);
    await svc.flush();
    await tick(6000);
    for (let i = 0; i < 5; i++) { driver.read(); await tick(2000); driver.read({ powerW: 0.4 }); await tick(2000); }
    expect(raised()).toContain('cycling');
    driver.read({ startCounter: 6, supplyLossCount: 1 });
    expect(raised()).toContain('supplyLoss');
    driver.fail();
    expect(raised()).toContain('controlGearCommFailure');
    driver.online = true;
    driver.state = 'online';
    for (let i = 0; i < 40; i++) { driver.read({ startCounter: 6, supplyLossCount: 1 }); await tick(2000); }
    expect(cleared()).toEqual(expect.arrayContaining(['controlGearCommFailure', 'supplyLoss', 'dayBurning', 'dimmingFailure']));
    // A driver restart makes the service configure and command it again.
    expect(driver.configures).toBeGreaterThanOrEqual(2);
    svc.stop();
  });
});
