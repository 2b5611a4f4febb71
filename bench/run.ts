/**
 * `npm run bench [-- <name> …] [--quick | --smoke] [--report] [--mqtt-url URL] [--poles N] [--minutes N]`:
 * runs the benchmarks and prints figures with the machine and its load (docs/performance.md).
 * One bench failing does not stop the others: every figure got is printed, the failed benches are
 * listed with their error at the end, and the exit code is non-zero. `--smoke` runs every bench's
 * whole path at its smallest sample (the README's test command runs it: a bench that no longer runs
 * fails CI; its figures are never compared to targets). `--report` writes docs/performance.md's
 * figure table from the last full run of each bench (bench/results/*.json).
 */
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { printMachine } from './lib/machine.js';
import { Report, type RunSize } from './lib/report.js';
import { writePerformanceDoc } from './lib/performance-doc.js';
import type { SampleSize } from './lib/sample.js';
import { BENCHES } from './benches.js';

export interface BenchOptions extends SampleSize {
  mqttUrl?: string;
  /** bench/fleet: number of poles */
  poles?: number;
  /** bench/fleet: databases on disk */
  fleetDisk?: boolean;
  /** bench/fleet: the same fleet on mosquitto, then on a three-node NATS cluster with a node killed */
  cluster?: boolean;
  /** bench/screen: minutes of random touching for the RSS figure */
  minutes?: number;
}

const USAGE = `usage: npm run bench -- [bench …] [--quick | --smoke] [--report] [--mqtt-url URL] [--poles N] [--fleet-disk] [--cluster] [--minutes N]
benches: ${Object.keys(BENCHES).join(', ')} (default: all)`;
let parsed;
try {
  parsed = parseArgs({
    options: {
      quick: { type: 'boolean' }, smoke: { type: 'boolean' }, report: { type: 'boolean' }, 'mqtt-url': { type: 'string' }, poles: { type: 'string' },
      'fleet-disk': { type: 'boolean' }, cluster: { type: 'boolean' }, minutes: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
} catch (e) {
  console.error(`${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}
const { values, positionals } = parsed;
if (values.help) { console.log(USAGE); process.exit(0); }
if (values.quick && values.smoke) { console.error(`--quick and --smoke exclude each other\n${USAGE}`); process.exit(2); }
const unknown = positionals.filter((n) => !BENCHES[n]);
if (unknown.length) { console.error(`unknown bench ${unknown.map((n) => `"${n}"`).join(', ')} (have: ${Object.keys(BENCHES).join(', ')})`); process.exit(2); }
if (values.report && positionals.length === 0 && !values.quick && !values.smoke) {
  // `--report` alone: write the table from the results already on disk.
  console.log(`wrote ${writePerformanceDoc()}`);
  process.exit(0);
}

const size: RunSize = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
Report.configure(size);
const names = positionals.length ? positionals : Object.keys(BENCHES);
printMachine();
console.log(`run: ${size}, ${names.length} bench${names.length === 1 ? '' : 'es'}, load average at start ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const opts: BenchOptions = {
  mqttUrl: values['mqtt-url'], quick: values.quick, smoke: values.smoke, poles: values.poles ? Number(values.poles) : undefined,
  fleetDisk: values['fleet-disk'], cluster: values.cluster, minutes: values.minutes ? Number(values.minutes) : undefined,
};
const failed: { name: string; error: string }[] = [];
for (const n of names) {
  const before = Report.all().length;
  const t0 = performance.now();
  try {
    await BENCHES[n]!(opts);
    const mine = Report.all().slice(before);
    const empty = mine.flatMap((r) => r.emptyFigures().map((k) => `${r.name}.${k}`));
    if (mine.length === 0 || mine.every((r) => r.figureCount() === 0)) failed.push({ name: n, error: 'produced no figure' });
    else if (empty.length) failed.push({ name: n, error: `measured nothing for ${empty.join(', ')}` });
  } catch (e) {
    failed.push({ name: n, error: (e as Error).stack ?? String(e) });
    console.log(`  FAILED: ${(e as Error).message}`);
  }
  console.log(`  (${n}: ${((performance.now() - t0) / 1000).toFixed(1)} s, load average ${loadavg()[0]!.toFixed(2)})`);
}
if (values.report && size === 'full') console.log(`wrote ${writePerformanceDoc()}`);
console.log(`\nbenches: ${names.length - failed.length} ran, ${failed.length} failed${failed.length ? `: ${failed.map((f) => f.name).join(', ')}` : ''}`);
for (const f of failed) console.log(`\n### ${f.name} failed\n${f.error}`);
process.exit(failed.length ? 1 : 0);
