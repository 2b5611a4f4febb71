/**
 * MQTT fleet figure: N pole uplinks on one broker (default 500), the MQTT side only: each has
 * the runtime's session, router, trust gate (Ed25519), notice intake, outbox and publisher
 * (bench/lib/uplink-pole.ts), with its SQLite database in memory — on a pole that disk sync is
 * its own (measured by bench/mqtt's verify + store); here 500 poles share one process and one
 * disk, which would measure this VM's fsync queue instead of the fleet. A signed notice to
 * `notices/all/…` must reach every pole; the figure is publish → each pole's `accepted` receipt
 * at an ops subscriber (`poles/+/receipts`), p99 ≤ 2 s.
 * `--mqtt-url` runs the same against any broker or cluster (docs/mqtt-api.md §Clustered brokers).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { noDelay } from '../runtime/uplink/mqtt-session.js';
import { rawPublicKey, sealEnvelope } from '../protocols/envelope.js';
import { isoWithOffset } from '../protocols/time.js';
import { summarize, fmt } from './lib/stats.js';
import { Report } from './lib/report.js';
import { mosquittoVersion, startBenchMosquitto } from './lib/mosquitto.js';
import { Worker } from 'node:worker_threads';
import type { BenchOptions } from './run.js';
import { sample } from './lib/sample.js';

const P = 'smartpole/v1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function benchFleet(o: BenchOptions): Promise<void> {
  const r = new Report('fleet');
  const N = o.poles ?? sample(o, 500, 200, 20);
  const rounds = sample(o, 5, 2, 1);
  const broker = o.mqttUrl ? null : await startBenchMosquitto(['max_connections -1']);
  const url = o.mqttUrl ?? broker!.url;
  r.note(`broker: ${o.mqttUrl ?? `mosquitto ${mosquittoVersion()} on loopback, started by the bench`}; ${N} poles in this one Node process, databases ${o.fleetDisk ? 'on disk' : 'in memory'}`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const key = { kid: 'fleet', issuer: 'fleet-ops', publicKeyB64: rawPublicKey(publicKey) };
  const root = mkdtempSync(join(tmpdir(), 'sp-fleet-'));
  // Poles spread over worker threads, one per core: on the street each pole has its own CPU.
  const threads = Math.max(1, Math.min(availableParallelism(), Math.ceil(N / 100)));
  const ids = Array.from({ length: N }, (_, i) => `WH-FL-${String(i).padStart(4, '0')}`);
  const workers: Worker[] = [];
  const ops = await mqtt.connectAsync(url);
  noDelay(ops);
  try {
    const tc = performance.now();
    await Promise.all(Array.from({ length: threads }, (_, t) => new Promise<void>((resolve, reject) => {
      const w = new Worker(new URL('./fleet-worker.js', import.meta.url), {
        workerData: { url, poleIds: ids.filter((_, i) => i % threads === t), kid: key.kid, issuer: key.issuer, publicKey: key.publicKeyB64, root: o.fleetDisk ? root : null },
      });
      workers.push(w);
      w.once('error', reject);
      w.on('message', (m: { type: string }) => { if (m.type === 'ready') resolve(); });
    })));
    const connectMs = performance.now() - tc;
    r.figure('connectAllMs', `${N} poles connected, subscribed, births published (${threads} worker threads)`, connectMs, `${(connectMs / 1000).toFixed(1)} s`);
    await sleep(1000);

    await ops.subscribeAsync(`${P}/poles/+/receipts`, { qos: 1 });
    const arrivals = new Map<string, Map<string, number>>();
    ops.on('message', (topic, p) => {
      const rec = JSON.parse(p.toString()) as { id: string; status: string; poleId: string };
      if (rec.status === 'accepted') arrivals.get(rec.id)?.set(rec.poleId, performance.now());
    });
    const samples: number[] = [];
    let missing = 0;
    const cpu0 = process.cpuUsage();
    let busyWall = 0;
    for (let round = 0; round < rounds; round++) {
      const id = `fleet-${Date.now()}-${round}`;
      const env = JSON.stringify(sealEnvelope({
        type: 'notice', id, version: 1, issuedAt: isoWithOffset(Date.now()), priority: 'high', expiresAt: isoWithOffset(Date.now() + 3_600_000),
        title: { zh: '全市道路结冰预警' }, body: { zh: '今夜至明晨全市道路可能结冰，请减速慢行。' },
      }, key.kid, privateKey));
      const got = new Map<string, number>();
      arrivals.set(id, got);
      const t0 = performance.now();
      await ops.publishAsync(`${P}/notices/all/${id}`, env, { qos: 1 });
      const end = Date.now() + 15_000;
      while (got.size < N && Date.now() < end) await sleep(10);
      busyWall += performance.now() - t0;
      for (const t of got.values()) samples.push(t - t0);
      missing += N - got.size;
      await sleep(500);
    }
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const s = summarize(samples);
    r.figure('noticeToAllReceiptMs', `notice to all → each pole's accepted receipt at ops (${rounds} rounds × ${N} poles)`, { ...s, missing }, `${fmt(s)}; reached ${samples.length}/${rounds * N}`, '≤ 2000 ms p99, every pole');
    r.figure('cpuPerPoleNoticeMs', 'CPU of this process per pole per notice (verify, store, receipt, MQTT both ways)', cpuMs / (rounds * N),
      `${(cpuMs / (rounds * N)).toFixed(2)} ms (${(cpuMs / 1000).toFixed(1)} s CPU in ${(busyWall / 1000).toFixed(1)} s of rounds: ${(cpuMs / busyWall).toFixed(2)} cores busy of ${availableParallelism()})`);
    const rss = process.memoryUsage().rss / 2 ** 20;
    r.figure('rssMiB', `resident memory of the bench process with ${N} pole uplinks (${(rss / N).toFixed(2)} MiB per pole)`, rss, `${rss.toFixed(0)} MiB`);
  } finally {
    await ops.endAsync();
    await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
      w.on('message', (m: { type: string }) => { if (m.type === 'stopped') void w.terminate().then(() => resolve()); });
      w.postMessage({ type: 'stop' });
    })));
    await broker?.stop();
  }
  r.note(`load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (the machine is shared; figures vary with it)`);
  r.save();
}
