/**
 * Software update figures (docs/updates.md §Figures):
 * 1. Download over the simulated modem: the whole sim in this process (the runtime's MQTT through
 *    the simulated modem's data path, mosquitto behind it), a package's chunks retained on the
 *    broker, a signed manifest → `verified`: rate, CPU of this process (runtime + simulated devices)
 *    and the runtime's event-loop delay while downloading, each beside the same time idle — once on
 *    loopback (the runtime's own pace) and once through a shaped cell link (bench/lib/shaped-link.ts).
 * 2. With the launcher (dist/smartpole-launcher.js as the unit starts it, restarted as Restart= would)
 *    and a real package built from this tree: publish → healthy, and switch → rolled back for a
 *    release that exits at start (boot attempts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { startSim } from '../simulator/sim.js';
import { loadSigningKey } from '../ops/keys.js';
import { sign } from '../ops/sign.js';
import { manifestFor } from '../ops/commands/update.js';
import { chunkTopic, type UpdateManifest } from '../protocols/update.js';
import { updateManifestTopic } from '../protocols/topics.js';
import { debianArch } from '../runtime/update/release-store.js';
import { buildPackage, FAULTY_START, packageVariant } from '../scripts/package.js';
import { packageRoot } from '../runtime/version.js';
import { freePort, mosquittoOn } from './lib/mosquitto.js';
import { sample } from './lib/sample.js';
import { Report } from './lib/report.js';
import { until } from './lib/until.js';
import { startShapedLink } from './lib/shaped-link.js';
import type { BenchOptions } from './run.js';

const P = 'smartpole/v1';
const POLE = 'WH-JA-0001';

async function publishRelease(client: mqtt.MqttClient, keyFile: string, bytes: Buffer, release: string, chunkSize: number): Promise<UpdateManifest> {
  const m = manifestFor(bytes, { version: release, arch: debianArch() }, { chunkSize, audience: `pole:${POLE}`, now: Date.now() });
  const chunks = m.sources.mqtt!.chunks;
  for (let i = 0; i < chunks.length; i += 8) {
    await Promise.all(chunks.slice(i, i + 8).map((_, j) => client.publishAsync(chunkTopic(P, m.package.sha256, i + j), bytes.subarray((i + j) * chunkSize, (i + j + 1) * chunkSize), { qos: 1, retain: true })));
  }
  const topic = updateManifestTopic(P, { scope: 'pole', poleId: POLE });
  await client.publishAsync(topic, JSON.stringify(sign(m, loadSigningKey(keyFile), `pole:${POLE}`)), { qos: 1, retain: true });
  return m;
}

/** A cellular downlink for the pole: 20 Mbit/s down, 5 Mbit/s up, 25 ms each way (a fair 4G/5G cell at a street pole). */
const CELL = { delayMs: 25, downBps: 20e6 / 8, upBps: 5e6 / 8 };

