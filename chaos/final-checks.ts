/**
 * The end-of-run checks (docs/chaos.md §Invariants): once every fault has ended and the pole has
 * settled — every command answered, the notices the pole holds match what ops saw, every citizen's
 * message on the pole's disk reached MQTT once, every car's energy matches the meter, the uplink
 * sequence has no gap the drop reports do not explain, and memory did not climb.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Checks } from './checks.js';
import type { CarCycle } from './cars-work.js';
import type { Ledger } from './ledger.js';
import type { OpsLink } from './ops-link.js';
import type { PushedNotice } from './notices-work.js';
import type { ProbeSample } from './probe-reader.js';
import { trend } from './probe-reader.js';

interface Listed { id: string; state: string; firstDisplayedAt: string | null; priority: string }

export async function checkNoticesAtEnd(c: Checks, ops: OpsLink, ledger: Ledger, pushed: Map<string, PushedNotice>): Promise<void> {
  const id = ops.command('notice.list', { all: true, limit: 500 }, 60_000);
  const r = await ops.answer(id, () => ledger.responses, 30_000);
  if (!c.notices.check(r?.ok === true, () => `notice.list at the end: ${r ? JSON.stringify(r.error) : 'no answer'}`)) return;
  const res = r!.result as { notices: Listed[]; tier?: string };
  const held = new Map(res.notices.map((n) => [n.id, n]));
  const now = Date.now();
  for (const p of pushed.values()) {
    const rs = ledger.receipts.get(p.id) ?? [];
    // Receipts from the acceptance of the latest push on (a CAP chain id is pushed again after a withdrawal).
    const from = rs.findIndex((x) => x.status === 'accepted' && x.version === p.version);
    if (from < 0) continue;
    const since = rs.slice(from);
    const n = held.get(p.id);
    if (!c.notices.check(n !== undefined, () => `notice ${p.id} was accepted but the pole no longer holds it`)) continue;
    const withdrawnSeen = since.some((x) => x.status === 'withdrawn');
    if (withdrawnSeen) c.notices.check(n!.state === 'withdrawn', () => `notice ${p.id}: ops saw it withdrawn, the pole says ${n!.state}`);
    else if (p.withdrawnAt === null && p.expiresAt < now - 15_000) c.notices.check(n!.state === 'expired', () => `notice ${p.id} expired ${Math.round((now - p.expiresAt) / 1000)} s ago, the pole says ${n!.state}`);
    // In the top tier long enough to have come round in the rotation (5 s each, at most 8 live): shown.
    if (n!.state === 'playing' || n!.state === 'active') {
      if (now - p.pushedAt > 90_000) c.notices.check(n!.firstDisplayedAt !== null || n!.state === 'playing', () => `notice ${p.id} (${p.priority}) is in the playing tier but was never displayed`);
    }
  }
}

export function checkCommandsAtEnd(c: Checks, ops: OpsLink, ledger: Ledger): void {
  for (const cmd of ops.commands.values()) {
    const rs = ledger.responses.get(cmd.id) ?? [];
    c.commands.check(rs.length > 0, () => `command ${cmd.id} (${cmd.name}) never answered (${cmd.resends} re-sends)`);
  }
}

export function checkFeedbackAtEnd(c: Checks, ledger: Ledger, dbFile: string): void {
  const db = new Database(dbFile, { readonly: true });
  const tickets = db.prepare('SELECT ticket FROM feedback').pluck().all() as string[];
  const pending = db.prepare("SELECT count(*) FROM outbox WHERE topic LIKE '%/feedback'").pluck().get() as number;
  db.close();
  const sent = new Map<string, number>();
  for (const f of ledger.feedback.values()) sent.set(String(f.ticket), (sent.get(String(f.ticket)) ?? 0) + 1);
  c.feedback.check(pending === 0, () => `${pending} citizens' messages still in the outbox after the settle`);
  for (const t of tickets) c.feedback.check(sent.get(t) === 1, () => `ticket ${t} on the pole's disk reached MQTT ${sent.get(t) ?? 0} times`);
  for (const [t, n] of sent) c.feedback.check(tickets.includes(t), () => `ticket ${t} reached MQTT (${n}×) but the pole has no such message`);
}

/** Returns how many sessions the pole flagged `carChanged` (a car replaced while it could not see the controller). */
export function checkChargingAtEnd(c: Checks, ledger: Ledger, cycles: readonly CarCycle[]): { merged: number } {
  let merged = 0;
  const byTx = new Map<string, Record<string, unknown>[]>();
  for (const r of ledger.charging.values()) {
    const tx = String(r.transactionId);
    byTx.set(tx, [...(byTx.get(tx) ?? []), r]);
  }
  const stops: Record<string, unknown>[] = [];
  for (const [tx, rs] of byTx) {
    const n = rs.map((r) => Number(String(r.recordId).split('#')[1])).sort((a, b) => a - b);
    c.charging.check(n.every((x, i) => x === i + 1), () => `transaction ${tx}: record ids not consecutive from 1 (${n.join(',')})`);
    const starts = rs.filter((r) => r.record === 'start').length;
    const st = rs.filter((r) => r.record === 'stop');
    c.charging.check(starts === 1 && st.length === 1, () => `transaction ${tx}: ${starts} start and ${st.length} stop records`);
    stops.push(...st);
  }
  // Each car: at most one session of its own (by payment reference). A session flagged `carChanged`
  // also carries what the next car drew before the pole saw it arrive (docs/charging.md §Which car):
  // that car joins its group, and a group's session energies must add up to its cars' meter counts.
  const unmatched = new Set(stops);
  const groups: { cars: CarCycle[]; sessions: Record<string, unknown>[] }[] = [];
  for (const cy of cycles) {
    if (cy.unplugAt === null || cy.energyWh === null) continue;
    const mine = stops.filter((x) => x.paymentRef === cy.paymentRef);
    c.charging.check(mine.length <= 1, () => `car ${cy.n} (${cy.paymentRef}): ${mine.length} sessions recorded for it`);
    for (const x of mine) unmatched.delete(x);
    if (mine.some((x) => x.carChanged === true)) merged++;
    const last = groups.at(-1);
    if (last?.sessions.at(-1)?.carChanged === true) { last.cars.push(cy); last.sessions.push(...mine); } else groups.push({ cars: [cy], sessions: [...mine] });
  }
  for (const g of groups) {
    const meterWh = g.cars.reduce((t, cy) => t + cy.energyWh!, 0);
    const sessionWh = g.sessions.reduce((t, x) => t + Number(x.energyWh), 0);
    const who = g.cars.map((cy) => `car ${cy.n} (${cy.paymentRef}, plug-in ${String(cy.plugIn)}) ${cy.energyWh} Wh`).join(' + ');
    const what = g.sessions.length ? g.sessions.map((x) => `${String(x.transactionId)} ${String(x.energyWh)} Wh${x.carChanged ? ' carChanged' : ''}`).join(' + ') : 'no session';
    c.charging.check(sessionWh === meterWh, () => `${who} by the meter; ${what}`, () => g.sessions);
  }
  for (const x of unmatched) c.charging.check(x.energyWh === 0, () => `session ${String(x.transactionId)} (${String(x.energyWh)} Wh) matches no car`);
  return { merged };
}

