import { defineConfig } from 'vitest/config';

// `npm run test:deploy`: the package in a clean Debian root (debootstrap, dpkg --root) and under a
// booted systemd (systemd-nspawn -b). Opt-in: needs root, a Debian mirror, minutes the first time
// (the roots are cached in /var/tmp/smartpole-deploy). Run `npm run package` first.
export default defineConfig({
  test: {
    include: ['test/deploy/**/*.deploy-test.ts'],
    testTimeout: 600_000,
    hookTimeout: 3_600_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['default'],
  },
});