async function downloadFigures(r: Report, o: BenchOptions, brokerUrl: string, shaped: boolean): Promise<void> {
  const size = sample(o, 16 * 2 ** 20, 4 * 2 ** 20, 2 ** 20);
  const dataDir = mkdtempSync(join(tmpdir(), 'sp-bench-update-'));
  const link = shaped ? await startShapedLink({ upstreamPort: Number(new URL(brokerUrl).port), ...CELL }) : null;
  const sim = await startSim({ dataDir, mqttUrl: link?.url ?? brokerUrl, modem: true, logger: pino({ level: 'silent' }), patchConfig: (c) => { c.update = { maxPackageBytes: 64 * 2 ** 20 }; } });
  const client = await mqtt.connectAsync(brokerUrl);
  try {
    const pole = sim.pole!;
    await until(() => pole.services.uplink.mqtt.connected, 60_000, 'runtime connected over the simulated modem');
    // Idle first: the same span with the runtime and devices running, no update.
    const idleMs = sample(o, 5000, 3000, 1000);
    const idleLag = monitorEventLoopDelay({ resolution: 1 });
    const idleCpu0 = process.cpuUsage();
    idleLag.enable();
    await new Promise((res) => setTimeout(res, idleMs));
    idleLag.disable();
    const idleCpu = process.cpuUsage(idleCpu0);
    const bytes = randomBytes(size);
    const steps: Record<string, number> = {};
    pole.services.updates.on('step', (s) => { steps[s] ??= performance.now(); });
    const lag = monitorEventLoopDelay({ resolution: 1 });
    const t0 = performance.now();
    await publishRelease(client, sim.info.keyFile, bytes, `9.${Date.now() % 100_000}.0`, 65536);
    await until(() => steps.available, 30_000, 'manifest accepted');
    const cpu0 = process.cpuUsage();
    const a = performance.now();
    lag.enable();
    await until(() => steps.verified, 300_000, 'download verified');
    lag.disable();
    const ms = performance.now() - a;
    const cpu = process.cpuUsage(cpu0);
    const pct = (c: NodeJS.CpuUsage, wall: number) => ((c.user + c.system) / 1000 / wall) * 100;
    const k = shaped ? 'Cell' : '';
    const over = shaped ? `the simulated modem + a ${CELL.downBps * 8 / 1e6} Mbit/s, ${CELL.delayMs * 2} ms RTT link` : 'the simulated modem (loopback: the runtime\'s own pace)';
    r.figure(`downloadRate${k}`, `download over ${over} (${(size / 2 ** 20).toFixed(0)} MiB, 64 KiB chunks, window 4, mosquitto)`,
      { mibPerSec: size / 2 ** 20 / (ms / 1000), ms, fromPublishMs: steps.verified! - t0 },
      `${(size / 2 ** 20 / (ms / 1000)).toFixed(2)} MiB/s (${(ms / 1000).toFixed(1)} s manifest → verified; publish → verified ${((steps.verified! - t0) / 1000).toFixed(1)} s)`);
    r.figure(`downloadCpu${k}`, `CPU of the pole process (runtime + simulated devices) while downloading${shaped ? ' over the cell link' : ''}, idle for comparison`,
      { pct: pct(cpu, ms), idlePct: pct(idleCpu, idleMs) }, `${pct(cpu, ms).toFixed(0)} % of one core (idle ${pct(idleCpu, idleMs).toFixed(0)} %)`);
    r.figure(`downloadLoopLag${k}`, `event-loop delay while downloading${shaped ? ' over the cell link' : ''} (screen, devices, uplink in the same loop), idle for comparison`,
      { p99: lag.percentile(99) / 1e6, max: lag.max / 1e6, idleP99: idleLag.percentile(99) / 1e6, idleMax: idleLag.max / 1e6 },
      `p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms (idle: p99 ${(idleLag.percentile(99) / 1e6).toFixed(1)} ms, max ${(idleLag.max / 1e6).toFixed(1)} ms)`);
  } finally {
    // The next part starts another pole: it must not find this manifest retained.
    await client.publishAsync(updateManifestTopic(P, { scope: 'pole', poleId: POLE }), '', { qos: 1, retain: true });
    await client.endAsync();
    await sim.stop();
    await link?.stop();
  }
}

/** The launcher restarted after a failure as Restart=on-failure would (RestartSec 0.5 s); see docs/updates.md §Without systemd. */
function service(args: string[]): { stop(): Promise<void> } {
  let stopped = false;
  let proc: ChildProcess | null = null;
  const start = () => {
    const p = spawn(process.execPath, args, { stdio: 'ignore', detached: true });
    proc = p;
    p.once('exit', (code) => { if (!stopped && code !== 0) setTimeout(start, 500); });
  };
  start();
  return {
    stop: () => new Promise<void>((res) => {
      stopped = true;
      const p = proc;
      if (!p?.pid || p.exitCode !== null) return res();
      p.once('exit', () => { try { process.kill(-p.pid!, 'SIGKILL'); } catch { /* gone */ } res(); });
      p.kill('SIGTERM');
    }),
  };
}

