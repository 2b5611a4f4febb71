/**
 * Charging through kill -9, the way a pole dies: `smartpole sim --hardware-only` keeps the
 * simulated bus (and the meter's register) alive while the runtime — `smartpole run` as its own
 * process — is killed mid-session and started again. The session must come back from SQLite and
 * the meter: resumed if the car is still plugged in, closed (PowerLoss) if it left meanwhile, with
 * exactly the energy the meter registered, one start and one stop per session, records in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import type { ConfigInput } from '../../runtime/config/schema.js';
import { CLI, runCli, startSimProcess, until, type SimProcess } from '../helpers/sim-process.js';
import { poleFeed, type PoleFeed } from '../helpers/charging.js';

let sim: SimProcess;
let feed: PoleFeed;
let cfgFile: string;
let runtime: ChildProcess | null = null;

interface EvState { iec: string; enableSource: number; lastCycle: { energyWh: number | null; cycle: number } | null }
const evState = async () => (await sim.api<{ name: string; state: EvState }[]>('/api/devices')).find((d) => d.name === 'ev')!.state;
const fault = (device: string, f: string, args: Record<string, unknown> = {}) =>
  sim.api('/api/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ device, fault: f, args }) });

function startRuntime(): ChildProcess {
  const p = spawn(process.execPath, [CLI, 'run', '--config', cfgFile], { stdio: ['ignore', 'ignore', 'inherit'] });
  runtime = p;
  return p;
}

async function kill9(p: ChildProcess): Promise<void> {
  const gone = new Promise((r) => p.once('exit', r));
  p.kill('SIGKILL');
  await gone;
}

beforeAll(async () => {
  sim = await startSimProcess(['--hardware-only', '--time-scale', '120', '--fieldbus-baud', '19200']);
  const cfg = parseYaml(readFileSync(join(sim.dataDir, 'pole.yaml'), 'utf8')) as ConfigInput;
  const units = cfg.devices!.fieldBus!.units!;
  units.evCharger!.pollMs = 200;
  units.meter!.pollMs = 200;
  cfg.charging = { ...cfg.charging, freeVend: true, meterValueIntervalSec: 1 };
  cfgFile = join(sim.dataDir, 'pole-freevend.yaml');
  writeFileSync(cfgFile, toYaml(cfg));
  feed = await poleFeed(sim.mqttUrl);
}, 60_000);

afterAll(async () => {
  if (runtime && runtime.exitCode === null) await kill9(runtime);
  await feed?.close();
  await sim?.stop();
});

describe('charging across kill -9 of the runtime', () => {
  it('resumes a session whose car is still plugged in, then closes it on unplug with the exact energy', async () => {
    let rt = startRuntime();
    await until(async () => (await evState()).enableSource === 3, 20_000, 'runtime to configure the controller');
    await fault('ev', 'plug', { socPct: 20 });
    await until(() => feed.records.some((r) => r.record === 'start'), 15_000, 'start record');
    const tx = feed.records.find((r) => r.record === 'start')!.transactionId;
    await until(() => (feed.tx(tx).at(-1)?.energyWh ?? 0) > 300, 15_000, 'energy flowing');
    await kill9(rt);
    // The controller keeps charging while the runtime is dead; the meter keeps counting.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await evState()).iec).toBe('C');
    rt = startRuntime();
    await until(() => feed.events.some((e) => e.code === 'charger.sessionResumed' && e.transactionId === tx), 20_000, 'session resumed');
    await until(() => feed.tx(tx).filter((r) => r.record === 'meter').length > 5, 10_000, 'meter values after resume');
    await fault('ev', 'unplug');
    await until(() => feed.tx(tx).some((r) => r.record === 'stop'), 15_000, 'stop record');
    const recs = feed.tx(tx);
    const stop = recs.at(-1)!;
    expect(recs.filter((r) => r.record === 'start')).toHaveLength(1);
    expect(recs.filter((r) => r.record === 'stop')).toHaveLength(1);
    expect(recs.map((r) => r.recordId)).toEqual(recs.map((_, i) => `${tx}#${i + 1}`));
    expect(stop).toMatchObject({ reason: 'EVDisconnected', recovered: false, meterStopSource: 'read' });
    expect(stop.energyWh).toBe((await evState()).lastCycle!.energyWh);
    await kill9(rt);
  });

  it('closes a session whose car left while the runtime was dead (PowerLoss) with the exact energy', async () => {
    let rt = startRuntime();
    await until(async () => (await evState()).iec === 'A', 10_000, 'no car');
    const before = feed.stops().length;
    await fault('ev', 'plug', { socPct: 40 });
    await until(() => feed.records.filter((r) => r.record === 'start').length === 2, 15_000, 'second start');
    const tx = feed.records.filter((r) => r.record === 'start')[1]!.transactionId;
    await until(() => (feed.tx(tx).at(-1)?.energyWh ?? 0) > 200, 15_000, 'energy flowing');
    await kill9(rt);
    await new Promise((r) => setTimeout(r, 1000));
    await fault('ev', 'unplug');
    const cycle = (await evState()).lastCycle!;
    expect(cycle.energyWh).toBeGreaterThan(200);
    rt = startRuntime();
    await until(() => feed.stops().length === before + 1, 20_000, 'recovered stop');
    const stop = feed.tx(tx).at(-1)!;
    expect(stop).toMatchObject({ record: 'stop', reason: 'PowerLoss', recovered: true, meterStopSource: 'read' });
    // Every Wh the meter registered while the runtime was dead is in the record.
    expect(stop.energyWh).toBe(cycle.energyWh);
    expect(feed.tx(tx).filter((r) => r.record === 'start')).toHaveLength(1);
    // No new session for a car that is not there.
    await new Promise((r) => setTimeout(r, 1000));
    expect(feed.records.filter((r) => r.record === 'start')).toHaveLength(2);
    rt.kill('SIGTERM');
    await new Promise((r) => rt.once('exit', r));
  });

  it('starts a session from a QR payment notice sent as a signed MQTT command (smartpole ops cmd), idempotent by reference', async () => {
    // The sim's own config: no free vend, a session needs an authorization.
    const spawnedAt = Date.now();
    runtime = spawn(process.execPath, [CLI, 'run', '--config', join(sim.dataDir, 'pole.yaml')], { stdio: ['ignore', 'ignore', 'inherit'] });
    const rt = runtime;
    // This runtime (not the previous one) reports the connector Available over MQTT: it is connected and polling.
    await until(() => feed.events.some((e) => e.code === 'charger.status' && e.status === 'Available' && Date.parse(String(e.at)) >= spawnedAt), 30_000, 'connector Available');
    const pay = JSON.stringify({ connector: 1, payment: { ref: 'WX-E2E-0001', amount: 0.3, currency: 'CNY', provider: 'wechat' } });
    const cmd = () => runCli(['ops', 'cmd', 'WH-JA-0001', 'charger.start', pay, '--data-dir', sim.dataDir, '--timeout', '20'], sim.dataDir);
    const first = cmd();
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(/Accepted/);
    const starts = feed.records.filter((r) => r.record === 'start').length;
    await fault('ev', 'plug', { socPct: 20 });
    await until(() => feed.records.filter((r) => r.record === 'start').length === starts + 1, 20_000, 'paid session start');
    const start = feed.records.filter((r) => r.record === 'start').at(-1)!;
    expect(start).toMatchObject({ source: 'payment', paymentRef: 'WX-E2E-0001' });
    await until(() => feed.tx(start.transactionId).some((r) => r.record === 'stop'), 30_000, 'prepaid amount reached');
    expect(feed.tx(start.transactionId).at(-1)).toMatchObject({ reason: 'Local', limitReached: true, paymentRef: 'WX-E2E-0001' });
    const again = cmd();
    expect(again.out).toMatch(/SP_CHARGER_PAYMENT_USED/);
    await fault('ev', 'unplug');
    expect(feed.tx(start.transactionId).at(-1)!.energyWh).toBe((await evState()).lastCycle!.energyWh);
    rt.kill('SIGTERM');
    await new Promise((r) => rt.once('exit', r));
  });
});
