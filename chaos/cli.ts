/**
 * `npm run chaos -- [--minutes N] [--seed S]` (docs/chaos.md): a whole pole under an hour (by
 * default) of random overlapping faults while a workload runs, every promise checked. Exits 1 when
 * any invariant was violated.
 */
import { runChaos } from './run.js';

function parse(argv: string[]): { minutes: number; seed: number; name?: string } {
  const o: { minutes: number; seed: number; name?: string } = { minutes: 60, seed: Date.now() % 1_000_000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--minutes' && v) { o.minutes = Number(v); i++; }
    else if (a === '--seed' && v) { o.seed = Number(v); i++; }
    else if (a === '--name' && v) { o.name = v; i++; }
    else if (a === '--help' || a === '-h') { console.log('npm run chaos -- [--minutes N (60)] [--seed S] [--name REPORT]'); process.exit(0); }
    else { console.error(`unknown argument ${a}`); process.exit(2); }
  }
  if (!(o.minutes > 0) || !Number.isInteger(o.seed)) { console.error('--minutes must be > 0 and --seed an integer'); process.exit(2); }
  return o;
}

const o = parse(process.argv.slice(2));
const r = await runChaos({ ...o, writeDoc: o.minutes >= 10 });
console.log(`report: ${r.files.json}, ${r.files.png}`);
process.exit(r.violations.length ? 1 : 0);
