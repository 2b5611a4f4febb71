/**
 * The chaos run's report (docs/chaos.md §Report): bench/results/chaos.json (faults per kind,
 * invariants with their counters, violations with their minimal logs, workload counts, recovery
 * times, machine and load), bench/results/chaos.png (the runtime's RSS and event-loop delay over
 * the run, faults marked), and the headline in docs/performance.md between its chaos markers.
 */
import { createCanvas } from 'canvas';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { machine } from '../bench/lib/machine.js';
import { resultsDir } from '../bench/lib/report.js';
import { packageRoot } from '../runtime/version.js';
import type { ProbeSample } from './probe-reader.js';

export interface ChaosSummary {
  seed: number;
  minutes: number;
  ranMs: number;
  at: string;
  faults: number;
  faultsByKind: Record<string, number>;
  faultErrors: number;
  maxOverlap: number;
  invariants: { name: string; promise: string; checks: number; violations: number }[];
  checks: number;
  violations: { invariant: string; message: string; t: number }[];
  workload: Record<string, number>;
  recovery: { n: number; p50s: number; p95s: number; maxs: number };
  rss: { min: number; max: number; slopePerHour: number | null; heapUsedSlopePerHour?: number | null; externalSlopePerHour?: number | null };
  lag: { p99Max: number; slopePerHour: number | null };
  unavailable: string[];
  loadStart: number[];
}

export function headline(s: ChaosSummary): string {
  return `chaos seed ${s.seed}: ${(s.ranMs / 60_000).toFixed(1)} min, ${s.faults} faults injected (up to ${s.maxOverlap} at once), ${s.checks} invariant checks, ${s.violations.length} violations`;
}

export function writeReport(s: ChaosSummary, samples: readonly ProbeSample[], faultTimes: readonly { t: number; end: number; kind: string }[], name: string, dir = resultsDir()): { json: string; png: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, `${name}.json`);
  writeFileSync(json, JSON.stringify({ name, ...s, machine: machine(), load: { start: s.loadStart, end: loadavg().map((x) => +x.toFixed(2)) }, samples: samples.map((p) => [p.t, p.pid, p.rssMiB, p.lagP99Ms, p.heapUsedMiB ?? null, p.externalMiB ?? null]) }, null, 2) + '\n');
  const png = join(dir, `${name}.png`);
  writeFileSync(png, plot(samples, faultTimes, s));
  return { json, png };
}

function plot(samples: readonly ProbeSample[], faults: readonly { t: number; end: number; kind: string }[], s: ChaosSummary): Buffer {
  const W = 1200, H = 560, L = 70, R = 70, T = 50, B = 50;
  const c = createCanvas(W, H);
  const g = c.getContext('2d');
  g.fillStyle = '#fff'; g.fillRect(0, 0, W, H);
  const tMax = Math.max(s.ranMs, 1);
  const x = (t: number) => L + (t / tMax) * (W - L - R);
  // Faults as light bands.
  g.fillStyle = 'rgba(220,80,60,0.08)';
  for (const f of faults) g.fillRect(x(f.t), T, Math.max(1, x(f.end) - x(f.t)), H - T - B);
  const rssMax = Math.max(64, ...samples.map((p) => p.rssMiB)) * 1.1;
  const lagMax = Math.max(20, ...samples.map((p) => p.lagP99Ms)) * 1.1;
  const yR = (v: number) => H - B - (v / rssMax) * (H - T - B);
  const yL = (v: number) => H - B - (v / lagMax) * (H - T - B);
  const line = (colour: string, y: (p: ProbeSample) => number) => {
    g.strokeStyle = colour; g.lineWidth = 1.5; g.beginPath();
    let pid = -1;
    for (const p of samples) { if (p.pid !== pid) { g.moveTo(x(p.t), y(p)); pid = p.pid; } else g.lineTo(x(p.t), y(p)); }
    g.stroke();
  };
  line('#1f6fd1', (p) => yR(p.rssMiB));
  line('#2e9e5b', (p) => yR(p.heapUsedMiB ?? 0));
  line('#d9822b', (p) => yL(p.lagP99Ms));
  g.strokeStyle = '#333'; g.lineWidth = 1; g.strokeRect(L, T, W - L - R, H - T - B);
  g.fillStyle = '#222'; g.font = '15px sans-serif';
  g.fillText(headline(s), L, 28);
  g.font = '12px sans-serif';
  for (let i = 0; i <= 4; i++) {
    const v = (rssMax * i) / 4;
    g.fillStyle = '#1f6fd1'; g.fillText(`${v.toFixed(0)} MiB`, 8, yR(v) + 4);
    const w = (lagMax * i) / 4;
    g.fillStyle = '#d9822b'; g.fillText(`${w.toFixed(0)} ms`, W - R + 6, yL(w) + 4);
  }
  g.fillStyle = '#222';
  for (let m = 0; m <= tMax / 60_000; m += Math.max(1, Math.round(tMax / 60_000 / 12))) g.fillText(`${m} min`, x(m * 60_000) - 12, H - B + 18);
  g.fillText('blue: runtime RSS · green: its JS heap in use · orange: event-loop delay p99 per 5 s · shaded: faults (breaks in the lines: kill -9 and restart)', L, H - 12);
  return c.toBuffer('image/png');
}

const BEGIN = '<!-- chaos:begin (npm run chaos) -->';
const END = '<!-- chaos:end -->';

/**
 * Replaces the chaos headline in docs/performance.md (between its markers; added at the end if
 * missing), with the plot copied to docs/images/chaos.png (bench/results/ is not in git).
 */
export function writeHeadline(s: ChaosSummary, png: string): string {
  const file = join(packageRoot(), 'docs', 'performance.md');
  copyFileSync(png, join(packageRoot(), 'docs', 'images', 'chaos.png'));
  let doc = readFileSync(file, 'utf8');
  if (!doc.includes(BEGIN)) doc += `\n## Chaos\n\n${BEGIN}\n${END}\n`;
  const kinds = Object.entries(s.faultsByKind).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
  const body = [
    `${s.at.slice(0, 16).replace('T', ' ')} UTC, load ${s.loadStart[0]} at start: **${headline(s)}**.`, '',
    `Faults: ${kinds}.`, '',
    '| invariant | checks | violations |', '|---|---|---|',
    ...s.invariants.map((i) => `| ${i.name} — ${i.promise} | ${i.checks} | ${i.violations} |`), '',
    `Recovery after a fault ended: median ${s.recovery.p50s} s, p95 ${s.recovery.p95s} s, max ${s.recovery.maxs} s (${s.recovery.n} recoveries). ` +
    `Runtime RSS ${s.rss.min}–${s.rss.max} MiB (trend within a process ${s.rss.slopePerHour?.toFixed(1) ?? 'n/a'} MiB/h; its JS heap in use ` +
    `${s.rss.heapUsedSlopePerHour?.toFixed(1) ?? 'n/a'} MiB/h, external ${s.rss.externalSlopePerHour?.toFixed(1) ?? 'n/a'} MiB/h); event-loop delay p99 at most ${s.lag.p99Max} ms.`, '',
    '![The runtime\'s RSS, JS heap and event-loop delay under chaos, faults shaded](images/chaos.png)',
  ].join('\n');
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  writeFileSync(file, `${doc.slice(0, a + BEGIN.length)}\n${body}\n${doc.slice(b)}`);
  return file;
}
