/**
 * Runs the modem power-cycle hook (`devices.modem.powerCycleCommand`): a shell command that cuts
 * and restores the modem's power through a pole GPIO. On a real pole that is a script writing the
 * GPIO (see scripts/modem-power-cycle.sh); in the simulator the same script writes the simulated
 * modem's power file. Bounded in time; its process group is killed on timeout.
 */
import { spawn } from 'node:child_process';

export interface HookResult {
  ok: boolean;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  /** Last lines of stderr/stdout, for the event and the log. */
  output: string;
  error?: string;
}

export function runPowerHook(command: string, o: { timeoutMs: number; env: Record<string, string> }): Promise<HookResult> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    let out = '';
    let timedOut = false;
    const child = spawn('sh', ['-c', command], { env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const keep = (d: Buffer) => { out = (out + d.toString()).slice(-2000); };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    }, o.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, exitCode: null, signal: null, durationMs: Date.now() - t0, output: out, error: e.message });
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      const tail = out.trim().split('\n').slice(-5).join('\n');
      resolve({
        ok: exitCode === 0 && !timedOut, exitCode, signal, durationMs: Date.now() - t0, output: tail,
        error: timedOut ? `timed out after ${o.timeoutMs} ms` : exitCode !== 0 ? `exit status ${exitCode ?? signal}` : undefined,
      });
    });
  });
}
