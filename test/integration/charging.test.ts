/**
 * Charging sessions through the whole pole (in-process runtime, simulated bus on a real PTY,
 * embedded broker): started by an ops command and by a QR payment, stopped by command, by unplug,
 * by a prepaid limit and by a fault; relay stuck and meter reset; every record on MQTT, in order,
 * with the energy the meter registered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSim, type Sim } from '../../simulator/sim.js';
import { EvccError } from '../../protocols/fieldbus/ev-cc-ac1-m3.js';
import { testLogger } from '../helpers/logger.js';
import { until } from '../helpers/sim-process.js';
import { poleFeed, type PoleFeed } from '../helpers/charging.js';

let sim: Sim;
let feed: PoleFeed;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sp-charge-'));
  sim = await startSim({
    dataDir: dir, ptyDir: join(dir, 'pty'), mqttPort: 0, httpPort: 0, logger: testLogger(), logLevel: 'warn', timeScale: 120, fieldBusBaud: 19200,
    patchConfig: (c) => {
      const u = c.devices!.fieldBus!.units!;
      u.evCharger!.pollMs = 200;
      u.meter!.pollMs = 200;
      u.pads!.pollMs = 250;
      c.charging = { ...c.charging, meterValueIntervalSec: 1, finalMeterTimeoutSec: 5 };
    },
  });
  feed = await poleFeed(sim.info.mqttUrl);
  await until(() => sim.pole!.services.field.charging!.snapshot().connectors[0]!.status === 'Available', 15_000, 'connector Available');
}, 60_000);

afterAll(async () => {
  await feed?.close();
  await sim?.stop();
});

const exec = (name: string, args: unknown = {}) => sim.pole!.services.commands.execute(name, args, { source: 'mqtt', principal: 'city-ops', now: Date.now() });
const status = () => sim.pole!.services.field.charging!.snapshot().connectors[0]!;
const fault = async (device: string, f: string, args: Record<string, unknown> = {}) => {
  const d = sim.devices.get(device)!;
  await d.faults[f]!.run(args);
};
const lastCycle = () => sim.fieldBus.cycles.at(-1)!;

describe('charging sessions end to end', () => {
  it('ops command before the car: Preparing, then Charging; charger.stop ends it (Remote) with the metered energy', async () => {
    const r = await exec('charger.start', { connector: 1, idTag: 'OPS-1' });
    expect(r).toMatchObject({ ok: true, result: { status: 'Accepted', authorizedUntil: expect.any(String) } });
    await until(() => status().status === 'Preparing', 5000, 'Preparing');
    await fault('ev', 'plug', { socPct: 20 });
    await until(() => status().status === 'Charging', 10_000, 'Charging');
    const tx = status().session!.transactionId;
    await until(() => feed.tx(tx).filter((x) => x.record === 'meter' && (x.energyWh ?? 0) > 300).length > 0, 15_000, 'meter values with energy');
    expect(await exec('charger.start', { connector: 1 })).toMatchObject({ ok: false, error: { code: 'SP_CHARGER_BUSY' } });
    const stop = await exec('charger.stop', { connector: 1 });
    expect(stop).toMatchObject({ ok: true, result: { status: 'Accepted', transactionId: tx } });
    await until(() => feed.tx(tx).some((x) => x.record === 'stop'), 10_000, 'stop record');
    expect(status().status).toBe('Finishing');
    await fault('ev', 'unplug');
    await until(() => status().status === 'Available', 5000, 'Available');
    const recs = feed.tx(tx);
    expect(recs[0]).toMatchObject({ record: 'start', source: 'command', idTag: 'OPS-1' });
    const s = recs.at(-1)!;
    expect(s).toMatchObject({ record: 'stop', reason: 'Remote', meterStopSource: 'read', recovered: false });
    expect(recs.slice(1, -1).every((x) => x.record === 'meter')).toBe(true);
    expect(recs.map((x) => x.recordId)).toEqual(recs.map((_, i) => `${tx}#${i + 1}`));
    // Exact: the session's energy is what the meter registered between plug-in and unplug.
    expect(s.energyWh).toBe(lastCycle().energyWh);
    expect(s.meterStopWh! - s.meterStartWh!).toBe(s.energyWh);
    expect(s.cost).toBeCloseTo((s.energyWh! / 1000) * 1.4, 2);
    expect(feed.events.filter((e) => e.code === 'charger.status').map((e) => e.status)).toEqual(expect.arrayContaining(['Preparing', 'Charging', 'Finishing', 'Available']));
  });

  it('QR payment with a prepaid amount: idempotent by reference, stops itself at the amount, unplug after', async () => {
    await fault('ev', 'plug', { socPct: 10 });
    await until(() => status().status === 'Preparing', 5000, 'Preparing');
    const pay = { connector: 1, payment: { ref: 'WX-20261127-0001', amount: 0.5, currency: 'CNY', provider: 'wechat' } };
    const r = await exec('charger.start', pay);
    expect(r).toMatchObject({ ok: true, result: { status: 'Accepted', transactionId: expect.any(String) } });
    const tx = (r as { result: { transactionId: string } }).result.transactionId;
    expect(await exec('charger.start', pay)).toMatchObject({ ok: true, result: { duplicate: true, transactionId: tx } });
    await until(() => feed.tx(tx).some((x) => x.record === 'stop'), 30_000, 'prepaid stop');
    const stop = feed.tx(tx).at(-1)!;
    expect(stop).toMatchObject({ reason: 'Local', limitReached: true, paymentRef: 'WX-20261127-0001' });
    expect(stop.cost).toBeGreaterThanOrEqual(0.5);
    expect(stop.cost).toBeLessThan(0.7);
    await fault('ev', 'unplug');
    expect(stop.energyWh).toBe(lastCycle().energyWh);
    expect(await exec('charger.start', pay)).toMatchObject({ ok: false, error: { code: 'SP_CHARGER_PAYMENT_USED' } });
    await until(() => status().status === 'Available', 5000, 'Available');
  });

  it('a controller fault stops the session (Faulted, GroundFailure); a stuck relay and a meter reset are caught', async () => {
    await exec('charger.start', { connector: 1 });
    await fault('ev', 'plug', { socPct: 30 });
    await until(() => status().status === 'Charging', 10_000, 'Charging');
    const tx = status().session!.transactionId;
    await until(() => (feed.tx(tx).at(-1)?.energyWh ?? 0) > 200, 15_000, 'energy');
    // Meter replaced mid-session: the session keeps the energy of both segments.
    const before = sim.fieldBus.meter.registerWh;
    await fault('meter', 'reset');
    await until(() => feed.events.some((e) => e.code === 'charger.meterReset'), 10_000, 'meter reset alarm');
    await until(() => sim.fieldBus.meter.registerWh > 200, 15_000, 'energy after reset');
    await fault('ev', 'error', { bits: EvccError.ResidualCurrent });
    await until(() => feed.tx(tx).some((x) => x.record === 'stop'), 10_000, 'fault stop');
    const stop = feed.tx(tx).at(-1)!;
    expect(stop).toMatchObject({ reason: 'Other', fault: 'GroundFailure', meterResets: true });
    // Both segments count; what flowed between the last poll and the reset itself is unknowable
    // (bounded by one poll: 200 ms here at ×120 physics ≈ 30 Wh).
    const upper = before - stop.meterStartWh! + stop.meterStopWh!;
    expect(stop.energyWh).toBeLessThanOrEqual(upper);
    expect(stop.energyWh).toBeGreaterThanOrEqual(upper - 100);
    await until(() => status().status === 'Faulted', 5000, 'Faulted');
    expect(status()).toMatchObject({ status: 'Faulted', errorCode: 'GroundFailure' });
    expect(await exec('charger.start', { connector: 1 })).toMatchObject({ ok: false, error: { code: 'SP_CHARGER_FAULTED' } });
    await fault('ev', 'error', { bits: 0 });
    await until(() => status().status === 'Finishing', 5000, 'Finishing after the fault clears');
    // The contactor welds: power flows with no session → PowerSwitchFailure.
    await fault('ev', 'relay-stuck');
    await exec('charger.start', { connector: 1 });
    await until(() => feed.events.some((e) => e.code === 'charger.relayStuck') || status().status === 'Charging', 15_000, 'charging or stuck');
    await exec('charger.stop', { connector: 1 });
    await until(() => feed.events.some((e) => e.code === 'charger.relayStuck'), 15_000, 'relay stuck alarm');
    await until(() => status().status === 'Faulted', 5000, 'Faulted');
    expect(status()).toMatchObject({ status: 'Faulted', errorCode: 'PowerSwitchFailure' });
    await fault('ev', 'relay-stuck', { on: false });
    await fault('ev', 'unplug');
    await until(() => status().status === 'Available', 10_000, 'Available after repair');
  });

  it('a stop while the meter is silent waits for it (alarm when overdue) and closes with the exact energy', async () => {
    await exec('charger.start', { connector: 1 });
    await fault('ev', 'plug', { socPct: 30 });
    await until(() => status().status === 'Charging', 10_000, 'Charging');
    const tx = status().session!.transactionId;
    await until(() => (feed.tx(tx).at(-1)?.energyWh ?? 0) > 100, 15_000, 'energy');
    await fault('meter', 'silent');
    const stopping = exec('charger.stop', { connector: 1 });
    await fault('ev', 'unplug');
    await until(() => feed.events.some((e) => e.code === 'charger.finalMeterOverdue' && e.transactionId === tx), 20_000, 'overdue alarm');
    expect(feed.tx(tx).some((r) => r.record === 'stop')).toBe(false);
    expect(status().session?.state).toBe('stopping');
    await until(() => feed.events.some((e) => e.code === 'fieldbus.unitOffline' && e.name === 'meter'), 10_000, 'meter offline event');
    await fault('meter', 'clear');
    await until(() => feed.events.some((e) => e.code === 'fieldbus.unitOnline' && e.name === 'meter'), 10_000, 'meter online event');
    await until(() => feed.tx(tx).some((r) => r.record === 'stop'), 20_000, 'stop once the meter answers');
    await stopping;
    const stop = feed.tx(tx).at(-1)!;
    expect(stop).toMatchObject({ reason: 'Remote', meterStopSource: 'read' });
    expect(stop.energyWh).toBe(lastCycle().energyWh);
    await until(() => status().status === 'Available', 10_000, 'Available');
  });

  it('phone-charging pads: in use with power, switched off and on (kept), an overheat alarm raised and cleared', async () => {
    const pads = () => sim.pole!.services.field.pads!.status();
    await fault('pads', 'phone-on', { pad: 2, socPct: 20 });
    await until(() => pads().pads.find((p) => p.pad === 2)?.inUse, 10_000, 'pad 2 in use');
    expect(pads().pads[1]).toMatchObject({ enabled: true, inUse: true, fault: null });
    expect(pads().pads[1]!.powerW).toBeGreaterThan(5);
    expect(pads().free).toBe(1);
    expect(await exec('pads.set', { pad: 2, on: false })).toMatchObject({ ok: true, result: { pads: [{ pad: 1 }, { pad: 2, enabled: false, inUse: false }] } });
    expect(sim.fieldBus.pads.state().pads).toMatchObject([{ pad: 1, enabled: true }, { pad: 2, enabled: false }]);
    expect(await exec('pads.set', { pad: 3, on: true })).toMatchObject({ ok: false, error: { code: 'SP_PADS_NO_PAD' } });
    await exec('pads.set', { pad: 2, on: true });
    await fault('pads', 'overheat', { pad: 2, temperatureC: 75 });
    await until(() => feed.events.some((e) => e.code === 'pads.overheat' && e.state === 'raised' && e.pad === 2), 10_000, 'overheat alarm');
    expect(pads().pads[1]).toMatchObject({ fault: 'OverTemperature', inUse: false });
    expect(sim.pole!.health.snapshot().pads).toMatchObject({ status: 'degraded', detail: 'pad 2: OverTemperature' });
    // ×120 physics: the coil cools below 55 °C within seconds and the board lets it run again.
    await until(() => feed.events.some((e) => e.code === 'pads.overheat' && e.state === 'cleared' && e.pad === 2), 30_000, 'overheat cleared');
    await fault('pads', 'phone-off', { pad: 2 });
    await until(() => !pads().pads[1]!.inUse, 10_000, 'pad 2 free');
  });

  it('charger.disable makes the connector Unavailable (state F) and enable brings it back', async () => {
    expect(await exec('charger.disable', { connector: 1 })).toMatchObject({ ok: true, result: { status: 'Accepted' } });
    await until(() => status().status === 'Unavailable', 5000, 'Unavailable');
    await until(() => sim.fieldBus.charger.state().iec === 'F', 5000, 'controller in state F');
    expect(await exec('charger.start', { connector: 1 })).toMatchObject({ ok: false, error: { code: 'SP_CHARGER_UNAVAILABLE' } });
    expect(await exec('charger.stop', { connector: 2 })).toMatchObject({ ok: false, error: { code: 'SP_CHARGER_UNKNOWN_CONNECTOR' } });
    await exec('charger.enable', { connector: 1 });
    await until(() => status().status === 'Available', 5000, 'Available');
    expect(await exec('charger.status', {})).toMatchObject({ ok: true, result: { tariff: { currency: 'CNY', pricePerKwh: 1.4 } } });
    const birth = sim.pole!.health.snapshot();
    expect(birth.charger).toMatchObject({ status: 'ok', connectors: [{ status: 'Available' }] });
  });
});
