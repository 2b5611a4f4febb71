/**
 * Field-bus figures (docs/protocols/field-bus.md).
 * (The simulated modem is left out: MQTT goes straight to the embedded broker, these figures are the field bus's.)
 * 1. Bus utilisation and latency with all four units polling, at 9600 and 19200 baud (the
 *    simulated bus emulates wire time and t3.5 gaps): how long a command takes to reach its unit
 *    while polling runs (target ≤ 150 ms p99), at the configured poll rates and with every poller
 *    running flat out.
 * 2. Charging records through random kill -9: N simulated sessions (free vend, physics ×600, a
 *    115200-baud bus polled every 50 ms so cars can come and go quickly), the
 *    runtime as its own process killed at random moments and restarted; every session's records
 *    checked against the meter's ground truth (target: zero lost, zero duplicated).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import mqtt from 'mqtt';
import { stringify as toYaml } from 'yaml';
import { startSim, type Sim } from '../simulator/sim.js';
import { FunctionCode } from '../protocols/modbus/pdu.js';
import { wireTimeMs } from '../protocols/modbus/timing.js';
import type { ConfigInput } from '../runtime/config/schema.js';
import { packageRoot } from '../runtime/version.js';
import { summarize, fmt } from './lib/stats.js';
import { Report } from './lib/report.js';
import type { BenchOptions } from './run.js';
import { sample } from './lib/sample.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rand = (a: number, b: number) => a + Math.random() * (b - a);

export async function busFigures(rep: Report, baud: number, mode: 'configured' | 'flat-out', commands: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sp-bench-fb-'));
  const sim = await startSim({
    dataDir: dir, ptyDir: join(dir, 'pty'), mqttPort: 0, httpPort: 0, logger: pino({ level: 'error' }), logLevel: 'warn', fieldBusBaud: baud, modem: false,
    patchConfig: (c) => {
      if (mode !== 'flat-out') return;
      const u = c.devices!.fieldBus!.units!;
      for (const k of ['evCharger', 'meter', 'pads', 'lamp'] as const) u[k]!.pollMs = 20;
    },
  });
  try {
    const pole = sim.pole!;
    const bus = sim.fieldBus.bus;
    await waitFor(() => pole.services.field.bus!.master.unitStats().filter((u) => u.state === 'online').length === 4, 20_000, 'all four units online');
    sim.fieldBus.charger.plugIn({ socPct: 50 });
    await sleep(2000);
    bus.resetStats();
    const master = pole.services.field.bus!.master;
    const latencies: number[] = [];
    const pending: { unit: number; fc: number; address: number; done: (t: number) => void }[] = [];
    bus.on('request', (e) => {
      const i = pending.findIndex((p) => p.unit === e.unit && p.fc === e.request.fc && p.address === e.request.address);
      if (i >= 0) pending.splice(i, 1)[0]!.done(e.at);
    });
    const polls = new Map<number, number>();
    // The bus part alone: from the master's queue to the unit (queue wait, t3.5 pacing, the request's wire time).
    const busLat: number[] = [];
    const line = { baudRate: baud, parity: 'none' as const, stopBits: 1 as const };
    master.on('transaction', (t) => {
      if (t.priority === 'poll' && t.ok) polls.set(t.unit, (polls.get(t.unit) ?? 0) + 1);
      if (t.priority === 'command' && t.ok && ((t.unit === 4 && t.fc === FunctionCode.WriteMultipleRegisters) || (t.unit === 3 && t.fc === FunctionCode.WriteSingleCoil))) {
        busLat.push(t.waitMs + wireTimeMs(t.unit === 4 ? 13 : 8, line));
      }
    });
    const t0 = performance.now();
    for (let i = 0; i < commands; i++) {
      await sleep(rand(60, 250));
      // Alternate: a lamp override (fc 16 to unit 4) and a pad switch (fc 05 to unit 3).
      const lamp = i % 2 === 0;
      const pad = 1 + (i % 2);
      const reached = new Promise<number>((done) => pending.push({ unit: lamp ? 4 : 3, fc: lamp ? FunctionCode.WriteMultipleRegisters : FunctionCode.WriteSingleCoil, address: lamp ? 0 : pad - 1, done }));
      const start = performance.now();
      const exec = lamp
        ? pole.services.commands.execute('lamp.set', { level: 20 + (i % 60), forSec: 600 }, { source: 'console', now: Date.now() })
        : pole.services.commands.execute('pads.set', { pad, on: i % 4 === 1 }, { source: 'console', now: Date.now() });
      const at = await Promise.race([reached, sleep(5000).then(() => NaN)]);
      await exec;
      latencies.push(at - start);
    }
    const elapsed = (performance.now() - t0) / 1000;
    const u = bus.utilisation();
    const lost = latencies.filter((x) => Number.isNaN(x)).length;
    const s = summarize(latencies.filter((x) => !Number.isNaN(x)));
    const key = `${baud}-${mode}`;
    rep.figure(`command_ms_${key}`, `command → unit, ${baud} baud, polling ${mode} (lamp.set / pads.set → the unit has the request)`, s, fmt(s) + (lost ? `, ${lost} never arrived` : ''), '≤ 150 ms p99');
    const sb = summarize(busLat);
    rep.figure(`command_bus_ms_${key}`, `  of which on the bus (master queue → unit)`, sb, fmt(sb));
    rep.figure(`utilisation_${key}`, `bus utilisation, ${baud} baud, polling ${mode}`, u, `wire ${(u.wire * 100).toFixed(1)} %, occupied (incl. t3.5 and turnaround) ${(u.occupied * 100).toFixed(1)} %`);
    const unitLat = master.unitStats().map((x) => `${x.name} p50 ${x.latencyMs.p50} / p99 ${x.latencyMs.p99} ms, ${((polls.get(x.address) ?? 0) / elapsed).toFixed(1)} polls/s`);
    rep.figure(`poll_${key}`, `poll transactions (enqueue → reply)`, master.unitStats().map((x) => ({ unit: x.name, ...x.latencyMs, perSec: (polls.get(x.address) ?? 0) / elapsed })), unitLat.join('; '));
  } finally {
    await sim.stop();
  }
}

async function waitFor(f: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

interface Rec { record: string; recordId: string; transactionId: string; at: string; energyWh?: number; reason?: string; recovered?: boolean }

export async function killBench(rep: Report, sessions: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sp-bench-kill-'));
  let cfg: ConfigInput | null = null;
  const sim: Sim = await startSim({
    dataDir: dir, ptyDir: join(dir, 'pty'), mqttPort: 0, httpPort: 0, logger: pino({ level: 'error' }), logLevel: 'warn', hardwareOnly: true, modem: false,
    fieldBusBaud: 115200, timeScale: 600,
    patchConfig: (c) => {
      const u = c.devices!.fieldBus!.units!;
      u.evCharger!.pollMs = 50;
      u.meter!.pollMs = 50;
      c.charging = { ...c.charging, freeVend: true, meterValueIntervalSec: 1, finalMeterTimeoutSec: 5 };
      c.log = { level: 'info' };
      cfg = c;
    },
  });
  const cfgFile = join(dir, 'pole-bench.yaml');
  writeFileSync(cfgFile, toYaml(cfg));
  const cli = join(packageRoot(), 'dist/smartpole.js');
  const client = await mqtt.connectAsync(sim.info.mqttUrl, { clientId: 'bench-charging' });
  const recs: Rec[] = [];
  client.on('message', (_t, p) => {
    const m = JSON.parse(p.toString()) as { kind?: string; values?: Record<string, unknown>; at: string };
    if (m.kind?.startsWith('charging.')) recs.push({ ...m.values, record: m.kind.slice(9), at: m.at } as unknown as Rec);
  });
  await client.subscribeAsync('smartpole/v1/poles/+/telemetry', { qos: 1 });

  // The runtime is "up" once it has put the controller under Modbus control again (register 4000 ← 3).
  let upSince = 0;
  let statusReads = 0;
  sim.fieldBus.bus.on('request', (e) => {
    if (e.unit === 1 && e.request.fc === FunctionCode.WriteSingleRegister && e.request.address === 4000) upSince = performance.now();
    if (e.unit === 1 && e.request.fc === FunctionCode.ReadHoldingRegisters && e.request.address === 24000) statusReads++;
  });
  let rt: ChildProcess | null = null;
  let restarts = 0;
  // The runtime's own log (warnings and up) stays next to its config for a post-mortem.
  const logFd = openSync(join(dir, 'runtime.log'), 'a');
  const start = () => { upSince = 0; rt = spawn(process.execPath, [cli, 'run', '--config', cfgFile], { stdio: ['ignore', logFd, logFd] }); };
  const kill = async () => {
    const p = rt!;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await gone;
    restarts++;
  };
  const t0 = performance.now();
  let stop = false;
  try {
  start();
  await waitFor(() => upSince > 0, 60_000, 'runtime up');
  const killer = (async () => {
    while (!stop) {
      await sleep(rand(1500, 6000));
      if (stop) break;
      await kill();
      await sleep(rand(0, 800));
      start();
      await waitFor(() => upSince > 0, 60_000, `runtime up after restart (log ${join(dir, 'runtime.log')})`);
    }
  })();
  const charger = sim.fieldBus.charger;
  let plugged = 0;
  while (plugged < sessions) {
    // A new car never arrives while the runtime is down or has not yet switched off a coil left on by
    // its predecessor (docs/charging.md §Limits); a car may leave at any time.
    // Nor faster than a person can: the runtime has read the controller twice since the last car left.
    await waitFor(() => upSince > 0 && !charger.state().enabled && statusReads >= 2, 60_000, 'runtime up and connector idle before a plug-in');
    await sleep(rand(100, 300));
    charger.plugIn({ socPct: rand(5, 90), maxCurrentA: rand(10, 32) });
    plugged++;
    await sleep(rand(300, 1000));
    charger.unplug();
    statusReads = 0;
    if (plugged % 100 === 0) console.log(`    … ${plugged} sessions, ${restarts} kill -9, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  stop = true;
  await killer;
  await waitFor(() => upSince > 0, 60_000, 'runtime up at the end');
  // Let the runtime close the last session and drain its outbox.
  let quietSince = performance.now();
  let count = recs.length;
  while (performance.now() - quietSince < 5000) {
    await sleep(250);
    if (recs.length !== count) { count = recs.length; quietSince = performance.now(); }
  }
  } finally {
    stop = true;
    const p = rt as ChildProcess | null;
    if (p && p.exitCode === null) {
      const gone = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await Promise.race([gone, sleep(10_000).then(() => p.kill('SIGKILL'))]);
    }
    await client.endAsync();
    await sim.stop();
  }
  const ranSec = (performance.now() - t0) / 1000;

  // --- analysis against the meter's ground truth ---
  const byId = new Map<string, Rec>();
  let transportDuplicates = 0;
  for (const r of recs) { if (byId.has(r.recordId)) transportDuplicates++; else byId.set(r.recordId, r); }
  const unique = [...byId.values()];
  const starts = unique.filter((r) => r.record === 'start');
  const stops = new Map(unique.filter((r) => r.record === 'stop').map((r) => [r.transactionId, r]));
  const stopsPerTx = new Map<string, number>();
  for (const r of unique.filter((x) => x.record === 'stop')) stopsPerTx.set(r.transactionId, (stopsPerTx.get(r.transactionId) ?? 0) + 1);
  const cycles = sim.fieldBus.cycles.filter((c) => c.unpluggedAt !== null);
  const sessionsByCycle = new Map<number, Rec[]>();
  for (const s of starts) {
    const t = Date.parse(s.at);
    const c = [...cycles].reverse().find((x) => x.pluggedAt <= t + 5);
    if (c) sessionsByCycle.set(c.cycle, [...(sessionsByCycle.get(c.cycle) ?? []), s]);
  }
  let lost = 0, duplicated = 0, energyMismatch = 0, unstopped = 0, energyWh = 0, recovered = 0;
  const reasons = new Map<string, number>();
  for (const s of starts) {
    const st = stops.get(s.transactionId);
    if (!st) unstopped++;
    else {
      reasons.set(st.reason ?? '?', (reasons.get(st.reason ?? '?') ?? 0) + 1);
      if (st.recovered) recovered++;
    }
  }
  for (const c of cycles) {
    const ss = sessionsByCycle.get(c.cycle) ?? [];
    if (ss.length > 1) duplicated += ss.length - 1;
    if ((c.energyWh ?? 0) > 0 && ss.length === 0) lost++;
    const st = ss[0] ? stops.get(ss[0].transactionId) : undefined;
    if (ss.length === 1 && st && st.energyWh !== c.energyWh) energyMismatch++;
    energyWh += c.energyWh ?? 0;
  }
  const doubleStops = [...stopsPerTx.values()].filter((n) => n > 1).length;
  if (process.env.SMARTPOLE_BENCH_DEBUG) {
    for (const c of cycles) {
      const ss = sessionsByCycle.get(c.cycle) ?? [];
      const st = ss[0] ? stops.get(ss[0].transactionId) : undefined;
      if (ss.length !== 1 ? (c.energyWh ?? 0) > 0 || ss.length > 1 : st?.energyWh !== c.energyWh) {
        console.log('   cycle', JSON.stringify(c), ss.map((x) => unique.filter((r) => r.transactionId === x.transactionId).map((r) => (r.record === 'meter' ? `${r.record}@${r.at}:${r.energyWh}` : JSON.stringify(r)))));
      }
    }
  }
  if (process.env.SMARTPOLE_BENCH_DEBUG) console.log(`   runtime log: ${join(dir, 'runtime.log')}`);
  rep.figure('kill_sessions', 'simulated sessions (plug-in cycles)', cycles.length, `${cycles.length} cycles, ${starts.length} sessions recorded, ${(energyWh / 1000).toFixed(1)} kWh metered, ${restarts} kill -9 of the runtime, ran ${ranSec.toFixed(0)} s`);
  rep.figure('kill_lost', 'lost charging records (a metered cycle without a session, or a session without its stop)', lost + unstopped, `${lost} cycles without a session, ${unstopped} sessions without a stop`, '0');
  rep.figure('kill_duplicated', 'duplicated sessions / stop records', duplicated + doubleStops, `${duplicated} cycles with two sessions, ${doubleStops} transactions with two stops; QoS-1 redeliveries of the same record id: ${transportDuplicates}`, '0');
  rep.figure('kill_energy_mismatch', 'sessions whose energy differs from the meter', energyMismatch, `${energyMismatch} (exact to the Wh)`, '0');
  rep.figure('kill_reasons', 'stop reasons', Object.fromEntries(reasons), [...reasons].map(([k, v]) => `${k} ${v}`).join(', ') + `; closed by recovery ${recovered}`);
}

export async function benchFieldbus(o: BenchOptions): Promise<void> {
  const rep = new Report('fieldbus');
  const commands = sample(o, 300, 60, 6);
  for (const baud of [9600, 19200]) {
    await busFigures(rep, baud, 'configured', commands);
    await busFigures(rep, baud, 'flat-out', commands);
  }
  await killBench(rep, sample(o, 1000, 100, 10));
  rep.save();
}
