/**
 * The launcher: what the service unit starts (docs/updates.md §Launcher). It decides which release
 * runs from the boot state (runtime/update/boot-state.ts), starts that release's runtime as its
 * child and supervises a release on trial:
 *  - each start of a trial release counts an attempt (RAUC's boot attempts): a release that exits
 *    or is killed before it commits, start after start, is rolled back once its attempts are used;
 *  - a trial release that has not committed by its deadline (never healthy, or hung) is stopped
 *    (SIGTERM, SIGKILL after the grace) and the previous release started in its place.
 * A child exiting with EXIT_RESTART (the runtime switched releases) is started again at once, from
 * the new boot state. Any other exit ends the launcher with the child's status, and the service
 * manager's Restart= starts it again.
 *
 * Only node: imports: it is bundled alone into dist/smartpole-launcher.js and starts in ~50 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, decideBoot, pointCurrent, readBootState, releaseDir, rollback, targetRelease, writeBootState, type BootState } from './boot-state.js';

/** sysexits EX_TEMPFAIL: "start me again" — the runtime switched to another release. */
export const EXIT_RESTART = 75;

export interface LauncherOptions {
  /** update.dir: boot.json, releases/, current. */
  dir: string;
  /** The packaged program's directory (holds dist/smartpole.js): the 'base' release. */
  base: string;
  /** Arguments for the runtime, e.g. ['run', '--config', '/etc/smartpole/pole.yaml']. */
  args: string[];
  /** V8 flags for the child (the pole's sizing). */
  nodeFlags?: string[];
  /** How often the boot state is read while a trial runs. Default 250 ms. */
  pollMs?: number;
  /** SIGTERM → SIGKILL grace for a trial that missed its deadline. Default 3000 ms. */
  killGraceMs?: number;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
  now?: () => number;
}

function programOf(o: LauncherOptions, release: string): string {
  return release === BASE ? join(o.base, 'dist', 'smartpole.js') : join(releaseDir(o.dir, release), 'dist', 'smartpole.js');
}

/** Runs until the child exits for good; resolves with the exit status the launcher should end with. */
export async function runLauncher(o: LauncherOptions): Promise<number> {
  const now = o.now ?? Date.now;
  const log = o.log ?? ((msg, f) => process.stderr.write(`${JSON.stringify({ service: 'launcher', msg, ...f })}\n`));
  let child: ChildProcess | null = null;
  let stopping: NodeJS.Signals | null = null;
  const onSignal = (sig: NodeJS.Signals) => { stopping = sig; child?.kill(sig); };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    for (;;) {
      let s = readBootState(o.dir);
      const d = decideBoot(s, now());
      if (d.action === 'rollback') log('rolling back', { release: s.trial?.release, to: d.release, reason: d.reason });
      s = d.state;
      let release = d.release;
      if (release !== BASE && !existsSync(programOf(o, release))) {
        log('release missing: starting the packaged program', { release });
        s = d.action === 'run' && d.trial ? rollback(s, d.trial, `release ${release} is not installed`, now()).state : { ...s, current: BASE, trial: null };
        release = targetRelease(s);
      }
      writeBootState(o.dir, s);
      pointCurrent(o.dir, targetRelease(s));
      const trial = s.trial;
      log('starting', { release, trial: trial ? { attempt: trial.attempts, of: trial.maxAttempts, leftMs: trial.deadline - now() } : null });
      child = spawn(process.execPath, [...(o.nodeFlags ?? []), programOf(o, release), ...o.args], {
        stdio: 'inherit', env: { ...process.env, SMARTPOLE_RELEASE: release, SMARTPOLE_UPDATE_DIR: o.dir },
      });
      const c = child;
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => c.once('exit', (code, signal) => r({ code, signal })));
      let gateMissed = false;
      let poll: NodeJS.Timeout | null = null;
      if (trial) {
        poll = setInterval(() => {
          const cur = readBootState(o.dir);
          if (cur.trial?.release !== trial.release) { clearInterval(poll!); poll = null; return; } // committed (or changed by the runtime)
          if (now() <= trial.deadline || gateMissed) return;
          gateMissed = true;
          log('trial missed its health gate: stopping it', { release: trial.release });
          c.kill('SIGTERM');
          setTimeout(() => c.kill('SIGKILL'), o.killGraceMs ?? 3000).unref();
        }, o.pollMs ?? 250);
      }
      const { code, signal } = await exited;
      if (poll) clearInterval(poll);
      child = null;
      if (stopping) return code ?? 0;
      const after: BootState = readBootState(o.dir);
      if (gateMissed && after.trial?.release === trial?.release && after.trial) {
        const r = rollback(after, after.trial, `not healthy within the gate (${Math.round((after.trial.deadline - after.trial.switchedAt) / 1000)} s)`, now());
        log('rolled back', { release: after.trial.release, to: r.release, reason: r.reason });
        writeBootState(o.dir, r.state);
        continue;
      }
      if (code === EXIT_RESTART) continue;
      log('runtime exited', { release, code, signal });
      return code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGABRT' ? 6 : 15);
    }
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

/** `node smartpole-launcher.js [--dir D] [--base B] -- run --config FILE` */
export function parseLauncherArgs(argv: string[]): LauncherOptions {
  const sep = argv.indexOf('--');
  const own = sep >= 0 ? argv.slice(0, sep) : [];
  const args = sep >= 0 ? argv.slice(sep + 1) : argv;
  const opt = (name: string, dflt: string) => { const i = own.indexOf(name); return i >= 0 && own[i + 1] ? own[i + 1]! : dflt; };
  const flags = own.filter((a) => a.startsWith('--max-'));
  return { dir: opt('--dir', '/var/lib/smartpole/update'), base: opt('--base', '/usr/lib/smartpole'), args, nodeFlags: flags };
}
