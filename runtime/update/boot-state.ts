/**
 * The boot state of the application-level A/B update (docs/updates.md §Boot state): one JSON file,
 * `<update.dir>/boot.json`, written atomically (temp file, fsync, rename, fsync of the directory),
 * shared by the runtime and the launcher (runtime/update/launcher.ts). It is the one source of truth
 * for which release runs; the `current` symlink follows it and is repaired at every start.
 *
 * Only node: imports — the launcher bundles this file alone.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A release on trial: switched to, not yet healthy (RAUC's "boot attempts"). */
export interface Trial {
  release: string;
  /** The release it replaced: where a rollback goes ('base' = the packaged program). */
  from: string;
  /** epoch ms of the switch, and by when it must be healthy. */
  switchedAt: number;
  deadline: number;
  /** Starts of this release so far, and how many are allowed before a rollback. */
  attempts: number;
  maxAttempts: number;
}

export interface BootState {
  /** The committed release ('base' = the program the Debian package installed, no release dir). */
  current: string;
  /** The release kept to go back to. */
  previous: string | null;
  trial: Trial | null;
  /** The last rollback, until the runtime has reported it. */
  rolledBack: { release: string; reason: string; at: number; reported: boolean } | null;
  /** Releases that were rolled back: never installed again. */
  failed: string[];
}

export const BASE = 'base';

export function emptyBootState(): BootState {
  return { current: BASE, previous: null, trial: null, rolledBack: null, failed: [] };
}

export function bootFile(dir: string): string {
  return join(dir, 'boot.json');
}

export function releaseDir(dir: string, release: string): string {
  return join(dir, 'releases', release);
}

export function readBootState(dir: string): BootState {
  const f = bootFile(dir);
  if (!existsSync(f)) return emptyBootState();
  try {
    const s = JSON.parse(readFileSync(f, 'utf8')) as Partial<BootState>;
    return { ...emptyBootState(), ...s, failed: Array.isArray(s.failed) ? s.failed : [] };
  } catch {
    // A torn file cannot happen (rename is atomic); a hand-edited broken one falls back to the base.
    return emptyBootState();
  }
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

/** Writes the state atomically and durably. */
export function writeBootState(dir: string, s: BootState): void {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.boot.json.${process.pid}`);
  const fd = openSync(tmp, 'w', 0o640);
  try {
    writeSync(fd, `${JSON.stringify(s, null, 2)}\n`);
    fsyncSync(fd);
  } finally { closeSync(fd); }
  renameSync(tmp, bootFile(dir));
  fsyncDir(dir);
}

/** The release the state says runs now: the one on trial, else the committed one. */
export function targetRelease(s: BootState): string {
  return s.trial?.release ?? s.current;
}

/** Points `<dir>/current` at the release (atomically: a new link renamed over the old); base removes it. */
export function pointCurrent(dir: string, release: string): void {
  const link = join(dir, 'current');
  if (release === BASE) {
    rmSync(link, { force: true });
    return;
  }
  let now: string | null = null;
  try { now = readlinkSync(link); } catch { /* none yet */ }
  const want = join('releases', release);
  if (now === want) return;
  const tmp = join(dir, `.current.${process.pid}`);
  rmSync(tmp, { force: true });
  symlinkSync(want, tmp);
  renameSync(tmp, link);
  fsyncDir(dir);
}

/** The release `current` points at, or base. */
export function currentLink(dir: string): string {
  try {
    return readlinkSync(join(dir, 'current')).replace(/^releases\//, '');
  } catch {
    return BASE;
  }
}

export type BootDecision =
  | { action: 'run'; release: string; trial: Trial | null; state: BootState }
  | { action: 'rollback'; release: string; reason: string; state: BootState };

/**
 * What a start does (pure but for `now`): a release on trial gets one more attempt unless its
 * attempts are used up or its deadline has passed; then the previous release is restored.
 */
export function decideBoot(s: BootState, now: number): BootDecision {
  const t = s.trial;
  if (!t) return { action: 'run', release: s.current, trial: null, state: s };
  if (t.attempts >= t.maxAttempts) return rollback(s, t, `crash-loop: ${t.attempts} starts without becoming healthy`, now);
  if (now > t.deadline) return rollback(s, t, `not healthy within the gate (${Math.round((t.deadline - t.switchedAt) / 1000)} s)`, now);
  const trial = { ...t, attempts: t.attempts + 1 };
  return { action: 'run', release: t.release, trial, state: { ...s, trial } };
}

export function rollback(s: BootState, t: Trial, reason: string, now: number): Extract<BootDecision, { action: 'rollback' }> {
  return {
    action: 'rollback', release: t.from, reason,
    state: {
      ...s, current: t.from, trial: null,
      rolledBack: { release: t.release, reason, at: now, reported: false },
      failed: [...new Set([...s.failed, t.release])].slice(-16),
    },
  };
}
