/**
 * Clean Debian 12 roots for the deployment tests (npm run test:deploy): debootstrap once into a
 * cache (/var/tmp/smartpole-deploy), then a "prepared" root with Node.js 20 and the package's
 * dependencies installed by apt, then a fresh copy of it per test. Node.js 20 is not in Debian 12
 * (it has 18): the cache holds this machine's nodejs package re-packed with dpkg-repack.
 * Needs debootstrap, dpkg-repack, a reachable Debian mirror, and root.
 */
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { requireTool } from '../helpers/tools.js';

export const CACHE = process.env.SMARTPOLE_DEPLOY_CACHE ?? '/var/tmp/smartpole-deploy';
const MIRROR = process.env.SMARTPOLE_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';

export function sh(cmd: string, timeoutMs = 600_000): string {
  return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, shell: '/bin/bash', maxBuffer: 256 * 2 ** 20 });
}

function need(cmd: string, _pkg: string): void {
  requireTool(cmd);
}

/** The Debian 12 base (minbase + systemd, udev, adduser): debootstrap the first time. */
export function baseRoot(): string {
  const base = join(CACHE, 'bookworm-base');
  if (!existsSync(join(base, 'usr/bin/systemctl'))) {
    need('debootstrap', 'debootstrap');
    rmSync(base, { recursive: true, force: true });
    mkdirSync(CACHE, { recursive: true });
    sh(`debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,adduser,udev,ca-certificates bookworm '${base}' ${MIRROR}`, 1_800_000);
  }
  return base;
}

/** This machine's nodejs (>= 20) as a .deb. */
export function nodejsDeb(): string {
  const found = existsSync(CACHE) ? readdirSync(CACHE).find((f) => /^nodejs_.*\.deb$/.test(f)) : undefined;
  if (found) return join(CACHE, found);
  need('dpkg-repack', 'dpkg-repack');
  sh(`cd '${CACHE}' && dpkg-repack nodejs`, 1_800_000);
  return nodejsDeb();
}

/** Base + nodejs + the package's Depends (apt inside the chroot), cached by the Depends line. */
export function preparedRoot(deb: string): string {
  const depends = sh(`dpkg-deb -f '${deb}' Depends`).trim();
  // udev: the package Recommends it, and the rules are tested with `udevadm test` there.
  const extra = ['udev'];
  const key = execFileSync('sha256sum', { input: `${depends}\n${extra.join(' ')}`, encoding: 'utf8' }).slice(0, 12);
  const dir = join(CACHE, `prepared-${key}`);
  if (existsSync(join(dir, '.ready'))) return dir;
  const base = baseRoot();
  const node = nodejsDeb();
  rmSync(dir, { recursive: true, force: true });
  sh(`cp -a '${base}' '${dir}'`);
  sh(`cp '${node}' '${dir}/tmp/nodejs.deb'`);
  // Depends alternatives: apt takes the first; the smaller CJK font is enough here.
  const pkgs = depends.split(',').map((d) => d.trim().split('|').map((a) => a.trim()).find((a) => a.startsWith('fonts-wqy')) ?? d.trim().split('|')[0]!.trim())
    .map((d) => d.replace(/\s*\(.*\)$/, '')).filter((d) => d !== 'nodejs').concat(extra);
  sh(`chroot '${dir}' env DEBIAN_FRONTEND=noninteractive apt-get update -qq`);
  sh(`chroot '${dir}' env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends /tmp/nodejs.deb ${pkgs.join(' ')}`, 1_800_000);
  sh(`rm -f '${dir}/tmp/nodejs.deb' && chroot '${dir}' apt-get clean && touch '${dir}/.ready'`);
  return dir;
}

/** A fresh copy of the prepared root; remove it with dropRoot. */
export function freshRoot(deb: string): string {
  const prepared = preparedRoot(deb);
  const dir = mkdtempSync(join(CACHE, 'run-'));
  sh(`cp -a '${prepared}/.' '${dir}/'`);
  rmSync(join(dir, '.ready'));
  return dir;
}

export function dropRoot(dir: string): void {
  for (const m of ['proc', 'sys', 'dev/pts', 'dev']) {
    try { execFileSync('umount', ['-l', join(dir, m)], { stdio: 'ignore' }); } catch { /* not mounted */ }
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Runs a command inside the root with /proc mounted (node needs it). */
export function inRoot(dir: string, cmd: string, timeoutMs = 120_000): { code: number; out: string } {
  try {
    execFileSync('sh', ['-c', `mountpoint -q '${dir}/proc' || mount -t proc proc '${dir}/proc'`]);
    const out = execFileSync('chroot', [dir, '/bin/sh', '-c', cmd], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    return { code: 0, out };
  } catch (e) {
    const x = e as { status?: number; stdout?: string; stderr?: string };
    return { code: x.status ?? -1, out: `${x.stdout ?? ''}${x.stderr ?? ''}` };
  } finally {
    try { execFileSync('umount', ['-l', `${dir}/proc`], { stdio: 'ignore' }); } catch { /* already */ }
  }
}

/** Every path under the root that an install could touch (not dpkg's/apt's own books, caches, logs). */
export function snapshot(dir: string): Map<string, string> {
  const out = sh(`cd '${dir}' && find . -xdev \\( -path ./proc -o -path ./sys -o -path ./dev -o -path ./run -o -path ./tmp -o -path ./var/lib/dpkg -o -path ./var/cache -o -path ./var/log -o -path ./var/lib/apt \\) -prune -o -printf '%p %y %m %U %G %s\\n'`);
  return new Map(out.trim().split('\n').map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));
}
