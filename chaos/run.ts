/**
 * One chaos run (docs/chaos.md): a whole pole, the seeded fault schedule, the workload, the
 * invariants; then the report. `npm run chaos` (chaos/cli.ts) and test/e2e/chaos.test.ts call it.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../lib/seeded-random.js';
import { Checks } from './checks.js';
import { EventLog } from './event-log.js';
import { Injector, sleep } from './faults.js';
import { checkChargingAtEnd, checkCommandsAtEnd, checkFeedbackAtEnd, checkMemoryAtEnd, checkNoticesAtEnd, checkOutboxAtEnd, dbFile, unexplainedGaps } from './final-checks.js';
import { Invariants, type Violation } from './invariant.js';
import { Ledger } from './ledger.js';
import { OpsLink } from './ops-link.js';
import { PoleRig } from './pole-rig.js';
import { ProbeReader, trend } from './probe-reader.js';
import { headline, writeHeadline, writeReport, type ChaosSummary } from './report.js';
import { buildSchedule } from './schedule.js';
import { Workload } from './workload.js';

export interface ChaosOptions {
  minutes: number;
  seed: number;
  /** Report name in bench/results/ (default `chaos`). */
  name?: string;
  /** Where the report goes (default bench/results/). */
  resultsDir?: string;
  /** Write the headline into docs/performance.md (full runs only). */
  writeDoc?: boolean;
  /** Mean gap between fault starts (default 6 s: ≥ 500 faults an hour). */
  meanGapMs?: number;
  out?: (line: string) => void;
}

export interface ChaosResult { summary: ChaosSummary; violations: Violation[]; line: string; files: { json: string; png: string } }

const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! : 0);

