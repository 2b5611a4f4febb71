/**
 * Reads the runtime's RSS and event-loop samples (chaos/loop-probe.ts writes them), stamped with
 * the harness's clock (the runtime's wall clock is the one that jumps), and fits a trend.
 */
import { existsSync, readFileSync } from 'node:fs';

export interface ProbeSample { t: number; pid: number; rssMiB: number; heapUsedMiB?: number; externalMiB?: number; lagP99Ms: number; lagMaxMs: number }

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
 * The within-process least-squares slope per hour of `key`: each runtime process (a kill -9 starts
 * a new one) that lived at least `minLifeMs`, from `warmMs` after its start (start-up fills caches
 * and sizes the V8 heap), each centred on its own mean and pooled. Null when no process lived long
 * enough to tell.
 */
export function trend(samples: readonly ProbeSample[], key: 'rssMiB' | 'heapUsedMiB' | 'externalMiB' | 'lagP99Ms', warmMs = 180_000, minLifeMs = 300_000): { slopePerHour: number; mean: number; n: number; processes: number } | null {
  const byPid = new Map<number, ProbeSample[]>();
  for (const s of samples) byPid.set(s.pid, [...(byPid.get(s.pid) ?? []), s]);
  let num = 0;
  let den = 0;
  let sum = 0;
  let n = 0;
  let processes = 0;
  for (const list of byPid.values()) {
    const start = list[0]!.t;
    if (list.at(-1)!.t - start < minLifeMs) continue;
    const xs = list.filter((s) => s.t - start >= warmMs);
    if (xs.length < 6) continue;
    processes++;
    const mx = xs.reduce((a, s) => a + s.t, 0) / xs.length;
    const my = xs.reduce((a, s) => a + (s[key] ?? 0), 0) / xs.length;
    for (const s of xs) { const y = s[key] ?? 0; num += (s.t - mx) * (y - my); den += (s.t - mx) ** 2; sum += y; n++; }
  }
  if (!processes || !den) return null;
  return { slopePerHour: (num / den) * 3_600_000, mean: sum / n, n, processes };
}
