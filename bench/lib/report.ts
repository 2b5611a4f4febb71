/**
 * Collects figures for one bench run: printed as they come and saved with the machine, its load and
 * the date. Full runs go to bench/results/<name>.json (the only figures docs/performance.md quotes),
 * --quick runs to <name>.quick.json; --smoke runs are not saved (docs/performance.md §How the benches run).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { machine } from './machine.js';
import { packageRoot } from '../../runtime/version.js';

export type RunSize = 'full' | 'quick' | 'smoke';

let size: RunSize = 'full';
const reports: Report[] = [];

export function resultsDir(): string {
  return join(packageRoot(), 'bench', 'results');
}

export class Report {
  private readonly figures: Record<string, unknown> = {};
  private readonly lines: { key: string; label: string; text: string; target?: string }[] = [];
  private readonly startLoad = loadavg();
  private readonly startedAt = new Date();

  /** Set once by bench/run.ts before any bench starts. */
  static configure(s: RunSize): void {
    size = s;
  }

  /** Every report made in this process, in order (bench/run.ts checks their figures). */
  static all(): readonly Report[] {
    return reports;
  }

  constructor(readonly name: string) {
    reports.push(this);
    console.log(`\n## ${name}`);
  }

  /** Records a figure and prints `label: text`, with the target when one is set. */
  figure(key: string, label: string, value: unknown, text: string, target?: string): void {
    this.figures[key] = value;
    this.lines.push({ key, label, text, target });
    console.log(`  ${label}: ${text}${target ? `   [target ${target}]` : ''}`);
  }

  note(text: string): void {
    console.log(`  ${text}`);
  }

  /** Figure keys whose value is missing or not a finite number anywhere inside (a bench that measured nothing). */
  emptyFigures(): string[] {
    const bad = (v: unknown): boolean => {
      if (v === null || v === undefined) return true;
      if (typeof v === 'number') return !Number.isFinite(v);
      if (Array.isArray(v)) return v.length === 0;
      if (typeof v === 'object') {
        const o = v as Record<string, unknown>;
        // A summary of no samples (bench/lib/stats.ts) measured nothing.
        if (typeof o.n === 'number' && o.n === 0) return true;
        return Object.keys(o).length === 0;
      }
      return false;
    };
    return Object.entries(this.figures).filter(([, v]) => bad(v)).map(([k]) => k);
  }

  figureCount(): number {
    return Object.keys(this.figures).length;
  }

  save(): void {
    if (size === 'smoke') return;
    const dir = resultsDir();
    mkdirSync(dir, { recursive: true });
    const file = join(dir, size === 'quick' ? `${this.name}.quick.json` : `${this.name}.json`);
    const load = { start: this.startLoad.map((x) => +x.toFixed(2)), end: loadavg().map((x) => +x.toFixed(2)) };
    writeFileSync(file, JSON.stringify({ name: this.name, size, at: this.startedAt.toISOString(), machine: machine(), load, lines: this.lines, figures: this.figures }, null, 2) + '\n');
  }
}
