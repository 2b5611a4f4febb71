/**
 * Releases side by side (docs/updates.md §Releases): `<update.dir>/releases/<release>/` holds what the
 * package installs under /usr/lib/smartpole (the bundle, package.json, the native modules), unpacked
 * with Debian's `dpkg-deb` into a staging directory and renamed into place (atomic). The switch
 * itself is the boot state plus the `current` symlink (runtime/update/boot-state.ts).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { releaseDir } from './boot-state.js';

const run = promisify(execFile);

export class PackageError extends Error {}

/** Package, Version and Architecture of a .deb (dpkg-deb -f). */
export async function debFields(deb: string): Promise<{ name: string; version: string; arch: string }> {
  const { stdout } = await run('dpkg-deb', ['-f', deb, 'Package', 'Version', 'Architecture'], { maxBuffer: 1 << 16 });
  const f = Object.fromEntries(stdout.split('\n').filter(Boolean).map((l) => l.split(/:\s*/, 2) as [string, string]));
  return { name: f.Package ?? '', version: f.Version ?? '', arch: f.Architecture ?? '' };
}

/** Unpacks `deb` as release `release` (idempotent: an existing complete release is kept). */
export async function installRelease(dir: string, deb: string, expect: { release: string; arch: string }): Promise<string> {
  const target = releaseDir(dir, expect.release);
  if (existsSync(join(target, 'dist', 'smartpole.js'))) return target;
  let fields;
  try {
    fields = await debFields(deb);
  } catch (e) {
    throw new PackageError(`not a Debian package: ${(e as Error).message.split('\n')[0]}`);
  }
  if (fields.name !== 'smartpole' || fields.version !== expect.release || fields.arch !== expect.arch) {
    throw new PackageError(`package is ${fields.name} ${fields.version} (${fields.arch}), the manifest says smartpole ${expect.release} (${expect.arch})`);
  }
  const releases = join(dir, 'releases');
  mkdirSync(releases, { recursive: true });
  const staging = join(releases, `.staging-${expect.release}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    await run('dpkg-deb', ['-x', deb, staging], { maxBuffer: 1 << 20 });
    const lib = join(staging, 'usr', 'lib', 'smartpole');
    if (!existsSync(join(lib, 'dist', 'smartpole.js'))) throw new PackageError('the package holds no usr/lib/smartpole/dist/smartpole.js');
    rmSync(target, { recursive: true, force: true });
    renameSync(lib, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return target;
}

/** Removes every release but `keep` (the running one and the one kept for a rollback). */
export function pruneReleases(dir: string, keep: readonly string[]): string[] {
  const releases = join(dir, 'releases');
  if (!existsSync(releases)) return [];
  const gone: string[] = [];
  for (const r of readdirSync(releases)) {
    if (keep.includes(r)) continue;
    rmSync(join(releases, r), { recursive: true, force: true });
    gone.push(r);
  }
  return gone;
}

/** dpkg's name for this machine's architecture. */
export function debianArch(arch: string = process.arch): string {
  return ({ x64: 'amd64', arm64: 'arm64', arm: 'armhf', ia32: 'i386', riscv64: 'riscv64', ppc64: 'ppc64el', s390x: 's390x' } as Record<string, string>)[arch] ?? arch;
}
