/**
 * Figures of the operations console (docs/ops-console.md): `smartpole ops serve` as its own process
 * (dist/smartpole.js) on mosquitto with a fleet of N light poles (worker threads, the runtime's
 * uplink stack: bench/fleet.ts's Fleet). Per fleet size: births → every pole on the console's fleet;
 * a notice composed over HTTP (preview in both languages by the pole's renderer, sign, publish) →
 * every pole's receipt on the delivery board; the fleet page's render time; the console's resident
 * memory. Sizes: 200 and 2,000 poles (quick 200 and 500, smoke 20).
 */
import { generateKeyPairSync, createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawPublicKey } from '../protocols/envelope.js';
import { saveSigningKey } from '../ops/keys.js';
import { Fleet, brokerUsage, type FleetKey, type Target } from './fleet.js';
import { ConsoleClient, startOpsServeProcess, type BoardCounts } from './lib/ops-console.js';
import { mosquittoVersion, startBenchMosquitto } from './lib/mosquitto.js';
import { Report } from './lib/report.js';
import { sample } from './lib/sample.js';
import { fmt, summarize } from './lib/stats.js';
import type { BenchOptions } from './run.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () => `load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`;
const PW = 'bench admin password';

async function until(f: () => Promise<boolean>, ms: number, pollMs = 50): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (await f()) return true; await sleep(pollMs); }
  return false;
}

async function runSize(r: Report, o: BenchOptions, N: number): Promise<void> {
  const k = `n${N}`;
  const dir = mkdtempSync(join(tmpdir(), 'bench-ops-console-'));
  const broker = await startBenchMosquitto(['max_connections -1']);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const key: FleetKey = { kid: 'ops-bench', issuer: 'city-ops', publicKeyB64: rawPublicKey(publicKey), privateKey };
  saveSigningKey(join(dir, 'ops.key.json'), { kid: key.kid, issuer: key.issuer, privateKey: createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' })), publicKey: key.publicKeyB64 });
  const t: Target = { label: 'mosquitto', url: broker.url, opsUrl: broker.url, cluster: null, pids: () => [broker.pid()] };
  const ids = Array.from({ length: N }, (_, i) => `WH-OPS-${String(i).padStart(4, '0')}`);
  const fleet = new Fleet(t, ids, key, null);
  const serve = await startOpsServeProcess({ mqttUrl: broker.url, keyFile: join(dir, 'ops.key.json'), dir, adminPassword: PW });
  try {
    const c = new ConsoleClient(serve.url);
    if (await c.login('admin', PW) !== 303) throw new Error('bench login failed');
    const t0 = Date.now();
    await fleet.start(Math.max(1, Math.min(availableParallelism(), Math.ceil(N / 250))));
    const connected = Date.now() - t0;
    const seen = await until(async () => (await c.json<unknown[]>('/api/fleet')).length === N, 120_000, 200);
    r.figure(`${k}.fleetFullMs`, `${k}: fleet start → all ${N} poles on the console's fleet (poles connected after ${(connected / 1000).toFixed(1)} s)`, seen ? Date.now() - t0 : NaN, `${((Date.now() - t0) / 1000).toFixed(1)} s${seen ? '' : ' (NOT all seen)'}; ${load()}`);
    const rounds = sample(o, 3, 2, 1);
    const sendMs: number[] = [];
    const fillMs: number[] = [];
    let missing = 0;
    const cpu0 = serve.cpuMs();
    for (let i = 0; i < rounds; i++) {
      const a = Date.now();
      const id = await c.sendNotice({ title_zh: `全市道路结冰预警 ${i + 1}`, body_zh: '今夜至明晨全市道路可能结冰，请减速慢行。', title_en: 'Ice on roads tonight', body_en: 'Roads may ice over tonight; drive slowly.', audience: 'all', priority: 'high', duration: '10' });
      const b = Date.now();
      let counts: BoardCounts | null = null;
      const full = await until(async () => {
        counts = (await c.json<{ counts: BoardCounts }>(`/api/notices/${encodeURIComponent(id)}/board`)).counts;
        return counts.accepted + counts.displayed + counts.refused === N;
      }, 60_000, 50);
      sendMs.push(b - a);
      if (full) fillMs.push(Date.now() - b);
      else missing += N - ((counts as BoardCounts | null)?.accepted ?? 0);
      await sleep(500);
    }
    const cpu = serve.cpuMs() - cpu0;
    r.figure(`${k}.cpuPerReceiptMs`, `${k}: CPU of ops serve per pole receipt (previews, signing, receipts in, board polls; ${rounds} rounds)`, cpu / (rounds * N), `${(cpu / (rounds * N)).toFixed(3)} ms (${(cpu / 1000).toFixed(1)} s CPU in all); ${load()}`);
    const s1 = summarize(sendMs);
    const s2 = summarize(fillMs);
    r.figure(`${k}.composeSendMs`, `${k}: preview (zh + en, the pole's renderer) then sign and publish, over HTTP (${rounds} rounds)`, s1, `${fmt(s1)}; ${load()}`);
    r.figure(`${k}.sendToBoardFullMs`, `${k}: send → every pole's receipt on the delivery board (${rounds} rounds, board polled every 50 ms)`, { ...s2, missing }, `${fmt(s2)}; missing ${missing}; ${load()}`, N <= 200 ? '≤ 3000 ms' : undefined);
    const p0 = Date.now();
    const page = await c.request('/fleet');
    r.figure(`${k}.fleetPageMs`, `${k}: GET /fleet (table and map of ${N} poles, ${(page.text.length / 1024).toFixed(0)} KiB)`, Date.now() - p0, `${Date.now() - p0} ms; ${load()}`);
    const rss = serve.rssKb() / 1024;
    r.figure(`${k}.rssMiB`, `${k}: resident memory of ops serve after the rounds`, rss, `${rss.toFixed(0)} MiB; broker ${brokerUsage(t)}`);
  } finally {
    await serve.stop();
    await fleet.stop();
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchOpsConsole(o: BenchOptions): Promise<void> {
  const r = new Report('ops-console');
  const sizes = o.poles ? [o.poles] : sample(o, [200, 2000], [200, 500], [20]);
  r.note(`broker: mosquitto ${mosquittoVersion()} on loopback; poles in worker threads, databases in memory; ops serve its own process; sizes ${sizes.join(', ')}`);
  for (const n of sizes) await runSize(r, o, n);
  r.save();
}
