/** Collects figures for one bench run: printed as they come and saved to bench/results/<name>.json. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machine } from './machine.js';
import { packageRoot } from '../../runtime/version.js';

export class Report {
  private readonly figures: Record<string, unknown> = {};
  constructor(private readonly name: string) {
    console.log(`\n## ${name}`);
  }

  /** Records a figure and prints `label: text`, with the target when one is set. */
  figure(key: string, label: string, value: unknown, text: string, target?: string): void {
    this.figures[key] = value;
    console.log(`  ${label}: ${text}${target ? `   [target ${target}]` : ''}`);
  }

  note(text: string): void {
    console.log(`  ${text}`);
  }

  save(): void {
    const dir = join(packageRoot(), 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${this.name}.json`), JSON.stringify({ name: this.name, at: new Date().toISOString(), machine: machine(), figures: this.figures }, null, 2) + '\n');
  }
}
