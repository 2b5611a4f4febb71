/**
 * A small disk for the runtime's database (docs/chaos.md §Nearly full disk): a tmpfs of a few MiB
 * mounted for the run, and a filler file that takes all but a little of it. Mounting needs root
 * (CAP_SYS_ADMIN); without it the data dir is a plain directory and `available` is false, so the
 * schedule leaves `disk.fill` out and the report says so.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class SmallDisk {
  available = false;
  private filled = false;
  constructor(readonly dir: string, private readonly sizeMiB: number) {}

  mount(): void {
    mkdirSync(this.dir, { recursive: true });
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${this.sizeMiB}m,mode=0700`, 'tmpfs', this.dir], { encoding: 'utf8' });
    this.available = r.status === 0;
  }

  unmount(): void {
    if (this.available) spawnSync('umount', ['-l', this.dir]);
    this.available = false;
  }

  freeKiB(): number {
    const s = statfsSync(this.dir);
    return Math.floor((s.bavail * s.bsize) / 1024);
  }

  /** Fills the disk until `leaveKiB` remain. */
  fill(leaveKiB: number): void {
    if (!this.available) return;
    const file = join(this.dir, 'chaos-filler');
    const fd = openSync(file, 'a');
    const chunk = Buffer.alloc(256 * 1024);
    try {
      let free = this.freeKiB();
      while (free > leaveKiB) {
        const n = Math.min(chunk.length, (free - leaveKiB) * 1024);
        try { writeSync(fd, chunk, 0, n); } catch { break; }
        free = this.freeKiB();
      }
    } finally {
      closeSync(fd);
    }
    this.filled = true;
  }

  free(): void {
    if (!this.filled) return;
    rmSync(join(this.dir, 'chaos-filler'), { force: true });
    this.filled = false;
  }
}
