/**
 * 5G modem: faults of the mobile link end to end over real PTYs: signal loss, a network drop with
 * the deregistration URC, and data-context failures. The pole's MQTT runs through the simulated
 * modem's data path, so these tests also show the outbox filling while offline and draining
 * once the modem is back, and every state change and recovery step reaching ops on MQTT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { startModemSim, expectInOrder, type ModemSim } from '../helpers/modem-sim.js';
import { until } from '../helpers/sim-process.js';

describe('modem: link faults (PTY, full pole, MQTT through the modem)', () => {
  let r: ModemSim;
  let ops: mqtt.MqttClient;
  const events: { code: string; [k: string]: unknown }[] = [];
  const telemetry: { kind: string; values: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    r = await startModemSim();
    ops = await mqtt.connectAsync(r.sim.info.mqttUrl);
    await ops.subscribeAsync(['smartpole/v1/poles/+/events', 'smartpole/v1/poles/+/telemetry', 'smartpole/v1/poles/+/state']);
    ops.on('message', (t, p) => {
      const m = JSON.parse(p.toString());
      if (t.endsWith('/events')) events.push(m);
      if (t.endsWith('/telemetry')) telemetry.push(m);
    });
  }, 60_000);
  afterAll(async () => { await ops?.endAsync(); await r?.stop(); });

  const ready = async () => {
    await r.fault('clear');
    await r.waitState('online', 30_000);
    await until(() => r.modem.ladder.level === 0 && r.pole.services.uplink.mqtt.connected, 10_000, 'stable and connected');
    r.mark();
  };

  it('network drop: registering on the deregistration URC, outbox fills, then online and drained, no recovery step', async () => {
    await ready();
    const seenBefore = events.length;
    await r.fault('network-drop');
    await r.waitState('registering');
    expect(r.modem.machine.failure?.code).toBe('SP_MODEM_NO_SERVICE');
    await until(() => !r.pole.services.uplink.mqtt.connected, 5_000, 'MQTT to lose its connection');
    r.pole.services.uplink.reporter.telemetry('test', { marker: 'written while offline' });
    expect(r.pole.services.uplink.outbox.depth()).toBeGreaterThan(0);
    await r.screenStillWorks('网络中断时屏幕照常');
    await r.fault('network-restore');
    await r.waitState('online');
    await until(() => r.pole.services.uplink.outbox.depth() === 0, 10_000, 'the outbox to drain');
    expectInOrder(r.states, ['registering', 'connecting', 'online']);
    expect(r.steps).toEqual([]);
    // What happened while offline reached ops after the reconnect, in order.
    await until(() => events.slice(seenBefore).some((e) => e.code === 'modem.state' && e.to === 'online'), 5_000, 'events on MQTT');
    const mine = events.slice(seenBefore).filter((e) => e.code === 'modem.state').map((e) => e.to as string);
    expectInOrder(mine, ['registering', 'connecting', 'online']);
    expect(events.slice(seenBefore).find((e) => e.to === 'registering')).toMatchObject({ severity: 'warning', error: 'SP_MODEM_NO_SERVICE' });
  }, 60_000);

  it('signal loss: registering with no cell; only re-queries (no resets for lack of coverage); back when the cell returns', async () => {
    await ready();
    await r.fault('signal-loss');
    await r.waitState('registering');
    await until(() => r.steps.includes('requery'), 15_000, 'a re-query after the registration timeout');
    expect(r.stepProblems[0]).toBe('no-coverage');
    await until(() => (r.modem.health().problem as { problem?: string } | null)?.problem === 'no-coverage', 15_000, 'no coverage named in health');
    expect(r.modem.health().problem).toMatchObject({ code: 'SP_MODEM_NO_COVERAGE' });
    expect(r.modem.statusLine()).toMatch(/modem (registering|sim-check|connecting) ·/);
    await until(() => r.modem.machine.info.cell?.state === 'SEARCH', 5_000, 'a poll to see no cell');
    await r.screenStillWorks('无信号时屏幕照常');
    expect(r.steps.every((s) => s === 'requery')).toBe(true);
    await r.fault('network-restore');
    await r.waitState('online');
    expectInOrder(r.states, ['registering', 'online']);
    expect(r.steps).not.toContain('reset');
  }, 60_000);

  it('data context failure: the context drops and will not come back; re-query → re-attach, then online', async () => {
    await ready();
    await r.fault('data-failure', { mode: 'activate' });
    await r.waitState('connecting');
    await until(() => r.modem.machine.failure?.code === 'SP_MODEM_DATA_FAILED', 5_000, 'activation to fail');
    await until(() => r.steps.length >= 2, 15_000, 're-query and re-attach');
    expect(r.steps.slice(0, 2)).toEqual(['requery', 'reattach']);
    expect(r.pole.health.snapshot().modem).toMatchObject({ status: 'degraded', state: 'connecting' });
    await r.screenStillWorks('数据连接失败时屏幕照常');
    await r.fault('clear');
    await r.waitState('online', 20_000);
    expect(r.changes.find((c) => c.to === 'connecting')?.code).toBe('SP_MODEM_DATA_LOST');
    await until(() => events.some((e) => e.code === 'modem.recovery' && e.step === 'reattach'), 10_000, 'the re-attach step on MQTT');
    await until(() => events.some((e) => e.code === 'modem.recovered'), 10_000, 'the recovery on MQTT');
  }, 60_000);

  it('data stall: online but no traffic; a ping through the modem fails; re-query, then re-attach fixes it', async () => {
    await ready();
    await r.fault('data-failure', { mode: 'stall' });
    await until(() => !r.pole.services.uplink.mqtt.connected, 5_000, 'MQTT to lose its connection');
    expect(r.modem.state).toBe('online');
    await r.screenStillWorks('数据停滞时屏幕照常');
    await until(() => r.steps.includes('reattach'), 20_000, 'the stall to be found and re-attached');
    expect(r.steps.slice(0, 2)).toEqual(['requery', 'reattach']);
    await until(() => r.pole.services.uplink.mqtt.connected, 10_000, 'MQTT back through the re-attached context');
    await until(() => events.some((e) => e.code === 'modem.failure' && e.error === 'SP_MODEM_DATA_STALL'), 10_000, 'the stall reported');
  }, 60_000);

  it('telemetry carries state, operator, radio values, temperature, data-link up time and recoveries', async () => {
    await until(() => telemetry.some((t) => t.kind === 'modem' && t.values.state === 'online' && t.values.temperatureC !== null), 10_000, 'modem telemetry');
    const t = telemetry.filter((x) => x.kind === 'modem' && x.values.state === 'online').at(-1)!;
    expect(t.values).toMatchObject({ operator: 'CHINA MOBILE', act: '5G SA', rat: 'NR5G-SA', band: 'n41', mccmnc: '46000' });
    for (const k of ['rsrp', 'rsrq', 'sinr', 'cellId', 'pci', 'tac', 'temperatureC', 'dataUpSec']) expect(t.values[k], k).not.toBeNull();
    expect(t.values.recoveries).toMatchObject({ requery: expect.any(Number), reattach: expect.any(Number), lifetime: expect.any(Object) });
  }, 60_000);
});
