/**
 * 5G modem: faults of the modem itself end to end over real PTYs: a hang (detected by consecutive
 * timeouts, recovered by AT+CFUN=1,1 and then the GPIO power-cycle hook, which in the simulator
 * writes the modem's power file), garbage on the line, slow replies, a reboot with port
 * disappearance, and a port that stays gone. The screen keeps working throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startModemSim, expectInOrder, type ModemSim } from '../helpers/modem-sim.js';
import { until } from '../helpers/sim-process.js';

describe('modem: faults of the modem and its port (PTY, full pole)', () => {
  let r: ModemSim;
  beforeAll(async () => { r = await startModemSim(); });
  afterAll(async () => { await r?.stop(); });

  const ready = async () => {
    await r.fault('clear');
    await r.waitState('online', 30_000);
    await until(() => r.modem.ladder.level === 0 && r.pole.services.uplink.mqtt.connected, 10_000, 'stable and connected');
    r.mark();
  };

  it('hang: hung after consecutive timeouts, reset tried, then the GPIO power cycle brings it back', async () => {
    await ready();
    const cycles = r.sim.modem!.stats.powerCycles;
    await r.fault('hang');
    await r.waitState('hung', 30_000);
    expect(r.modem.machine.failure?.code).toBe('SP_MODEM_HUNG');
    expect(r.modem.channel.stats.timeouts).toBeGreaterThanOrEqual(3);
    expect(r.pole.health.snapshot().modem).toMatchObject({ status: 'down', state: 'hung' });
    await r.screenStillWorks('调制解调器死机时屏幕照常');
    await r.waitState('online', 30_000);
    expect(r.steps).toEqual(['reset', 'reset', 'power-cycle']);
    expect(r.sim.modem!.stats.powerCycles).toBe(cycles + 1);
    expect(readFileSync(join(r.sim.info.ptyDir, 'modem.power'), 'utf8').trim()).toBe('1');
    expectInOrder(r.states, ['hung', 'resetting', 'hung', 'resetting', 'hung', 'power-cycling', 'probing', 'sim-check', 'registering', 'connecting', 'online']);
    expect(r.changes.find((c) => c.from === 'resetting')?.code).toBe('SP_MODEM_RESET_FAILED');
    expect(r.modem.lifetime()['power-cycle']).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('garbage on the line: counted and discarded, the modem stays online, polls keep succeeding', async () => {
    await ready();
    const stray = r.modem.channel.stats.strayLines;
    const signalAt = r.modem.machine.info.signalAt ?? 0;
    await r.fault('garbage', { bytes: 48, everyMs: 30 });
    await r.modem.pollNow();
    await r.modem.pollNow();
    await until(() => (r.modem.machine.info.signalAt ?? 0) > signalAt, 5_000, 'a poll to succeed in the noise');
    await r.screenStillWorks('线路噪声时屏幕照常');
    await r.fault('garbage', { bytes: 0 });
    expect(r.modem.channel.stats.strayLines).toBeGreaterThan(stray);
    expect(r.modem.state).toBe('online');
    expect(r.steps).toEqual([]);
  }, 60_000);

  it('slow replies within the timeouts change nothing; later ones time out, are dropped, and the modem is treated as hung', async () => {
    await ready();
    await r.fault('slow', { ms: 400 });
    const t0 = Date.now();
    await r.modem.pollNow();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    expect(r.modem.state).toBe('online');
    const { strayLines, timeouts } = r.modem.channel.stats;
    // 1.5 s replies against 1 s timeouts: each command times out and its late reply is waited for and dropped.
    await r.fault('slow', { ms: 1500 });
    await r.waitState('hung', 30_000);
    expect(r.modem.channel.stats.timeouts - timeouts).toBeGreaterThanOrEqual(3);
    expect(r.modem.channel.stats.strayLines).toBeGreaterThan(strayLines);
    expect(r.modem.machine.info.cell?.rat).toBe('NR5G-SA');
    await r.screenStillWorks('响应缓慢时屏幕照常');
    await r.fault('slow', { ms: 0 });
    await r.waitState('online', 40_000);
    expect(r.steps[0]).toBe('reset');
  }, 90_000);

  it('reboot with port disappearance: absent, then re-probed when the port returns, no recovery step needed', async () => {
    await ready();
    await r.fault('reboot');
    await r.waitState('absent');
    await r.screenStillWorks('重启时屏幕照常');
    expect(r.modem.machine.failure?.code).toBe('SP_MODEM_ABSENT');
    await r.waitState('online');
    expectInOrder(r.states, ['absent', 'probing', 'sim-check', 'registering', 'connecting', 'online']);
    expect(r.steps).toEqual([]);
  }, 60_000);

  it('port gone for good: absent past the timeout, the power-cycle hook runs and the port returns', async () => {
    await ready();
    await r.fault('unplug');
    await r.waitState('absent');
    await until(() => r.steps.includes('power-cycle'), 15_000, 'a power cycle for the missing port');
    await r.waitState('online', 20_000);
    expectInOrder(r.states, ['absent', 'power-cycling', 'probing', 'online']);
    await r.screenStillWorks('端口消失时屏幕照常');
  }, 60_000);

  it('modem.* commands: status, signal, raw AT from the console only, a manual recovery step', async () => {
    await ready();
    const cmd = (name: string, args: unknown, source: 'console' | 'mqtt' = 'console') => r.pole.services.commands.execute(name, args, { source, now: Date.now() });
    expect(await cmd('modem.status', {})).toMatchObject({ ok: true, result: { line: expect.stringMatching(/^modem online · 5G SA · CHINA MOBILE/), health: { status: 'ok' } } });
    expect(await cmd('modem.signal', {})).toMatchObject({ ok: true, result: { cell: { rat: 'NR5G-SA', band: 'n41' } } });
    expect(await cmd('modem.at', { command: 'AT+QTEMP' })).toMatchObject({ ok: true, result: { lines: expect.arrayContaining([expect.stringMatching(/^\+QTEMP: "soc-thermal"/)]) } });
    expect(await cmd('modem.at', { command: 'AT+CFUN=0' }, 'mqtt')).toMatchObject({ ok: false, error: { code: 'SP_MODEM_AT_REFUSED' } });
    expect(await cmd('modem.at', { command: 'AT\r\nAT+CFUN=0' })).toMatchObject({ ok: false, error: { code: 'SP_CMD_BAD_ARGS' } });
    expect(await cmd('modem.recover', { step: 'explode' })).toMatchObject({ ok: false, error: { code: 'SP_CMD_BAD_ARGS' } });
    expect(await cmd('modem.info', {})).toMatchObject({ ok: true, result: { identity: { imei: '869710030002905' }, sim: { status: 'READY' } } });
    expect(await cmd('modem.recover', { step: 'reattach' }, 'mqtt')).toMatchObject({ ok: true, result: { step: 'reattach' } });
    await r.waitState('online');
    expect(r.steps).toEqual(['reattach']);
  }, 60_000);
});
