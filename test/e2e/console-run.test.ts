/**
 * `smartpole run` on "real hardware" (the sim's --hardware-only PTYs): the console works in the
 * standalone runtime, `reboot` restarts it in the same process with the config file re-read, and
 * SIGINT still stops it cleanly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { DEV_CONSOLE_PIN } from '../../simulator/pole-config.js';
import { ConsoleClient } from '../helpers/console-client.js';
import { CLI, startSimProcess, until, type SimProcess } from '../helpers/sim-process.js';

describe('smartpole run: the console and its reboot', () => {
  let sim: SimProcess;
  let run: ChildProcess;
  let out = '';
  let c: ConsoleClient;

  beforeAll(async () => {
    sim = await startSimProcess(['--hardware-only']);
    run = spawn(process.execPath, [CLI, 'run', '--config', join(sim.dataDir, 'pole.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    run.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    run.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    await until(() => /"msg":"pole started"/.test(out), 15_000, 'runtime started');
    c = await ConsoleClient.open(join(sim.ptyDir, 'console'));
  });

  afterAll(async () => {
    await c?.close();
    if (run && run.exitCode === null) { run.kill('SIGKILL'); }
    await sim?.stop();
  });

  it('logs in, saves a restart-only change, reboots in place, and the change is live', async () => {
    await c.login(DEV_CONSOLE_PIN);
    expect(await c.run('config set pole.language en')).toMatch(/Takes effect after a restart/);
    c.skip();
    await c.send('reboot --yes\r');
    await c.expect('Restarting the runtime');
    await c.expect('Press Enter to log in.', 20_000);
    await until(() => (out.match(/"msg":"pole started"/g) ?? []).length >= 2, 10_000, 'second start');
    expect(run.exitCode).toBeNull();
    await c.login(DEV_CONSOLE_PIN);
    const j = await c.json<{ result: { value: string; pendingRestart: unknown[] } }>('config show pole.language');
    expect(j.result.value).toBe('en');
    expect(j.result.pendingRestart).toEqual([]);
    expect(out).toMatch(/"msg":"restarting the runtime"/);
  });

  it('still stops cleanly on SIGINT', async () => {
    const code = await new Promise<number | null>((r) => { run.once('exit', (c) => r(c)); run.kill('SIGINT'); });
    expect(code).toBe(0);
  });
});
