/**
 * Writes the generated part of docs/performance.md from the last full run of each bench
 * (bench/results/<name>.json): per bench the date, the machine, the load at start and end, and every
 * figure as the bench printed it. The prose around it is written by hand; only the part between the
 * markers is replaced.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../runtime/version.js';
import { resultsDir } from './report.js';

const BEGIN = '<!-- figures:begin (npm run bench -- --report) -->';
const END = '<!-- figures:end -->';

interface Saved {
  name: string;
  size?: string;
  at: string;
  machine: Record<string, string | number>;
  load?: { start: number[]; end: number[] };
  lines?: { label: string; text: string; target?: string }[];
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderFigures(results: Saved[]): string {
  const out: string[] = [];
  for (const r of results.sort((a, b) => a.name.localeCompare(b.name))) {
    const m = r.machine;
    const load = r.load ? `load ${r.load.start[0]} → ${r.load.end[0]}` : 'load not recorded';
    out.push(`### ${r.name}`, '', `${r.at.slice(0, 16).replace('T', ' ')} UTC · ${m.cpu} × ${m.cores} cores, ${m.memGiB} GiB, Node ${m.node} · ${load}`, '');
    out.push('| figure | measured | target |', '|---|---|---|');
    for (const l of r.lines ?? []) out.push(`| ${cell(l.label)} | ${cell(l.text)} | ${cell(l.target ?? '')} |`);
    out.push('');
  }
  return out.join('\n');
}

/** Replaces the generated part of docs/performance.md; returns its path. */
export function writePerformanceDoc(): string {
  const dir = resultsDir();
  const results: Saved[] = existsSync(dir)
    ? readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.quick.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Saved)
    : [];
  const file = join(packageRoot(), 'docs', 'performance.md');
  const doc = readFileSync(file, 'utf8');
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${file}: the markers ${BEGIN} … ${END} are missing`);
  const body = results.length ? renderFigures(results) : '(no full run in bench/results/ yet)\n';
  writeFileSync(file, `${doc.slice(0, a + BEGIN.length)}\n\n${body}\n${doc.slice(b)}`);
  return file;
}
