/**
 * Fleet figures: N pole uplinks (worker threads; each pole the runtime's MqttSession, InboundRouter,
 * MessageGate with Ed25519, NoticeIntake, Outbox and OutboxPublisher: bench/lib/uplink-pole.ts),
 * databases in memory (500 poles sharing one disk would measure this VM's fsync queue, not the
 * fleet). A signed notice to `notices/all/…` must reach every pole: publish → each pole's
 * `accepted` receipt at an ops subscriber, p99 ≤ 2 s.
 *
 * `--cluster` (docs/fleet.md): the same fleet (default 2,000 poles) first on one mosquitto, then on
 * a three-node NATS cluster (bench/lib/nats-cluster.ts; each pole its own order of the nodes);
 * then node 1 is killed with SIGKILL: per-pole and fleet failover time, the reconnect rate per
 * second (the jittered backoff must spread the herd), records lost (seq gaps at ops, outboxes not
 * drained, poles without a receipt for a notice after failover), CPU and RSS of each broker.
 * `--mqtt-url` runs the plain figures against any broker.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import mqtt from 'mqtt';
import { noDelay } from '../runtime/uplink/mqtt-session.js';
import { rawPublicKey, sealEnvelope } from '../protocols/envelope.js';
import { isoWithOffset } from '../protocols/time.js';
import { summarize, fmt } from './lib/stats.js';
import { Report } from './lib/report.js';
import { sample } from './lib/sample.js';
import { mosquittoVersion, startBenchMosquitto } from './lib/mosquitto.js';
import { procUsage, startNatsCluster, type NatsCluster } from './lib/nats-cluster.js';
import type { PoleStatus } from './fleet-worker.js';
import type { BenchOptions } from './run.js';

const P = 'smartpole/v1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () => `load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`;

export interface FleetKey { kid: string; issuer: string; publicKeyB64: string; privateKey: KeyObject }

export interface Target {
  label: string;
  /** What the poles get (one URL or the nodes, comma-separated). */
  url: string;
  /** Where ops connects (a node that stays up). */
  opsUrl: string;
  cluster: NatsCluster | null;
  pids: () => (number | null)[];
}

export class Fleet {
  readonly workers: Worker[] = [];
  constructor(private readonly t: Target, private readonly ids: string[], private readonly key: FleetKey, private readonly root: string | null) {}

  async start(threads: number): Promise<void> {
    await Promise.all(Array.from({ length: threads }, (_, i) => new Promise<void>((resolve, reject) => {
      const w = new Worker(new URL('./fleet-worker.js', import.meta.url), {
        workerData: { url: this.t.url, poleIds: this.ids.filter((_, j) => j % threads === i), kid: this.key.kid, issuer: this.key.issuer, publicKey: this.key.publicKeyB64, root: this.root, cluster: this.t.cluster !== null },
      });
      this.workers.push(w);
      w.once('error', reject);
      w.on('message', (m: { type: string }) => { if (m.type === 'ready') resolve(); });
    })));
  }

  async status(): Promise<PoleStatus[]> {
    const parts = await Promise.all(this.workers.map((w) => new Promise<PoleStatus[]>((resolve) => {
      const on = (m: { type: string; status?: PoleStatus[] }) => { if (m.type === 'status') { w.off('message', on); resolve(m.status!); } };
      w.on('message', on);
      w.postMessage({ type: 'status' });
    })));
    return parts.flat();
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => new Promise<void>((resolve) => {
      w.on('message', (m: { type: string }) => { if (m.type === 'stopped') void w.terminate().then(() => resolve()); });
      w.postMessage({ type: 'stop' });
    })));
  }
}

function signedNotice(key: FleetKey, id: string): string {
  return JSON.stringify(sealEnvelope({
    type: 'notice', audience: 'all', id, version: 1, issuedAt: isoWithOffset(Date.now()), priority: 'high', expiresAt: isoWithOffset(Date.now() + 3_600_000),
    title: { zh: '全市道路结冰预警' }, body: { zh: '今夜至明晨全市道路可能结冰，请减速慢行。' },
  }, key.kid, key.privateKey));
}

export function brokerUsage(t: Target): string {
  return t.pids().map((pid, i) => {
    const u = pid ? procUsage(pid) : null;
    return u ? `${t.cluster ? `n${i + 1}` : 'mosquitto'} ${u.cpuSec.toFixed(1)} s CPU, ${u.rssMiB.toFixed(0)} MiB RSS` : `${t.cluster ? `n${i + 1}` : 'broker'} down`;
  }).join('; ');
}

