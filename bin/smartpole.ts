#!/usr/bin/env -S node --max-semi-space-size=4 --max-old-space-size=128
/**
 * The `smartpole` command: dispatches to run | sim | ops | doctor | devices | provision (docs/architecture.md §Layers;
 * docs/simulator.md §Flags; docs/deployment.md).
 * The shebang sizes V8 for a pole, not a 24 GB workstation: a 4 MB young generation and a 128 MB
 * old generation (live heap is ~35 MB). V8 otherwise lets garbage — including the renderer's
 * 768 KB frame buffers — pile up for hundreds of MB before collecting (docs/screen.md §Memory).
 * Built into one file, dist/smartpole.js (scripts/bundle.ts); started as `node dist/smartpole.js`,
 * pass the same flags (or set them in NODE_OPTIONS).
 */
import { softwareVersion } from '../runtime/version.js';

const USAGE = `usage: smartpole <command>
  sim [flags]            the whole pole on this machine (simulated hardware, broker, viewer)
  run --config FILE      the runtime on real hardware
  ops <command> …        city operations: keys, notices, commands, fleet
  console-hash [--config FILE]   make the technician console's PIN hash (reads the PIN without echo)
  doctor --config FILE [--json]  preflight before starting the service (exit 0 = safe to start)
  devices [--config FILE]        serial devices, their stable names and the config entry using each
  provision --pole-id ID …       write a pole's config and credentials (docs/deployment.md)
  version
Run \`smartpole <command> --help\` for a command's flags.`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'sim': return (await import('../simulator/cli.js')).simMain(rest);
    case 'run': return (await import('../runtime/main.js')).runMain(rest);
    case 'ops': return (await import('../ops/cli.js')).opsMain(rest);
    case 'console-hash': return (await import('../runtime/console/hash-cli.js')).consoleHashMain(rest);
    case 'doctor': return (await import('../runtime/doctor/cli.js')).doctorMain(rest);
    case 'devices': return (await import('../runtime/deploy/devices-cli.js')).devicesMain(rest);
    case 'provision': return (await import('../runtime/deploy/provision-cli.js')).provisionMain(rest);
    case 'version': case '--version': case '-v': console.log(softwareVersion()); return 0;
    case undefined: case 'help': case '--help': case '-h': console.log(USAGE); return cmd ? 0 : 2;
    default: console.error(`smartpole: unknown command "${cmd}"\n${USAGE}`); return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Everything is closed by now; if a stray handle keeps the loop alive, do not hang the shell.
    setTimeout(() => process.exit(code), 3000).unref();
  },
  (e: Error) => { console.error(`smartpole: ${e.stack ?? e.message}`); process.exitCode = 1; },
);
