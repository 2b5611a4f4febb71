/**
 * MQTT uplink figures, through a real mosquitto (started here unless --mqtt-url names a broker):
 * - emergency notice push → the simulated board presents it (PTYs, full runtime), p99 ≤ 250 ms;
 * - normal notice push → its `accepted` receipt at an ops subscriber, p99 ≤ 50 ms;
 * - outbox drain after an outage (records queued on disk, then the broker comes back) ≥ 2,000/s;
 * - verify + store of signed notices (Ed25519, schema, versions, SQLite, receipt) ≥ 2,000/s,
 *   through the broker and in process.
 */
import { generateKeyPairSync } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import mqtt from 'mqtt';
import { noDelay } from '../runtime/uplink/mqtt-session.js';
import { startSim } from '../simulator/sim.js';
import { packageRoot } from '../runtime/version.js';
import { loadSigningKey } from '../ops/keys.js';
import { rawPublicKey, sealEnvelope } from '../protocols/envelope.js';
import { isoWithOffset } from '../protocols/time.js';
import { summarize, fmt } from './lib/stats.js';
import { Report } from './lib/report.js';
import { freePort, mosquittoOn, mosquittoVersion, startBenchMosquitto } from './lib/mosquitto.js';
import { startUplinkPole } from './lib/uplink-pole.js';
import type { BenchOptions } from './run.js';
import { sample } from './lib/sample.js';
import { poleReady } from './lib/ready.js';
import type { NoticeRef } from '../runtime/notices/notice-ref.js';

const P = 'smartpole/v1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function benchKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, trusted: { kid: 'bench', issuer: 'bench-ops', key: publicKey, revoked: false, publicKeyB64: rawPublicKey(publicKey) } };
}

/** Emergency notice: publish → the simulated board presents it (sim, board and runtime in this process, as bench/spine). */
async function pushToPixels(url: string, pushes: number): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sp-bench-'));
  const sim = await startSim({ dataDir: dir, ptyDir: join(dir, 'pty'), mqttUrl: url, mqttPort: 0, httpPort: 0, logger: pino({ level: 'warn' }), logLevel: 'warn' });
  try {
    const pole = sim.pole!;
    await poleReady(pole);
    const key = loadSigningKey(sim.info.keyFile);
    const ops = await mqtt.connectAsync(url);
    noDelay(ops);
    const boardPresents: number[] = [];
    sim.board.on('presented', (p) => boardPresents.push(p.at));
    const pixels: number[] = [];
    for (let i = 0; i < pushes; i++) {
      const id = `be-${i}`;
      const env = JSON.stringify(sealEnvelope({
        type: 'notice', audience: `pole:${sim.info.poleId}`, id, version: 1, issuedAt: isoWithOffset(Date.now()), priority: 'emergency', expiresAt: isoWithOffset(Date.now() + 600_000),
        title: { zh: `紧急疏散演练 第${i + 1}次` }, body: { zh: `请沿指示方向有序撤离至江滩公园。编号 ${i} ${'注意安全。'.repeat(i % 5)}` },
      }, key.kid, key.privateKey));
      const presented = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => { pole.off('presented', onP); reject(new Error(`${id} not presented in 10 s`)); }, 10_000);
        const onP = (info: { tag?: NoticeRef | undefined }) => { if (info.tag?.id === id) { clearTimeout(timer); pole.off('presented', onP); resolve(); } };
        pole.on('presented', onP);
      });
      const t0 = performance.now();
      await ops.publishAsync(`${P}/notices/pole/${sim.info.poleId}/${id}`, env, { qos: 1 });
      await presented;
      pixels.push((boardPresents.filter((t) => t >= t0).at(-1) ?? performance.now()) - t0);
      await sleep(30);
    }
    await ops.endAsync();
    return pixels;
  } finally {
    await sim.stop();
  }
}

/**
 * Normal notice: publish → its `accepted` receipt at an ops subscriber. The pole is the whole
 * `smartpole sim` in its own process (rendering each new notice on its screen, as in the field);
 * ops measures from here, so the pole's rendering never delays the measuring client.
 */
