/**
 * The chaos run in CI (docs/chaos.md §In the test suite): a whole pole — mosquitto, `smartpole sim
 * --hardware-only`, `smartpole run` as its own process — under a short fixed-seed schedule of
 * overlapping faults (about 90 s of faults, then the settle and the end checks) while the workload
 * runs. Every invariant must hold; a violation prints the seed and the event log before it.
 * The hour-long run is `npm run chaos` (docs/performance.md §Chaos).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChaos } from '../../chaos/run.js';
import { requireBuild } from '../helpers/sim-process.js';
import { requireTool } from '../helpers/tools.js';

describe('chaos: overlapping faults on a whole pole', () => {
  it('keeps every promise through a short fixed-seed schedule', async () => {
    requireBuild();
    for (const t of ['mosquitto', 'socat', 'faketime']) requireTool(t);
    const lines: string[] = [];
    const r = await runChaos({ minutes: 1.5, seed: 20261207, name: 'chaos-ci', resultsDir: mkdtempSync(join(tmpdir(), 'sp-chaos-ci-')), meanGapMs: 4_000, out: (l) => { lines.push(l); console.log(l); } });
    expect(r.violations.map((v) => `${v.invariant}: ${v.message}`), lines.join('\n')).toEqual([]);
    expect(r.line).toMatch(/faults injected .* invariant checks, 0 violations$/);
    expect(r.summary.faults).toBeGreaterThanOrEqual(10);
    // Each invariant was exercised (memory needs a longer run for a trend).
    for (const i of r.summary.invariants.filter((x) => !['memory', 'process'].includes(x.name))) expect(i.checks, i.name).toBeGreaterThan(0);
    expect(r.summary.workload.commands).toBeGreaterThan(10);
  }, 420_000);
});