/** One fleet on one target: connect storm, notice rounds, and on a cluster a node killed. */
async function runOn(r: Report, o: BenchOptions, t: Target, key: FleetKey, N: number): Promise<{ connectMs: number; p99: number }> {
  const ids = Array.from({ length: N }, (_, i) => `WH-FL-${String(i).padStart(4, '0')}`);
  const fleet = new Fleet(t, ids, key, o.fleetDisk ? mkdtempSync(join(tmpdir(), 'sp-fleet-')) : null);
  const threads = Math.max(1, Math.min(availableParallelism(), Math.ceil(N / 100)));
  const ops = await mqtt.connectAsync(t.opsUrl, { reconnectPeriod: 1000 });
  noDelay(ops);
  const k = t.label;
  try {
    const tc = performance.now();
    await fleet.start(threads);
    const connectMs = performance.now() - tc;
    r.figure(`${k}.connectAllMs`, `${k}: ${N} poles connected, subscribed, births published (${threads} worker threads)`, connectMs, `${(connectMs / 1000).toFixed(1)} s; brokers: ${brokerUsage(t)}; ${load()}`);
    await sleep(1000);

    // The city's receiver: QoS 0 on a node that stays up (docs/fleet.md §Ops consumers); seq gaps = loss.
    await ops.subscribeAsync(`${P}/poles/+/receipts`, { qos: 0 });
    const arrivals = new Map<string, Map<string, number>>();
    const seqs = new Map<string, Set<number>>();
    ops.on('message', (_topic, p) => {
      const rec = JSON.parse(p.toString()) as { id: string; status: string; poleId: string; uplink?: { seq: number } };
      if (rec.uplink) { const s = seqs.get(rec.poleId) ?? new Set<number>(); s.add(rec.uplink.seq); seqs.set(rec.poleId, s); }
      if (rec.status === 'accepted') arrivals.get(rec.id)?.set(rec.poleId, performance.now());
    });
    const round = async (id: string, waitMs: number) => {
      const got = new Map<string, number>();
      arrivals.set(id, got);
      const t0 = performance.now();
      await ops.publishAsync(`${P}/notices/all/${id}`, signedNotice(key, id), { qos: 1, retain: true });
      const end = Date.now() + waitMs;
      while (got.size < N && Date.now() < end) await sleep(10);
      return { samples: [...got.values()].map((x) => x - t0), missing: N - got.size };
    };
    const rounds = sample(o, 5, 2, 1);
    const samples: number[] = [];
    let missing = 0;
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    for (let i = 0; i < rounds; i++) {
      const res = await round(`fleet-${k}-${Date.now()}-${i}`, 20_000);
      samples.push(...res.samples);
      missing += res.missing;
      await sleep(500);
    }
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const wallMs = performance.now() - wall0;
    const s = summarize(samples);
    r.figure(`${k}.noticeToAllReceiptMs`, `${k}: notice to all → each pole's accepted receipt at ops (${rounds} rounds × ${N} poles)`, { ...s, missing }, `${fmt(s)}; reached ${samples.length}/${rounds * N}; ${load()}`, '≤ 2000 ms p99, every pole');
    r.figure(`${k}.cpuPerPoleNoticeMs`, `${k}: CPU of the poles' process per pole per notice (verify, store, receipt, MQTT both ways)`, cpuMs / (rounds * N),
      `${(cpuMs / (rounds * N)).toFixed(2)} ms (${(cpuMs / 1000).toFixed(1)} s CPU in ${(wallMs / 1000).toFixed(1)} s: ${(cpuMs / wallMs).toFixed(2)} cores busy of ${availableParallelism()}); ${load()}`);
    const rss = process.memoryUsage().rss / 2 ** 20;
    r.figure(`${k}.rssMiB`, `${k}: resident memory of the poles' process (${(rss / N).toFixed(2)} MiB per pole)`, rss, `${rss.toFixed(0)} MiB`);
    r.figure(`${k}.brokers`, `${k}: broker processes after the rounds`, brokerUsage(t), brokerUsage(t));

    if (t.cluster) {
      const before = await fleet.status();
      const victim = t.cluster.nodes[0]!;
      const onVictim = new Set(before.filter((p) => p.broker === victim.mqttUrl).map((p) => p.poleId));
      const tKill = Date.now();
      await t.cluster.kill(0);
      const deadline = Date.now() + sample(o, 180_000, 120_000, 60_000);
      let now: PoleStatus[] = before;
      for (;;) {
        await sleep(250);
        now = await fleet.status();
        const back = now.filter((p) => p.connected && (!onVictim.has(p.poleId) || p.connects.some((c) => c > tKill)));
        if (back.length === N || Date.now() > deadline) break;
      }
      const moved = now.filter((p) => p.connects.some((c) => c > tKill));
      const perPole = moved.map((p) => p.connects.find((c) => c > tKill)! - tKill);
      const fs = summarize(perPole);
      const fleetMs = perPole.length ? Math.max(...perPole) : 0;
      const stillOff = now.filter((p) => !p.connected).length;
      r.figure(`${k}.failoverPerPoleMs`, `${k}: kill -9 of ${victim.name} (${onVictim.size} poles on it): each moved pole's reconnect`, fs, `${fmt(fs)}; ${moved.length} poles reconnected, ${stillOff} still offline; ${load()}`);
      r.figure(`${k}.failoverFleetMs`, `${k}: until every pole is online again`, fleetMs, `${(fleetMs / 1000).toFixed(1)} s; ${load()}`);
      const perSec = new Map<number, number>();
      for (const x of perPole) perSec.set(Math.floor(x / 1000), (perSec.get(Math.floor(x / 1000)) ?? 0) + 1);
      const profile = [...perSec.entries()].sort((a, b) => a[0] - b[0]);
      r.figure(`${k}.reconnectProfile`, `${k}: reconnects per second after the kill (second: count)`, Object.fromEntries(profile),
        profile.map(([sec, n]) => `${sec}:${n}`).join(' ') + ` (peak ${Math.max(0, ...profile.map(([, n]) => n))}/s)`);
      const res = await round(`fleet-${k}-after-${Date.now()}`, 60_000);
      const drainEnd = Date.now() + 30_000;
      let depth = 0;
      do { depth = (await fleet.status()).reduce((a, p) => a + p.outbox, 0); if (depth) await sleep(500); } while (depth && Date.now() < drainEnd);
      let gaps = 0;
      for (const set of seqs.values()) { const v = [...set]; gaps += Math.max(...v) - Math.min(...v) + 1 - v.length; }
      r.figure(`${k}.recordsLost`, `${k}: records lost after failover (uplink seq gaps at ops + records left in outboxes)`, gaps + depth,
        `${gaps + depth} (seq gaps ${gaps}, undrained ${depth}); a notice after failover reached ${N - res.missing}/${N}; ${load()}`, '0');
      r.figure(`${k}.brokersAfterFailover`, `${k}: broker processes after failover`, brokerUsage(t), brokerUsage(t));
    }
    return { connectMs, p99: s.p99 };
  } finally {
    await ops.endAsync(true);
    await fleet.stop();
  }
}

