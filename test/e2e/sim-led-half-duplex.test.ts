/**
 * `smartpole sim --led-duplex half` (docs/simulator.md): the simulated board and the runtime's
 * `led.duplex` both run the 2-wire RS-485 turn rules (docs/protocols/led-link.md §5.5). The pole
 * must present its first page with the board answering in turns and no collision on the line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { requireTool } from '../helpers/tools.js';
import { startSimProcess, until, type SimProcess } from '../helpers/sim-process.js';

interface LedBoardState { presents: number; turns: number; collisions: number; session: boolean }

describe('smartpole sim --led-duplex half (sim process, real PTYs)', () => {
  let sim: SimProcess;
  const board = async () => (await sim.api<{ name: string; state: LedBoardState }[]>('/api/devices')).find((d) => d.name === 'led')!.state;

  beforeAll(async () => {
    requireTool('socat');
    sim = await startSimProcess(['--led-duplex', 'half']);
  });

  afterAll(async () => {
    expect(await sim?.stop()).toBe(0);
  });

  it('writes led.duplex: half into the pole config', () => {
    const config = parse(readFileSync(join(sim.dataDir, 'pole.yaml'), 'utf8')) as { devices: { led: { duplex?: string; turnaroundMs?: number } } };
    expect(config.devices.led.duplex).toBe('half');
    expect(config.devices.led.turnaroundMs).toBeGreaterThan(0);
  });

  it('presents a frame, the board answering in turns, with zero collisions', async () => {
    const s = await until(async () => { const b = await board(); return b.presents > 0 ? b : null; }, 30_000, 'the first PRESENT');
    expect(s.session).toBe(true);
    expect(s.turns).toBeGreaterThan(0);
    expect(s.collisions).toBe(0);
    expect((await sim.png()).length).toBeGreaterThan(0);
  });
});
