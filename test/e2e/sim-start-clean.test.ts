/**
 * A healthy `smartpole sim` start logs no warning (docs/protocols/modem.md §Data path and MQTT): the
 * pole dials MQTT before the simulated modem is online, and that expected first failure is info.
 * Any warning or error in the log of a clean start is a defect a newcomer would see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimProcess, until, type SimProcess } from '../helpers/sim-process.js';

describe('smartpole sim: a healthy start', () => {
  let sim: SimProcess;
  beforeAll(async () => { sim = await startSimProcess(); });
  afterAll(async () => { await sim?.stop(); });

  it('reaches MQTT through the simulated modem and logs no warning or error on the way', async () => {
    await until(async () => {
      const h = await sim.api<{ led: { status: string }; mqtt: { status: string }; modem: { status: string } }>('/api/health');
      return h.led.status === 'ok' && h.mqtt.status === 'ok' && h.modem.status === 'ok';
    }, 30_000, () => `LED, modem and MQTT healthy; output:\n${sim.output()}`);
    const records = readFileSync(join(sim.dataDir, 'logs', 'sim.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(records.some((r) => r.msg === 'MQTT connected')).toBe(true);
    expect(records.filter((r) => r.level >= 40).map((r) => `${r.level} ${r.msg}`)).toEqual([]);
    expect(sim.output()).not.toMatch(/warn|error/i);
  });
});
