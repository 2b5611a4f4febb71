/**
 * Reads the runtime's RSS and event-loop samples (chaos/loop-probe.ts writes them), stamped with
 * the harness's clock (the runtime's wall clock is the one that jumps), and fits a trend.
 */
import { existsSync, readFileSync } from 'node:fs';

export interface ProbeSample { t: number; pid: number; rssMiB: number; lagP99Ms: number; lagMaxMs: number }

export class ProbeReader {
  readonly samples: ProbeSample[] = [];
  private offset = 0;
  constructor(private readonly file: string, private readonly t0: number) {}

  poll(): void {
    if (!existsSync(this.file)) return;
    const text = readFileSync(this.file, 'utf8');
    const fresh = text.slice(this.offset);
    const end = fresh.lastIndexOf('\n');
    if (end < 0) return;
    this.offset += end + 1;
    for (const line of fresh.slice(0, end).split('\n')) {
      try {
        const s = JSON.parse(line) as Omit<ProbeSample, 't'>;
        this.samples.push({ ...s, t: Date.now() - this.t0 });
      } catch { /* a torn line from a killed runtime */ }
    }
  }
}

/**
 * Least-squares slope per hour of `key`, over samples past each process's first minute (start-up
 * fills caches; a restart begins again), or null with too few samples.
 */
export function trend(samples: readonly ProbeSample[], key: 'rssMiB' | 'lagP99Ms'): { slopePerHour: number; mean: number; n: number } | null {
  const firstOf = new Map<number, number>();
  for (const s of samples) if (!firstOf.has(s.pid)) firstOf.set(s.pid, s.t);
  const xs = samples.filter((s) => s.t - firstOf.get(s.pid)! >= 60_000);
  if (xs.length < 6) return null;
  const n = xs.length;
  const mx = xs.reduce((a, s) => a + s.t, 0) / n;
  const my = xs.reduce((a, s) => a + s[key], 0) / n;
  let num = 0;
  let den = 0;
  for (const s of xs) { num += (s.t - mx) * (s[key] - my); den += (s.t - mx) ** 2; }
  return { slopePerHour: den ? (num / den) * 3_600_000 : 0, mean: my, n };
}
