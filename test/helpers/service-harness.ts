/**
 * Stands in for systemd where it cannot run (this container's PID 1 is not systemd; the nspawn run of
 * docs/deployment.md §Tests is opt-in): starts the launcher as the unit's ExecStart does, in its own
 * process group (the unit's cgroup), and restarts it as `Restart=on-failure` + `RestartSec=` would —
 * after any exit that is not status 0 or a stop we asked for. `kill9()` kills the whole group at once,
 * as a power cut or `systemctl kill -s KILL` would; the harness then starts it again.
 * Not modelled: StartLimitBurst, the watchdog (the launcher's gate catches a hang by itself).
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ServiceHarness {
  readonly starts: number;
  readonly pid: number | null;
  output(): string;
  /** SIGKILL to the whole process group; restarted after RestartSec. */
  kill9(): void;
  stop(): Promise<void>;
}

export function startService(cmd: string, args: string[], o: { env?: NodeJS.ProcessEnv; restartSec?: number; cwd?: string } = {}): ServiceHarness {
  let out = '';
  let starts = 0;
  let stopped = false;
  let proc: ChildProcess | null = null;
  let timer: NodeJS.Timeout | null = null;
  const start = () => {
    starts++;
    const p = spawn(cmd, args, { detached: true, cwd: o.cwd, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    proc = p;
    p.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    p.once('exit', (code, signal) => {
      out += `\n[harness] exit code=${code} signal=${signal}\n`;
      if (proc === p) proc = null;
      if (stopped || (code === 0 && signal === null)) return;
      timer = setTimeout(start, (o.restartSec ?? 0.5) * 1000);
    });
  };
  start();
  return {
    get starts() { return starts; },
    get pid() { return proc?.pid ?? null; },
    output: () => out,
    kill9: () => { if (proc?.pid) { try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ } } },
    stop: () => new Promise<void>((r) => {
      stopped = true;
      if (timer) clearTimeout(timer);
      const p = proc;
      if (!p?.pid) return r();
      const kill = setTimeout(() => { try { process.kill(-p.pid!, 'SIGKILL'); } catch { /* gone */ } }, 10_000);
      p.once('exit', () => {
        clearTimeout(kill);
        // Whatever the group still holds (a child that ignored the signal) goes too, as with KillMode=control-group.
        try { process.kill(-p.pid!, 'SIGKILL'); } catch { /* none left */ }
        r();
      });
      try { process.kill(p.pid, 'SIGTERM'); } catch { r(); }
    }),
  };
}
