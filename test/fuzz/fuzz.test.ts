/**
 * Runs every fuzz target (test/fuzz/targets.ts). The normal suite: 2 000 cases each. `npm run fuzz`:
 * FUZZ_RUNS=100000 (or more), printing cases and time per parser.
 */
import { describe, expect, it } from 'vitest';
import { TARGETS } from './targets.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);

describe(`fuzzing every parser of outside input (${RUNS} cases each)`, () => {
  for (const t of TARGETS) {
    it(t.name, () => {
      const started = performance.now();
      const r = t.run(RUNS, process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined);
      const ms = performance.now() - started;
      if (process.env.FUZZ_RUNS) console.log(`fuzz: ${t.name}: ${r.numRuns} cases in ${(ms / 1000).toFixed(1)} s (seed ${r.seed})`);
      expect(r.failed, r.failed ? `counterexample ${JSON.stringify(r.counterexample)?.slice(0, 400)} (seed ${r.seed}, path ${r.path}): ${String(r.error)}` : '').toBe(false);
      expect(r.numRuns).toBe(RUNS);
    }, RUNS > 10_000 ? 3_600_000 : 60_000);
  }
});