async function pushToReceipt(url: string, pushes: number): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sp-bench-'));
  const cli = join(packageRoot(), 'dist/smartpole.js');
  const proc = spawn(process.execPath, [cli, 'sim', '--mqtt-url', url, '--http-port', '0', '--data-dir', dir, '--pty-dir', join(dir, 'pty')], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    let out = '';
    proc.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    while (!/web viewer/.test(out)) { if (proc.exitCode !== null) throw new Error(`sim exited: ${out}`); await sleep(20); }
    const info = JSON.parse(readFileSync(join(dir, 'sim.json'), 'utf8')) as { poleId: string; keyFile: string };
    const key = loadSigningKey(info.keyFile);
    const ops = await mqtt.connectAsync(url);
    noDelay(ops);
    await ops.subscribeAsync(`${P}/poles/${info.poleId}/#`, { qos: 1 });
    let online = false;
    const waiting = new Map<string, () => void>();
    ops.on('message', (t, p) => {
      const r = JSON.parse(p.toString()) as { id?: string; status?: string; online?: boolean };
      if (t.endsWith('/state') && r.online) online = true;
      if (r.status === 'accepted' && r.id) waiting.get(r.id)?.();
    });
    while (!online) await sleep(20);
    await sleep(1500);
    const samples: number[] = [];
    for (let i = 0; i < pushes; i++) {
      const id = `bn-${i}`;
      const env = JSON.stringify(sealEnvelope({
        type: 'notice', audience: `pole:${info.poleId}`, id, version: 1, issuedAt: isoWithOffset(Date.now()), priority: 'normal', expiresAt: isoWithOffset(Date.now() + 600_000),
        title: { zh: `社区通知 第${i + 1}号` }, body: { zh: `澳门路社区服务中心本周六上午开放。编号${i}` },
      }, key.kid, key.privateKey));
      const got = new Promise<void>((resolve) => waiting.set(id, resolve));
      const t0 = performance.now();
      await ops.publishAsync(`${P}/notices/pole/${info.poleId}/${id}`, env, { qos: 1 });
      await got;
      samples.push(performance.now() - t0);
      waiting.delete(id);
      await sleep(100);
    }
    await ops.endAsync();
    return samples;
  } finally {
    await new Promise((r) => { if (proc.exitCode !== null) r(null); else { proc.once('exit', r); proc.kill('SIGINT'); } });
  }
}

/** Records queued while the broker is away; then it comes back: rate to the subscriber. */
async function drain(records: number, url?: string): Promise<{ ms: number; toEmptyMs: number }> {
  const k = benchKey();
  const port = url ? 0 : await freePort();
  const broker = url ? null : mosquittoOn(port);
  const brokerUrl = url ?? broker!.url;
  const pole = startUplinkPole({ poleId: 'BENCH-DRAIN', mqttUrl: brokerUrl, dataDir: mkdtempSync(join(tmpdir(), 'sp-drain-')), key: k.trusted, autoStart: false, reconnect: { initialSec: 0.2, maxSec: 1 } });
  try {
    for (let i = 0; i < records; i += 1000) {
      pole.db.transaction(() => { for (let j = i; j < Math.min(records, i + 1000); j++) pole.reporter.telemetry('bench', { n: j, lampLevel: 80, powerW: 41.5, energyKWh: 1203.25 }); })();
    }
    const last = pole.outbox.lastSeq();
    await broker?.start();
    const sub = await mqtt.connectAsync(brokerUrl);
    noDelay(sub);
    await sub.subscribeAsync(`${P}/poles/BENCH-DRAIN/telemetry`, { qos: 1 });
    let got = 0;
    const done = new Promise<number>((resolve) => sub.on('message', (_t, p) => {
      got++;
      if ((JSON.parse(p.toString()) as { uplink: { seq: number } }).uplink.seq === last) resolve(performance.now());
    }));
    let t0 = 0;
    pole.session.once('connected', () => { t0 = performance.now(); });
    pole.session.start();
    const tLast = await done;
    while (pole.outbox.depth() > 0) await sleep(5);
    const tEmpty = performance.now();
    await sub.endAsync();
    if (got < records) throw new Error(`only ${got}/${records} records arrived`);
    return { ms: tLast - t0, toEmptyMs: tEmpty - t0 };
  } finally {
    await pole.stop();
    await broker?.stop();
  }
}

