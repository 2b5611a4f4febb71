/**
 * A newcomer's first session: a newcomer starts the simulator the README's way (the built CLI), reads
 * the console path and development PIN from its banner, connects with picocom and runs selftest —
 * here driven by Debian's expect through picocom on the real PTY, as a terminal would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { requireTool } from '../helpers/tools.js';
import { ROOT, startSimProcess, until, type SimProcess } from '../helpers/sim-process.js';

describe('console interoperability: expect + picocom on the printed PTY path', () => {
  let sim: SimProcess;

  beforeAll(async () => {
    requireTool('expect');
    requireTool('picocom');
    sim = await startSimProcess();
    await until(async () => (await sim.api<{ led: { status: string } }>('/api/health')).led.status === 'ok', 15_000, 'LED board ready');
    // …and the field-bus units have answered their first polls, so selftest can pass them.
    await until(async () => {
      const h = await sim.api<Record<string, { status: string }>>('/api/health');
      return ['lamp', 'pads', 'charger'].every((d) => h[d]?.status === 'ok');
    }, 15_000, 'field-bus units ok');
  });

  afterAll(async () => {
    expect(await sim?.stop()).toBe(0);
  });

  it('prints where to connect, and a scripted picocom session logs in, runs selftest and logs out', async () => {
    const m = /console\s+picocom -b 115200 (\S+)\s+\(development PIN (\d+)\)/.exec(sim.output());
    expect(m, sim.output()).toBeTruthy();
    const [, path, pin] = m!;
    expect(path).toBe(join(sim.ptyDir, 'console'));
    const devices = await sim.api<{ name: string; devicePath: string; state: { connect: string } }[]>('/api/devices');
    expect(devices.find((d) => d.name === 'console')).toMatchObject({ devicePath: path, state: { connect: `picocom -b 115200 ${path}` } });
    const r = spawnSync('expect', [join(ROOT, 'test/e2e/console-newcomer.exp'), path!, pin!], { encoding: 'utf8', timeout: 90_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/PIN: \*{6}/);
    expect(r.stdout).toMatch(/led +PASS +\d+ ms +board acknowledged/);
  }, 120_000);
});
