/**
 * The LED board's faults through the simulator's HTTP API, with the whole pole running
 * (`smartpole sim` as a process, real PTYs): a failed module reaches /api/health and the MQTT
 * events topic; 1 % corruption injected over /api/faults still lets a notice reach the board.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { loadSigningKey } from '../../ops/keys.js';
import { sealEnvelope } from '../../protocols/envelope.js';
import { isoWithOffset } from '../../protocols/time.js';
import { startSimProcess, until, type SimProcess, withToken } from '../helpers/sim-process.js';

interface LedHealth { status: string; detail?: string; board?: { failedModules: number[] } | null; fec?: { parity: number } | null; brightness?: { source: string } }

describe('LED board faults through /api/faults (sim process, real PTYs)', () => {
  let sim: SimProcess;
  let client: mqtt.MqttClient;
  const events: Record<string, unknown>[] = [];
  const fault = (f: string, args: Record<string, unknown> = {}) => sim.api('/api/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ device: 'led', fault: f, args }) });
  const led = async () => (await sim.api<{ led: LedHealth }>('/api/health')).led;

  beforeAll(async () => {
    sim = await startSimProcess();
    client = await mqtt.connectAsync(sim.mqttUrl);
    await client.subscribeAsync('smartpole/v1/poles/WH-JA-0001/events');
    client.on('message', (_t, p) => events.push(JSON.parse(p.toString())));
    await until(async () => (await led()).status === 'ok', 15_000, 'LED board ready');
  });

  afterAll(async () => {
    await client?.endAsync();
    expect(await sim?.stop()).toBe(0);
  });

  it('lists the LED faults and refuses bad arguments with a code', async () => {
    const devs = await sim.api<{ name: string; faults: Record<string, string> }[]>('/api/devices');
    expect(Object.keys(devs.find((d) => d.name === 'led')!.faults)).toEqual(expect.arrayContaining(['corrupt', 'drop', 'stall', 'reset', 'fail-module', 'lux', 'temperature', 'clear']));
    const r = await fetch(`${sim.httpUrl}/api/faults`, withToken({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ device: 'led', fault: 'corrupt', args: { rate: 7 } }) }, sim.token));
    expect(r.status).toBeGreaterThanOrEqual(400);
  });

  it('a failed module makes the board degraded in health and raises an alarm event', async () => {
    await fault('fail-module', { module: 4, failed: true });
    const h = await until(async () => { const l = await led(); return l.status === 'degraded' ? l : null; }, 15_000, 'degraded health');
    expect(h.board!.failedModules).toEqual([4]);
    await until(() => events.some((e) => e.code === 'led.fault' && e.active === true && e.module === 4), 15_000, 'led.fault event');
    await fault('clear');
    await until(async () => (await led()).status === 'ok', 15_000, 'ok again');
  });

  it('a notice still reaches the board through 1 % corruption', async () => {
    await fault('corrupt', { rate: 0.01 });
    const before = await sim.png();
    const key = loadSigningKey(join(sim.dataDir, 'keys', 'dev-ops.key.json'));
    const payload = { type: 'notice', audience: 'all', id: 'noisy', version: 1, issuedAt: isoWithOffset(Date.now()), priority: 'emergency', title: { zh: '线路干扰测试' }, body: { zh: '百分之一的字节被破坏，画面仍须完整。' } };
    await client.publishAsync('smartpole/v1/notices/all/noisy', JSON.stringify(sealEnvelope(payload, key.kid, key.privateKey)), { qos: 1 });
    await until(async () => !(await sim.png()).equals(before), 20_000, 'the screen to change');
    await until(async () => ((await led()).fec?.parity ?? 0) > 0, 10_000, 'FEC on');
    await fault('corrupt', { rate: 0 });
  });
});
