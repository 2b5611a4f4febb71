/**
 * Figures of the console's emergency alerts and citizens' messages (docs/ops-console.md §Emergency
 * alerts, §Citizens' messages): `smartpole ops serve` as its own process (bench/lib/ops-console.ts)
 * on a broker with N light poles (bench/fleet-worker.ts: the runtime's uplink stack per pole, CAP
 * intake included, databases in memory), driven over HTTP as a browser would (login, CSRF, forms):
 * - an emergency CAP alert (the orange rainstorm sample, a new identifier each round) asked by one
 *   operator and approved by a second → each pole's receipt on the alert's delivery board, at 200
 *   and 2,000 poles;
 * - a citizen's message left on a pole → in the inbox (the record's making at the pole → the
 *   inbox's arrival stamp, both on this machine's clock).
 * The notices path, the fleet page and the console's memory are bench/ops-console.ts's.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../runtime/version.js';
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

const APPROVER_PASSWORD = 'bench-approver-password';

interface AlertApi { state: string; receipts: { poleId: string; status: string; at: number }[] }

/**
 * One emergency alert to all: the administrator asks to send it, the approver approves; then the
 * alert's board until every pole of `label` has a receipt (accepted, displayed or — outside its
 * area — ignored). Per pole: the console's arrival stamp of its receipt − the approval's start.
 */
async function alertRound(asker: ConsoleClient, approver: ConsoleClient, xml: string, n: number, label: string, round: number): Promise<{ fullMs: number; perPole: number[]; missing: number }> {
  const unique = xml.replace(/<identifier>[^<]*<\/identifier>/, `<identifier>42010041600000_${label.replace(/\D/g, '')}${String(round).padStart(4, '0')}_1</identifier>`);
  const saved = await asker.post('/alerts', { xml: unique, audience: 'all', rebase: '1', then: 'send' });
  if (saved.status !== 303 || !saved.location) throw new Error(`submit: HTTP ${saved.status}`);
  const api = `/api${saved.location}`;
  if ((await asker.json<AlertApi>(api)).state !== 'awaiting-approval') throw new Error('the emergency alert did not wait for approval');
  await approver.request(saved.location);
  const t0 = Date.now();
  const t0p = performance.now();
  const ok = await approver.post(`${saved.location}/approve`, {});
  if (ok.status !== 303) throw new Error(`approve: HTTP ${ok.status}`);
  const end = Date.now() + 60_000;
  let rows: AlertApi['receipts'] = [];
  let fullMs = NaN;
  while (Date.now() < end) {
    rows = (await approver.json<AlertApi>(api)).receipts.filter((r) => r.poleId.startsWith(label));
    if (rows.length === n) { fullMs = performance.now() - t0p; break; }
    await sleep(20);
  }
  return { fullMs, perPole: rows.map((r) => r.at - t0), missing: n - rows.length };
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

export async function benchOpsAlertsInbox(o: BenchOptions): Promise<void> {
  const r = new Report('ops-alerts-inbox');
  const sizes = o.poles ? [o.poles] : sample(o, [200, 2000], [200], [20]);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const key: FleetKey = { kid: 'ops-bench', issuer: 'city-ops', publicKeyB64: rawPublicKey(publicKey), privateKey };
  const dir = mkdtempSync(join(tmpdir(), 'sp-ops-bench-'));
  const keyFile = join(dir, 'ops.key.json');
  saveSigningKey(keyFile, { kid: key.kid, issuer: key.issuer, privateKey, publicKey: key.publicKeyB64 });
  const xml = readFileSync(join(packageRoot(), 'docs/examples/cap/wuhan-rainstorm-orange.xml'), 'utf8');
  const broker = o.mqttUrl ? null : await startBenchMosquitto(['max_connections -1']);
  const url = o.mqttUrl ?? broker!.url;
  const serve = await startOpsServeProcess({ mqttUrl: url, keyFile, dir, adminPassword: PASSWORD });
  r.note(`broker: ${o.mqttUrl ?? `mosquitto ${mosquittoVersion()} on loopback`}; ops serve as its own process; light poles in worker threads of this process; ${load()}`);
  try {
    const admin = new ConsoleClient(serve.url.replace(/\/$/, ''));
    if (await admin.login('admin', PASSWORD) !== 303) throw new Error('login refused');
    await admin.request('/users');
    const added = await admin.post('/users', { username: 'approver', displayName: 'approver', role: 'approver', password: APPROVER_PASSWORD });
    if (added.status !== 303) throw new Error(`add approver: HTTP ${added.status}`);
    const approver = new ConsoleClient(admin.url);
    if (await approver.login('approver', APPROVER_PASSWORD) !== 303) throw new Error('approver login refused');
    for (const n of sizes) {
      const label = `WH-OS${n}-`;
      const ids = Array.from({ length: n }, (_, i) => `${label}${String(i).padStart(4, '0')}`);
      const fleet = new Fleet({ label: String(n), url, opsUrl: url, cluster: null, pids: () => [] }, ids, key, null);
      await fleet.start(Math.max(1, Math.min(availableParallelism(), Math.ceil(n / 100))));
      try {
        const end = Date.now() + 180_000;
        while (Date.now() < end) {
          const rows = await admin.json<{ poleId: string; liveness: string }[]>('/api/fleet');
          if (rows.filter((x) => x.poleId.startsWith(label) && x.liveness === 'online').length === n) break;
          await sleep(250);
        }
        const rounds = sample(o, 3, 2, 1);
        const per: number[] = [];
        const full: number[] = [];
        let missing = 0;
        for (let i = 0; i < rounds; i++) {
          await admin.request('/alerts');
          const res = await alertRound(admin, approver, xml, n, label, i);
          per.push(...res.perPole);
          if (Number.isFinite(res.fullMs)) full.push(res.fullMs);
          missing += res.missing;
          await sleep(500);
        }
        const s = summarize(per);
        r.figure(`alertReceiptMs.${n}`, `emergency CAP alert to all, approved by the second operator → each pole's receipt on the alert's board (${n} poles × ${rounds})`, { ...s, missing },
          `${fmt(s)}; ${missing} missing; ${load()}`);
        r.figure(`alertBoardFullMs.${n}`, `approved → the alert's delivery board full, as polled over HTTP (${n} poles)`, full,
          `${full.map((x) => `${(x / 1000).toFixed(2)} s`).join(', ')}${full.length < rounds ? ` (${rounds - full.length} rounds never filled in 60 s)` : ''}; ${load()}`);
        const msgs = await messageRound(admin, fleet, ids, sample(o, 20, 10, 3));
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