async function launcherFigures(r: Report, brokerUrl: string): Promise<void> {
  const root = packageRoot();
  const arch = debianArch();
  // A real package from this tree; an existing build of it is reused (npm run package, or the update test's).
  const stage = join(root, 'dist', 'deb', `smartpole_0.1.1_${arch}`);
  const t0 = performance.now();
  if (!existsSync(stage)) {
    process.env.SMARTPOLE_PACKAGE_VERSION = '0.1.1';
    process.env.SMARTPOLE_PACKAGE_COMPRESS = 'gzip';
    try { buildPackage(root); } finally { delete process.env.SMARTPOLE_PACKAGE_VERSION; delete process.env.SMARTPOLE_PACKAGE_COMPRESS; }
  }
  const out = mkdtempSync(join(tmpdir(), 'sp-bench-debs-'));
  const good = packageVariant(stage, '0.3.0', null, out);
  const bad = packageVariant(stage, '0.3.1', FAULTY_START.exit, out);
  r.note(`packages ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const dataDir = mkdtempSync(join(tmpdir(), 'sp-bench-update-hw-'));
  const sim = await startSim({ dataDir, mqttUrl: brokerUrl, hardwareOnly: true, logger: pino({ level: 'silent' }) });
  const updateDir = join(dataDir, 'update');
  appendFileSync(sim.configFile, `update:\n  dir: ${updateDir}\n  gateSec: 60\n  bootAttempts: 2\n`);
  const client = await mqtt.connectAsync(brokerUrl);
  const events: { code: string; release?: string; t: number; afterMs?: number }[] = [];
  let online = false;
  client.on('message', (topic, p) => {
    try {
      const j = JSON.parse(p.toString()) as { code?: string; release?: string; online?: boolean };
      if (topic.endsWith('/state')) online = j.online === true;
      else if (j.code?.startsWith('update.')) events.push({ ...(j as { code: string }), t: performance.now() });
    } catch { /* not JSON */ }
  });
  await client.subscribeAsync([`${P}/poles/${POLE}/events`, `${P}/poles/${POLE}/state`], { qos: 1 });
  const svc = service([join(root, 'dist', 'smartpole-launcher.js'), '--dir', updateDir, '--base', root, '--', 'run', '--config', sim.configFile]);
  try {
    await until(() => online, 60_000, 'the base release online (its birth)');
    const a = performance.now();
    await publishRelease(client, sim.info.keyFile, readFileSync(good), '0.3.0', 65536);
    const healthy = await until(() => events.find((e) => e.code === 'update.healthy' && e.release === '0.3.0'), 120_000, '0.3.0 healthy');
    r.figure('publishToHealthy', 'publish → healthy (2.4 MiB real package: chunks, verify, unpack, switch, restart, gate)',
      { ms: healthy.t - a, switchToHealthyMs: healthy.afterMs ?? null }, `${((healthy.t - a) / 1000).toFixed(1)} s, of which switch → healthy ${((healthy.afterMs ?? NaN) / 1000).toFixed(1)} s`);
    await publishRelease(client, sim.info.keyFile, readFileSync(bad), '0.3.1', 65536);
    const sw = await until(() => events.find((e) => e.code === 'update.switching' && e.release === '0.3.1'), 120_000, '0.3.1 switching');
    const rb = await until(() => events.find((e) => e.code === 'update.rolled-back' && e.release === '0.3.1'), 120_000, '0.3.1 rolled back');
    r.figure('rollbackMs', 'switch → rolled back, a release that exits at start (2 boot attempts, RestartSec 0.5 s, reported by the restored release)',
      { ms: rb.t - sw.t }, `${((rb.t - sw.t) / 1000).toFixed(1)} s`);
    r.note('a release that never becomes healthy or hangs is rolled back at update.gateSec after the switch (+ ~3 s for the restored release to start and report; test/e2e/update.test.ts)');
  } finally {
    await svc.stop();
    await client.endAsync();
    await sim.stop();
  }
}

export async function benchUpdate(o: BenchOptions): Promise<void> {
  const r = new Report('update');
  const broker = o.mqttUrl ? null : mosquittoOn(await freePort());
  await broker?.start();
  const url = o.mqttUrl ?? broker!.url;
  try {
    await downloadFigures(r, o, url, false);
    await downloadFigures(r, o, url, true);
    await launcherFigures(r, url);
  } finally {
    await broker?.stop();
  }
  r.save();
}