/** Missing seqs not (yet) explained by drop reports; drops are reported once a minute. */
export function unexplainedGaps(ledger: Ledger): number {
  let gaps = 0;
  for (const set of ledger.seqs.values()) gaps += Math.max(...set) - set.size;
  return Math.max(0, gaps - ledger.droppedTotal);
}

export function checkOutboxAtEnd(c: Checks, ledger: Ledger): void {
  c.outbox.check(ledger.seqs.size === 1, () => `${ledger.seqs.size} uplink streams (the database was replaced)`);
  for (const [stream, set] of ledger.seqs) {
    const max = Math.max(...set);
    const gaps = max - set.size;
    c.outbox.check(gaps <= ledger.droppedTotal, () => `stream ${stream}: ${gaps} records missing up to seq ${max}, only ${ledger.droppedTotal} reported dropped`);
  }
}

export function checkMemoryAtEnd(c: Checks, samples: readonly ProbeSample[], runMs: number): void {
  const rss = trend(samples, 'rssMiB');
  const lag = trend(samples, 'lagP99Ms');
  // "No upward trend": projected over an hour, the within-process rise stays within 15 % of the mean
  // RSS (at least 24 MiB); the event-loop delay's within its mean (at least 20 ms).
  void runMs;
  if (rss) c.memory.check(rss.slopePerHour <= Math.max(24, rss.mean * 0.15), () => `RSS climbs ${rss.slopePerHour.toFixed(1)} MiB/h within a process (mean ${rss.mean.toFixed(0)} MiB, ${rss.processes} processes)`);
  if (lag) c.memory.check(lag.slopePerHour <= Math.max(20, lag.mean), () => `event-loop delay p99 climbs ${lag.slopePerHour.toFixed(1)} ms/h within a process (mean ${lag.mean.toFixed(1)} ms)`);
}

export function dbFile(dataDir: string): string {
  return join(dataDir, 'pole.db');
}
