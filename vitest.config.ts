import { defineConfig } from 'vitest/config';

// Unit tests sit next to the code they test (`*.test.ts`); integration and
// end-to-end tests live in test/ and start real processes (socat, mosquitto,
// chromium), so they get longer timeouts.
export default defineConfig({
  test: {
    include: ['{bin,runtime,device,protocols,display,simulator,ops}/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
