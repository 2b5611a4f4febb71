/** The last N latencies of a unit (ms), summarised for health and the console. Bounded. */
export class LatencyWindow {
  private readonly samples: number[] = [];
  private next = 0;

  constructor(private readonly size: number) {}

  add(ms: number): void {
    if (this.samples.length < this.size) this.samples.push(ms);
    else this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.size;
  }

  summary(): { p50: number | null; p99: number | null; max: number | null } {
    if (this.samples.length === 0) return { p50: null, p99: null, max: null };
    const s = [...this.samples].sort((a, b) => a - b);
    const q = (p: number) => Math.round(s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]! * 10) / 10;
    return { p50: q(0.5), p99: q(0.99), max: Math.round(s.at(-1)! * 10) / 10 };
  }
}
