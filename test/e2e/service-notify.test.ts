/**
 * `smartpole run` as systemd starts it (`$NOTIFY_SOCKET`, `$WATCHDOG_USEC`), against a real AF_UNIX
 * datagram socket standing in for systemd and `smartpole sim --hardware-only` devices: no READY
 * while the LED board is stalled (plugged but silent), READY once its first frame is presented;
 * pings at half of WatchdogSec; none while the process is stopped; STOPPING=1 on SIGTERM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CLI, startSimProcess, until, type SimProcess } from '../helpers/sim-process.js';
import { startNotifySocket, type NotifySocket } from '../helpers/notify-socket.js';

const WATCHDOG_MS = 2000;
const STALL_MS = 5000;

describe('smartpole run under a stand-in systemd', () => {
  let sim: SimProcess;
  let sock: NotifySocket;
  let run: ChildProcess;
  let out = '';
  let stallEnds = 0;

  beforeAll(async () => {
    sock = await startNotifySocket();
    sim = await startSimProcess(['--hardware-only']);
    await sim.api('/api/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ device: 'led', fault: 'stall', args: { ms: STALL_MS } }) });
    stallEnds = Date.now() + STALL_MS;
    run = spawn(process.execPath, [CLI, 'run', '--config', join(sim.dataDir, 'pole.yaml')], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NOTIFY_SOCKET: sock.path, WATCHDOG_USEC: String(WATCHDOG_MS * 1000) },
    });
    run.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    run.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  });

  afterAll(async () => {
    if (run && run.exitCode === null) { run.kill('SIGCONT'); run.kill('SIGKILL'); }
    await sim?.stop();
    await sock?.close();
  });

  it('sends READY only after the stalled LED board presents its first frame', async () => {
    await until(() => /"msg":"pole started"/.test(out), 20_000, 'runtime started');
    const ready = await until(() => sock.with('READY')[0], 30_000, `READY=1\n${out.slice(-2000)}`);
    expect(ready.t).toBeGreaterThanOrEqual(stallEnds - 50);
    expect(ready.fields.STATUS).toMatch(/led ok/);
    console.log(`READY ${(ready.t - stallEnds).toFixed(0)} ms after the stall ended; STATUS "${ready.fields.STATUS}"`);
  });

  it('pings at half of WatchdogSec', async () => {
    const from = Date.now();
    await until(() => sock.with('WATCHDOG').filter((m) => m.t > from).length >= 4, 10_000, 'four pings');
    const t = sock.with('WATCHDOG').filter((m) => m.t > from).map((m) => m.t);
    const gaps = t.slice(1).map((x, i) => x - t[i]!).sort((a, b) => a - b);
    expect(gaps[1]!).toBeGreaterThan(WATCHDOG_MS / 2 * 0.5);
    expect(gaps[1]!).toBeLessThan(WATCHDOG_MS / 2 * 1.6);
  });

  it('sends no ping within WatchdogSec while the process is stopped', async () => {
    const at = Date.now();
    run.kill('SIGSTOP');
    await new Promise((r) => setTimeout(r, WATCHDOG_MS * 1.5));
    run.kill('SIGCONT');
    expect(sock.with('WATCHDOG').filter((m) => m.t > at + 150 && m.t <= at + WATCHDOG_MS)).toEqual([]);
    const resumed = Date.now();
    await until(() => sock.with('WATCHDOG').some((m) => m.t > resumed), 10_000, 'pings again');
  });

  it('sends STOPPING=1 on SIGTERM and exits 0', async () => {
    const code = await new Promise<number | null>((r) => { run.once('exit', (c) => r(c)); run.kill('SIGTERM'); });
    expect(code, out.slice(-3000)).toBe(0);
    const stop = await until(() => sock.with('STOPPING')[0], 5000, 'STOPPING=1');
    expect(stop.fields.STATUS).toBe('stopping');
  });
});
