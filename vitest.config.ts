import { defineConfig } from 'vitest/config';

// Two projects. `unit`: tests next to the code they test (`*.test.ts`) and the docs checks in
// test/*.test.ts — in-process, no outside programs, the whole project in well under a minute
// (`npm run test:unit`). `integration`: test/integration and test/e2e start real processes
// (socat, mosquitto, nats-server, chromium) and get the longer hook timeouts; test/security (the
// adversarial suite, partly against the sim and mosquitto) and test/fuzz (2 000 cases per parser;
// `npm run fuzz` runs 100 000) run there too.
// `npm test` runs both.
const UNIT = ['{bin,lib,runtime,device,protocols,display,simulator,ops,chaos}/**/*.test.ts', 'test/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two test files at a time, one per core: the integration project takes ~7 min instead of ~12
    // (docs/development.md §Tests).
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      // Unit test files share their worker's module cache (no per-file isolation): importing the
      // runtime again for each of ~85 files was two thirds of the project's CPU time. Each test
      // restores what it changes (fake timers, listeners) in its own hooks.
      { extends: true, test: { name: 'unit', include: UNIT, isolate: false } },
      { extends: true, test: { name: 'integration', include: ['test/{integration,e2e,security,fuzz}/**/*.test.ts'] } },
    ],
  },
});
