/**
 * The operations console's figures (docs/ops-console.md): `smartpole ops serve` (the built CLI, a
 * process of its own: bench/lib/ops-console.ts) on a broker with N light poles (bench/fleet-worker.ts: the runtime's uplink
 * stack per pole, databases in memory). Driven over its HTTP interface as a browser would (login,
 * CSRF token, forms):
 * - a notice to all composed (preview, then send) → every pole's receipt on its delivery board,
 *   at 200 and 2,000 poles (per pole from the board's own receipt times, and until the board is full);
 * - resident memory of `ops serve` with the fleet known and the notices delivered;
 * - a citizen's message left on a pole → in the inbox (the record's time at the pole → the inbox's
 *   arrival stamp, both on this machine's clock).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawPublicKey } from '../protocols/envelope.js';
import { saveSigningKey } from '../ops/keys.js';
import { Fleet, type FleetKey } from './fleet.js';
import { mosquittoVersion, startBenchMosquitto } from './lib/mosquitto.js';
import { ConsoleClient, startOpsServeProcess } from './lib/ops-console.js';
import { Report } from './lib/report.js';
import { sample } from './lib/sample.js';
import { fmt, summarize } from './lib/stats.js';
import type { BenchOptions } from './run.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () => `load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`;
const PASSWORD = 'bench-admin-password';

interface BoardRow { poleId: string; status: string; receiptAfterMs: number | null }

/** One notice to all: preview, send, then the board until every pole of `ids` has a receipt. */
async function noticeRound(c: ConsoleClient, n: number, label: string): Promise<{ fullMs: number; perPole: number[]; missing: number }> {
  const form = { title_zh: `道路结冰预警 ${label}`, body_zh: '今夜至明晨全市道路可能结冰，请减速慢行。', audience: 'all', priority: 'high', duration: '15' };
  await c.request('/notices/new');
  const preview = await c.post('/notices/preview', form);
  const digest = /name="digest" value="([^"]+)"/.exec(preview.text)?.[1];
  if (!digest) throw new Error(`the notice preview offered no send (HTTP ${preview.status})`);
  // Composed: the operator presses "sign and send" on the previewed notice.
  const t0 = performance.now();
  const sent = await c.post('/notices', { ...form, digest });
  if (sent.status !== 303 || !sent.location) throw new Error(`send: HTTP ${sent.status}`);
  const end = Date.now() + 60_000;
  let rows: BoardRow[] = [];
  let fullMs = NaN;
  while (Date.now() < end) {
    rows = (await c.json<{ poles: BoardRow[] }>(`/api${sent.location}/board`)).poles.filter((r) => r.poleId.startsWith(label));
    if (rows.filter((r) => r.status === 'accepted' || r.status === 'displayed').length === n) { fullMs = performance.now() - t0; break; }
    await sleep(20);
  }
  const perPole = rows.map((r) => r.receiptAfterMs).filter((x): x is number => x !== null);
  return { fullMs, perPole, missing: n - perPole.length };
}

/** Citizens' messages: `k` poles each leave one; time from the record's making at the pole to the inbox's stamp. */
async function messageRound(c: ConsoleClient, fleet: Fleet, ids: string[], k: number): Promise<number[]> {
  const sent: { poleId: string; ticket: string; at: number }[] = [];
  for (let i = 0; i < k; i++) {
    const poleId = ids[Math.floor((i * ids.length) / k)]!;
    const w = fleet.workers.find((_, j) => ids.indexOf(poleId) % fleet.workers.length === j)!;
    sent.push(await new Promise((resolve) => {
      const on = (m: { type: string; poleId?: string; ticket?: string; at?: number }) => {
        if (m.type === 'feedback-sent' && m.poleId === poleId) { w.off('message', on); resolve({ poleId, ticket: m.ticket!, at: m.at! }); }
      };
      w.on('message', on);
      w.postMessage({ type: 'feedback', poleId });
    }));
    await sleep(200);
  }
  const out: number[] = [];
  for (const s of sent) {
    const end = Date.now() + 30_000;
    while (Date.now() < end) {
      const r = await c.request(`/api/inbox/${encodeURIComponent(s.poleId)}/${s.ticket}`, { headers: { accept: 'application/json' } });
      if (r.status === 200) { out.push((JSON.parse(r.text) as { receivedAt: number }).receivedAt - s.at); break; }
      await sleep(20);
    }
  }
  return out;
}