export async function runChaos(o: ChaosOptions): Promise<ChaosResult> {
  const out = o.out ?? ((l: string) => console.log(l));
  const loadStart = loadavg().map((x) => +x.toFixed(2));
  const rig = new PoleRig();
  await rig.start();
  const t0 = Date.now();
  const log = new EventLog(t0);
  const violations: Violation[] = [];
  const inv = new Invariants((v) => {
    violations.push(v);
    log.add('violation', `${v.invariant}: ${v.message}`);
    out(`VIOLATION ${v.invariant}: ${v.message}   (seed ${o.seed}; replay: npm run chaos -- --minutes ${o.minutes} --seed ${o.seed})`);
    for (const e of log.before(v.at)) out(EventLog.format(e));
    if (v.detail !== undefined) out(`  detail: ${JSON.stringify(v.detail).slice(0, 2000)}`);
  });
  const ledger = new Ledger();
  const poleId = String((rig.config().pole as { id?: string } | undefined)?.id ?? 'WH-JA-0001');
  const ops = new OpsLink(rig.broker.url, poleId, rig.sim.dataDir);
  const injector = new Injector(rig, log);
  const maxRows = Number((rig.config().uplink as { outboxMaxRows?: number }).outboxMaxRows ?? 100_000);
  const checks = new Checks(inv, ledger, ops, injector, rig, maxRows);
  const probe = new ProbeReader(rig.probeFile, t0);
  let stopped = false;
  let workDone = false;
  const pendingChecks: Promise<void>[] = [];
  const timers: NodeJS.Timeout[] = [];
  try {
    await ops.connect();
    ops.onRecord((r) => { ledger.add(r); checks.onRecord(r); });
    await until(() => {
      const bad = rig.exits.find((e) => !e.expected);
      if (bad) throw new Error(`the runtime exited (code ${bad.code}):\n${bad.tail}`);
      return ledger.online;
    }, 90_000, 'the runtime\'s first birth');
    out(`chaos: pole ${poleId} up (work dir ${rig.work}); health ${JSON.stringify(Object.fromEntries(Object.entries((ledger.birth?.devices ?? {}) as Record<string, { status?: string }>).map(([k, v]) => [k, v.status])))}`);
    const durationMs = Math.round(o.minutes * 60_000);
    const unavailable = rig.disk.available ? [] : ['disk.fill (no tmpfs: not root)'];
    const schedule = buildSchedule({ seed: o.seed, durationMs, meanGapMs: o.meanGapMs ?? 6_000, settleMs: 10_000, warmupMs: Math.min(20_000, durationMs / 6), exclude: new Set(rig.disk.available ? [] : ['disk.fill']) });
    out(`chaos: seed ${o.seed}, ${o.minutes} min, ${schedule.length} faults scheduled`);
    injector.onEnd((f, fo) => { pendingChecks.push(checks.afterFault(f, fo.endedAt!)); });
    timers.push(setInterval(() => probe.poll(), 5_000));
    timers.push(setInterval(() => { if (!workDone) void checks.screenValid('periodic'); }, 45_000));
    const work = new Workload(rig, ops, ledger, log, seededRandom(o.seed ^ 0x5eed));
    const workRun = work.run(() => stopped);
    let maxOverlap = 0;
    timers.push(setInterval(() => { maxOverlap = Math.max(maxOverlap, injector.active.size); }, 200));
    const runStart = Date.now();
    timers.push(setInterval(() => out(`chaos: +${((Date.now() - runStart) / 60_000).toFixed(0)} min, ${injector.outcomes.length} faults, ${inv.checks()} checks, ${violations.length} violations`), 60_000));
    // The simulated hardware itself must survive: if the sim dies, the run stops there (its stderr is in sim-out.log).
    let simDead = false;
    timers.push(setInterval(() => {
      const p = rig.sim.proc;
      if (simDead || (p.exitCode === null && p.signalCode === null)) return;
      simDead = true;
      checks.process.check(false, () => `the simulator exited (code ${p.exitCode}, signal ${p.signalCode}); its output: ${join(rig.work, 'sim-out.log')}`, () => rig.simTail());
    }, 1_000));
    await injector.run(schedule, runStart, () => simDead);
    stopped = true;
    await workRun;
    // Let the cars drive off and the last visits end.
    await until(() => !work.cars.carBusy && !work.citizen.busy, 120_000, 'the workload to finish').catch(() => null);
    workDone = true;
    out(`chaos: schedule done after ${((Date.now() - runStart) / 60_000).toFixed(1)} min; settling`);
    let checked = false;
    await Promise.race([Promise.all(pendingChecks).then(() => { checked = true; }), until(() => simDead || checked, 600_000, 'the recovery checks').catch(() => null)]);
    checked = true;
    let carsChanged = 0;
    if (!simDead) {
      // Settle: the pole online, every command answered (ops re-sends), the outbox drained.
      await until(() => ledger.online && [...ops.commands.values()].every((c) => c.answeredAt !== null), 120_000, 'every command answered').catch(() => null);
      // Drops are reported once a minute (SP_OUTBOX_DROPPED): wait for the last report.
      await until(() => unexplainedGaps(ledger) === 0, 75_000, 'the last drop report').catch(() => null);
      await checks.screenValid('at the end');
      checkCommandsAtEnd(checks, ops, ledger);
      await checkNoticesAtEnd(checks, ops, ledger, work.notices.pushed);
      await sleep(3_000);
      carsChanged = checkChargingAtEnd(checks, ledger, work.cars.cycles).merged;
      await rig.stopRuntime();
      await sleep(1_000);
      probe.poll();
      checkFeedbackAtEnd(checks, ledger, dbFile(rig.disk.dir));
      checkOutboxAtEnd(checks, ledger);
    }
    const ranMs = Date.now() - runStart;
    checkMemoryAtEnd(checks, probe.samples, ranMs);
    checks.process_();
    log.save(join(rig.work, 'events.jsonl'));

    const faultsByKind: Record<string, number> = {};
    for (const f of injector.outcomes) faultsByKind[f.fault.kind] = (faultsByKind[f.fault.kind] ?? 0) + 1;
    const rssT = trend(probe.samples, 'rssMiB');
    const slope = (k: 'heapUsedMiB' | 'externalMiB') => { const t = trend(probe.samples, k); return t ? +t.slopePerHour.toFixed(2) : null; };
    const lagT = trend(probe.samples, 'lagP99Ms');
    const rss = probe.samples.map((s) => s.rssMiB);
    const summary: ChaosSummary = {
      seed: o.seed, minutes: o.minutes, ranMs, at: new Date(runStart).toISOString(),
      faults: injector.outcomes.length, faultsByKind, faultErrors: injector.outcomes.filter((f) => f.error).length, maxOverlap,
      invariants: inv.all.map((i) => ({ name: i.name, promise: i.promise, checks: i.checks, violations: i.violations.length })),
      checks: inv.checks(), violations: violations.map((v) => ({ invariant: v.invariant, message: v.message, t: v.at - t0 })),
      workload: { ...work.counts, commands: ops.commands.size, commandResends: [...ops.commands.values()].reduce((s, c) => s + c.resends, 0), citizenMessages: work.citizen.submitted, citizenAbandoned: work.citizen.abandoned, cars: work.cars.cycles.length, carsPaid: work.cars.cycles.filter((cy) => cy.plugIn !== null).length, carsChangedUnseen: carsChanged, phones: work.cars.phones, upRecords: ledger.records, upDuplicates: ledger.duplicates, runtimeRestarts: rig.exits.length, maxOutboxDepth: ledger.maxOutboxDepth },
      recovery: { n: checks.recoveryMs.length, p50s: +(pct(checks.recoveryMs, 50) / 1000).toFixed(1), p95s: +(pct(checks.recoveryMs, 95) / 1000).toFixed(1), maxs: +(Math.max(0, ...checks.recoveryMs) / 1000).toFixed(1) },
      rss: { min: rss.length ? Math.min(...rss) : 0, max: rss.length ? Math.max(...rss) : 0, slopePerHour: rssT ? +rssT.slopePerHour.toFixed(2) : null, heapUsedSlopePerHour: slope('heapUsedMiB'), externalSlopePerHour: slope('externalMiB') },
      lag: { p99Max: Math.max(0, ...probe.samples.map((s) => s.lagP99Ms)), slopePerHour: lagT ? +lagT.slopePerHour.toFixed(2) : null },
      unavailable, loadStart,
    };
    const name = o.name ?? 'chaos';
    const files = writeReport(summary, probe.samples, injector.outcomes.map((f) => ({ t: f.startedAt - runStart, end: (f.endedAt ?? Date.now()) - runStart, kind: f.fault.kind })), name, o.resultsDir);
    if (o.writeDoc) writeHeadline(summary, files.png);
    const line = `${headline(summary)}`;
    out(line);
    return { summary, violations, line, files };
  } finally {
    stopped = true;
    for (const t of timers) clearInterval(t);
    injector.clearTimers();
    await ops.close().catch(() => null);
    await rig.stop().catch(() => null);
  }
}

async function until(f: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}
