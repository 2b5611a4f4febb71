/**
 * Wall-clock jumps for the runtime process (docs/chaos.md §Clock jumps): libfaketime (Debian
 * `faketime`) preloaded into `smartpole run`, reading its offset from a file the harness rewrites.
 * Only the wall clock moves (`FAKETIME_DONT_FAKE_MONOTONIC`): timers and the monotonic clock run
 * on, exactly as when NTP or an operator sets a real pole's clock — which is what the runtime's
 * clock watch (runtime/clock-watch.ts) is built to notice.
 */
import { existsSync, writeFileSync } from 'node:fs';

const LIB_DIRS = ['/usr/lib/x86_64-linux-gnu/faketime', '/usr/lib/aarch64-linux-gnu/faketime', '/usr/lib/faketime'];

export function libfaketime(): string {
  for (const d of LIB_DIRS) if (existsSync(`${d}/libfaketime.so.1`)) return `${d}/libfaketime.so.1`;
  throw new Error('libfaketime is missing: apt-get install faketime (scripts/debian-packages.txt)');
}

export class ClockShift {
  offsetSec = 0;
  constructor(private readonly file: string) {
    writeFileSync(file, '+0\n');
  }

  env(): Record<string, string> {
    return {
      LD_PRELOAD: libfaketime(),
      FAKETIME_TIMESTAMP_FILE: this.file,
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
      FAKETIME_CACHE_DURATION: '1',
      FAKETIME_DONT_RESET: '1',
    };
  }

  /** Sets the runtime's wall clock to true time + `offsetSec` (seen within a second). */
  set(offsetSec: number): void {
    this.offsetSec = offsetSec;
    writeFileSync(this.file, `${offsetSec >= 0 ? '+' : ''}${offsetSec}\n`);
  }
}