export async function benchOpsServe(o: BenchOptions): Promise<void> {
  const r = new Report('ops-serve');
  const sizes = o.poles ? [o.poles] : sample(o, [200, 2000], [200], [20]);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const key: FleetKey = { kid: 'ops-bench', issuer: 'city-ops', publicKeyB64: rawPublicKey(publicKey), privateKey };
  const dir = mkdtempSync(join(tmpdir(), 'sp-ops-bench-'));
  const keyFile = join(dir, 'ops.key.json');
  saveSigningKey(keyFile, { kid: key.kid, issuer: key.issuer, privateKey, publicKey: key.publicKeyB64 });
  const broker = o.mqttUrl ? null : await startBenchMosquitto(['max_connections -1']);
  const url = o.mqttUrl ?? broker!.url;
  const serve = await startOpsServeProcess({ mqttUrl: url, keyFile, dir, adminPassword: PASSWORD });
  const rssMiB = () => serve.rssKb() / 1024;
  // utime + stime (fields 14, 15 of /proc/pid/stat) in clock ticks of 1/100 s.
  const cpuSec = () => { const f = readFileSync(`/proc/${serve.proc.pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) / 100; };
  r.note(`broker: ${o.mqttUrl ?? `mosquitto ${mosquittoVersion()} on loopback`}; ops serve ${serve.url} (pid ${serve.proc.pid}); light poles in worker threads of this process; ${load()}`);
  try {
    const c = new ConsoleClient(serve.url.replace(/\/$/, ''));
    if (await c.login('admin', PASSWORD) !== 303) throw new Error('login refused');
    r.figure('rssIdleMiB', 'ops serve: resident memory with no poles', rssMiB(), `${rssMiB().toFixed(0)} MiB`);
    for (const n of sizes) {
      const label = `WH-OS${n}-`;
      const ids = Array.from({ length: n }, (_, i) => `${label}${String(i).padStart(4, '0')}`);
      const fleet = new Fleet({ label: String(n), url, opsUrl: url, cluster: null, pids: () => [] }, ids, key, null);
      await fleet.start(Math.max(1, Math.min(availableParallelism(), Math.ceil(n / 100))));
      try {
        const end = Date.now() + 120_000;
        while (Date.now() < end) {
          const rows = await c.json<{ poleId: string; liveness: string }[]>('/api/fleet');
          if (rows.filter((x) => x.poleId.startsWith(label) && x.liveness === 'online').length === n) break;
          await sleep(250);
        }
        const rounds = sample(o, 3, 2, 1);
        const per: number[] = [];
        const full: number[] = [];
        let missing = 0;
        const cpu0 = cpuSec();
        for (let i = 0; i < rounds; i++) {
          const res = await noticeRound(c, n, label);
          per.push(...res.perPole);
          if (Number.isFinite(res.fullMs)) full.push(res.fullMs);
          missing += res.missing;
          await sleep(500);
        }
        const cpu = (cpuSec() - cpu0) / rounds;
        const s = summarize(per);
        r.figure(`noticeReceiptMs.${n}`, `notice to all sent from the console → each pole's receipt on the delivery board (${n} poles × ${rounds})`, { ...s, missing },
          `${fmt(s)}; ${missing} missing; ${load()}`);
        r.figure(`boardFullMs.${n}`, `notice to all sent → the delivery board full, as polled over HTTP (${n} poles)`, full,
          `${full.map((x) => `${(x / 1000).toFixed(2)} s`).join(', ')}${full.length < rounds ? ` (${rounds - full.length} rounds never filled in 60 s)` : ''}; ${load()}`, n <= 200 ? '≤ 3 s' : undefined);
        r.figure(`cpuPerNoticeSec.${n}`, `ops serve: CPU per notice round (preview render, sign, ${n} receipts in, board polled)`, cpu, `${cpu.toFixed(2)} s CPU; ${load()}`);
        const rss = rssMiB();
        r.figure(`rssMiB.${n}`, `ops serve: resident memory with ${n} poles known and ${rounds} notices delivered`, rss, `${rss.toFixed(0)} MiB`);
        const msgs = await messageRound(c, fleet, ids, sample(o, 20, 10, 3));
        const m = summarize(msgs);
        r.figure(`messageToInboxMs.${n}`, `citizen's message made on a pole → in the console's inbox (${n} poles online)`, m, `${fmt(m)}; ${load()}`);
      } finally {
        await fleet.stop();
      }
    }
  } finally {
    await serve.stop();
    await broker?.stop();
  }
  r.note(`${load()} at the end (the machine is shared; figures vary with it)`);
  r.save();
}