export async function benchFleet(o: BenchOptions): Promise<void> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const key: FleetKey = { kid: 'fleet', issuer: 'fleet-ops', publicKeyB64: rawPublicKey(publicKey), privateKey };
  if (!o.cluster) {
    const r = new Report('fleet');
    const N = o.poles ?? sample(o, 500, 200, 20);
    const broker = o.mqttUrl ? null : await startBenchMosquitto(['max_connections -1']);
    const url = o.mqttUrl ?? broker!.url;
    r.note(`broker: ${o.mqttUrl ?? `mosquitto ${mosquittoVersion()} on loopback, started by the bench`}; ${N} poles, databases ${o.fleetDisk ? 'on disk' : 'in memory'}`);
    try {
      await runOn(r, o, { label: 'broker', url, opsUrl: url.split(',')[0]!, cluster: null, pids: () => [broker?.pid() ?? null] }, key, N);
    } finally {
      await broker?.stop();
    }
    r.note(`${load()} at the end (the machine is shared; figures vary with it)`);
    r.save();
    return;
  }
  const r = new Report('fleet-cluster');
  const N = o.poles ?? sample(o, 2000, 300, 30);
  const mosq = await startBenchMosquitto(['max_connections -1']);
  let m: { connectMs: number; p99: number };
  try {
    r.note(`mosquitto ${mosquittoVersion()}: ${N} poles, one broker`);
    m = await runOn(r, o, { label: 'mosquitto', url: mosq.url, opsUrl: mosq.url, cluster: null, pids: () => [mosq.pid()] }, key, N);
  } finally {
    await mosq.stop();
  }
  const cluster = await startNatsCluster();
  try {
    r.note(`nats-server ${cluster.version}, three nodes on loopback, MQTT streams R3 (docs/fleet.md): ${N} poles spread over the nodes`);
    const c = await runOn(r, o, { label: 'cluster', url: cluster.urls.join(','), opsUrl: cluster.urls[2]!, cluster, pids: () => cluster.nodes.map((n) => n.pid()) }, key, N);
    r.figure('clusterVsMosquitto', 'cluster ÷ mosquitto: connect storm, notice-to-all p99', { connect: c.connectMs / m.connectMs, p99: c.p99 / m.p99 },
      `connect ×${(c.connectMs / m.connectMs).toFixed(2)}, p99 ×${(c.p99 / m.p99).toFixed(2)}`);
  } finally {
    await cluster.stop();
  }
  r.note(`${load()} at the end (2 cores shared with other work; figures vary with it)`);
  r.save();
}
