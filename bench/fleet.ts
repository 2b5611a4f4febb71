/**
 * Issue 5 fleet figure: N pole uplinks (MQTT side only: session, router, trust, notice store,
 * outbox, receipts — bench/lib/uplink-pole.ts; default 500) on one broker, each with its own
 * SQLite database on disk. A signed notice to `notices/all/…` must reach every pole; the figure
 * is publish → each pole's `accepted` receipt at an ops subscriber (`poles/+/receipts`), p99 ≤ 2 s.
 * `--mqtt-url` runs the same against any broker or cluster (docs/mqtt-api.md §Clustered brokers).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { noDelay } from '../runtime/uplink/mqtt-session.js';
import { rawPublicKey, sealEnvelope } from '../protocols/envelope.js';
import { isoWithOffset } from '../protocols/time.js';
import { summarize, fmt } from './lib/stats.js';
import { Report } from './lib/report.js';
import { mosquittoVersion, startBenchMosquitto } from './lib/mosquitto.js';
import { startUplinkPole, type UplinkPole } from './lib/uplink-pole.js';
import type { BenchOptions } from './run.js';

const P = 'smartpole/v1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function benchFleet(o: BenchOptions): Promise<void> {
  const r = new Report('fleet');
  const N = o.poles ?? (o.quick ? 200 : 500);
  const rounds = o.quick ? 2 : 5;
  const broker = o.mqttUrl ? null : await startBenchMosquitto(['max_connections -1']);
  const url = o.mqttUrl ?? broker!.url;
  r.note(`broker: ${o.mqttUrl ?? `mosquitto ${mosquittoVersion()} on loopback, started by the bench`}; ${N} poles in this one Node process`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const key = { kid: 'fleet', issuer: 'fleet-ops', key: publicKey, revoked: false, publicKeyB64: rawPublicKey(publicKey) };
  const root = mkdtempSync(join(tmpdir(), 'sp-fleet-'));
  const poles: UplinkPole[] = [];
  const ops = await mqtt.connectAsync(url);
    noDelay(ops);
  try {
    const tc = performance.now();
    for (let i = 0; i < N; i++) {
      const poleId = `WH-FL-${String(i).padStart(4, '0')}`;
      const dataDir = join(root, poleId);
      mkdirSync(dataDir);
      poles.push(startUplinkPole({ poleId, mqttUrl: url, dataDir, key, groups: [`district/d${i % 13}`] }));
      if (i % 50 === 49) while (poles.filter((p) => p.session.connected).length < i - 10) await sleep(20);
    }
    while (poles.some((p) => !p.session.connected)) await sleep(50);
    const connectMs = performance.now() - tc;
    r.figure('connectAllMs', `${N} poles connected, subscribed, births published`, connectMs, `${(connectMs / 1000).toFixed(1)} s`);
    await sleep(1000);

    await ops.subscribeAsync(`${P}/poles/+/receipts`, { qos: 1 });
    const arrivals = new Map<string, Map<string, number>>();
    ops.on('message', (topic, p) => {
      const rec = JSON.parse(p.toString()) as { id: string; status: string; poleId: string };
      if (rec.status === 'accepted') arrivals.get(rec.id)?.set(rec.poleId, performance.now());
    });
    const samples: number[] = [];
    let missing = 0;
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
      for (const t of got.values()) samples.push(t - t0);
      missing += N - got.size;
      await sleep(500);
    }
    const s = summarize(samples);
    r.figure('noticeToAllReceiptMs', `notice to all → each pole's accepted receipt at ops (${rounds} rounds × ${N} poles)`, { ...s, missing }, `${fmt(s)}; reached ${samples.length}/${rounds * N}`, '≤ 2000 ms p99, every pole');
    const rss = process.memoryUsage().rss / 2 ** 20;
    r.figure('rssMiB', `resident memory of the bench process with ${N} pole uplinks`, rss, `${rss.toFixed(0)} MiB`);
  } finally {
    await ops.endAsync();
    for (let i = 0; i < poles.length; i += 50) await Promise.all(poles.slice(i, i + 50).map((p) => p.stop()));
    await broker?.stop();
  }
  r.note(`load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (the machine is shared; figures vary with it)`);
  r.save();
}
