/** Summary statistics for bench samples (ms unless stated). */
export interface Summary { n: number; min: number; median: number; p90: number; p99: number; max: number; mean: number }

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  return {
    n: s.length, min: s[0] ?? NaN, median: quantile(s, 0.5), p90: quantile(s, 0.9), p99: quantile(s, 0.99), max: s.at(-1) ?? NaN,
    mean: s.reduce((a, b) => a + b, 0) / (s.length || 1),
  };
}

export function fmt(s: Summary, unit = 'ms', digits = 1): string {
  const f = (v: number) => v.toFixed(digits);
  return `median ${f(s.median)} ${unit}, p90 ${f(s.p90)}, p99 ${f(s.p99)}, max ${f(s.max)} (n=${s.n})`;
}
