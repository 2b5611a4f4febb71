/**
 * The seeded fault schedule (docs/chaos.md §Schedule): fault arrivals at random gaps, each a kind
 * from the catalogue with its own duration and arguments, overlapping across devices. One device
 * carries at most one fault at a time and rests `settleMs` after it, so each fault's recovery can
 * be checked; faults on different devices overlap freely. The same seed gives the same schedule.
 */
import { seededRandom } from '../lib/seeded-random.js';
import { FAULT_KINDS, type FaultKind } from './fault-kinds.js';

export interface ScheduledFault {
  /** Sequence number in the schedule (1…). */
  n: number;
  kind: string;
  device: string;
  /** Start, ms after the run began. */
  at: number;
  /** How long the fault lasts (0: a single event such as a reset). */
  durationMs: number;
  args: Record<string, unknown>;
}

export interface ScheduleOptions {
  seed: number;
  durationMs: number;
  /** Mean gap between fault starts. */
  meanGapMs: number;
  /** Quiet time a device gets after its fault ends, before its next one. */
  settleMs: number;
  /** Kinds left out (e.g. `disk.fill` where no tmpfs can be mounted). */
  exclude?: ReadonlySet<string>;
  /** No fault starts in the first `warmupMs` nor ends after `durationMs`. */
  warmupMs?: number;
}

export function buildSchedule(o: ScheduleOptions, kinds: readonly FaultKind[] = FAULT_KINDS): ScheduledFault[] {
  const rnd = seededRandom(o.seed);
  const pool = kinds.filter((k) => !o.exclude?.has(k.kind));
  const busyUntil = new Map<string, number>();
  const out: ScheduledFault[] = [];
  let t = o.warmupMs ?? 20_000;
  while (true) {
    // Exponential gaps (a Poisson process): bursts and lulls, as real faults come.
    t += Math.max(200, Math.round(-Math.log(1 - rnd()) * o.meanGapMs));
    if (t >= o.durationMs) break;
    for (let attempt = 0; attempt < 6; attempt++) {
      const k = weighted(pool, rnd);
      if ((busyUntil.get(k.device) ?? 0) > t) continue;
      const durationMs = k.maxMs === 0 ? 0 : Math.round(k.minMs + rnd() * (k.maxMs - k.minMs));
      if (t + durationMs > o.durationMs) continue;
      out.push({ n: out.length + 1, kind: k.kind, device: k.device, at: t, durationMs, args: k.args(rnd) });
      busyUntil.set(k.device, t + durationMs + o.settleMs + (k.recoverMs ?? 0));
      break;
    }
  }
  return out;
}

function weighted(pool: readonly FaultKind[], rnd: () => number): FaultKind {
  const total = pool.reduce((s, k) => s + k.weight, 0);
  let x = rnd() * total;
  for (const k of pool) {
    x -= k.weight;
    if (x < 0) return k;
  }
  return pool.at(-1)!;
}