/** Signed notices verified and stored: through the broker, and fed to the router in process. */
async function verifyStore(n: number, url: string): Promise<{ viaBrokerPerSec: number; inProcessPerSec: number; verifyThreads: number }> {
  const k = benchKey();
  const envs = Array.from({ length: n }, (_, i) => {
    const id = `vs-${i}`;
    return { id, body: JSON.stringify(sealEnvelope({ type: 'notice', audience: 'all', id, version: 1, issuedAt: isoWithOffset(Date.now()), priority: 'low', title: { zh: `通知 ${i}` }, body: { zh: `第${i}条测试通知的正文。` } }, 'bench', k.privateKey)) };
  });
  // In process: what the router does with a burst (group commit), without the network.
  const threads = Math.min(2, availableParallelism() - 1);
  const local = startUplinkPole({ poleId: 'BENCH-VS-LOCAL', mqttUrl: 'mqtt://127.0.0.1:9', dataDir: mkdtempSync(join(tmpdir(), 'sp-vs-')), key: k.trusted, autoStart: false, verifyThreads: threads });
  await sleep(200); // workers up
  const bufs = envs.map((e) => Buffer.from(e.body));
  const t0 = performance.now();
  envs.forEach((e, i) => local.router.dispatch(`${P}/notices/all/${e.id}`, bufs[i]!, false));
  await local.router.flush();
  const inProcessMs = performance.now() - t0;
  if (local.intake.stats.accepted !== n) throw new Error(`in process: ${local.intake.stats.accepted}/${n} accepted`);
  await local.stop();
  // Through the broker.
  const pole = startUplinkPole({ poleId: 'BENCH-VS', mqttUrl: url, dataDir: mkdtempSync(join(tmpdir(), 'sp-vs-')), key: k.trusted, verifyThreads: threads });
  while (!pole.session.connected) await sleep(10);
  await sleep(300);
  const ops = await mqtt.connectAsync(url);
    noDelay(ops);
  const t1 = performance.now();
  let inflight: Promise<unknown>[] = [];
  for (const e of envs) {
    inflight.push(ops.publishAsync(`${P}/notices/all/${e.id}`, e.body, { qos: 1 }));
    if (inflight.length >= 256) { await Promise.all(inflight); inflight = []; }
  }
  await Promise.all(inflight);
  while (pole.intake.stats.accepted < n) await sleep(2);
  const viaMs = performance.now() - t1;
  await ops.endAsync();
  await pole.stop();
  return { viaBrokerPerSec: n / (viaMs / 1000), inProcessPerSec: n / (inProcessMs / 1000), verifyThreads: threads };
}

export async function benchMqtt(o: BenchOptions): Promise<void> {
  const r = new Report('mqtt');
  const broker = o.mqttUrl ? null : await startBenchMosquitto();
  const url = o.mqttUrl ?? broker!.url;
  r.note(`broker: ${o.mqttUrl ?? `mosquitto ${mosquittoVersion()} on loopback, started by the bench`}`);
  try {
    const px = summarize(await pushToPixels(url, sample(o, 120, 30, 3)));
    r.figure('emergencyPushToPixelsMs', 'emergency notice push → board presents (480×800 @1 MB/s, PTY, through mosquitto)', px, fmt(px), '≤ 250 ms p99');
    const rc = summarize(await pushToReceipt(url, sample(o, 200, 50, 5)));
    r.figure('normalPushToReceiptMs', 'normal notice push → accepted receipt at ops (through mosquitto; `smartpole sim` as its own process)', rc, fmt(rc), '≤ 50 ms p99');
    const N = sample(o, 20_000, 5_000, 200);
    const d = await drain(N, o.mqttUrl);
    r.figure('outboxDrainPerSec', `outbox drain after an outage: ${N} queued records → subscriber`, { records: N, ms: d.ms, toEmptyMs: d.toEmptyMs },
      `${Math.round(N / (d.ms / 1000))} records/s (last record after ${d.ms.toFixed(0)} ms; outbox empty after ${d.toEmptyMs.toFixed(0)} ms)`, '≥ 2,000 records/s');
    const V = sample(o, 5_000, 2_000, 100);
    const v = await verifyStore(V, url);
    r.figure('verifyStorePerSec', `verify + store ${V} signed notices (Ed25519, schema, versions, SQLite FULL sync, receipt)`, v,
      `${Math.round(v.viaBrokerPerSec)}/s through mosquitto, ${Math.round(v.inProcessPerSec)}/s in process (${v.verifyThreads} signature worker${v.verifyThreads === 1 ? '' : 's'})`, '≥ 2,000/s');
  } finally {
    await broker?.stop();
  }
  r.note(`load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (the machine is shared; figures vary with it)`);
  r.save();
}
