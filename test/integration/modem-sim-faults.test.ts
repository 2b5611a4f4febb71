/**
 * 5G modem: SIM and network-registration faults end to end over real PTYs: the simulated RM500Q
 * behind socat, the whole runtime in front. Each test asserts the state sequence, the recovery
 * steps taken, what health and the status line say, and that the screen kept working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModemSim, expectInOrder, type ModemSim } from '../helpers/modem-sim.js';
import { until } from '../helpers/sim-process.js';

describe('modem: SIM and registration faults (PTY, full pole)', () => {
  let r: ModemSim;
  beforeAll(async () => { r = await startModemSim(); });
  afterAll(async () => { await r?.stop(); });

  it('no SIM: sim-missing, re-query then reset, back online when the SIM returns', async () => {
    await r.fault('no-sim');
    await r.waitState('sim-missing');
    expect(r.modem.machine.failure?.code).toBe('SP_MODEM_SIM_MISSING');
    expect(r.pole.health.snapshot().modem).toMatchObject({ status: 'down', state: 'sim-missing' });
    expect(r.modem.statusLine()).toMatch(/^modem sim-missing · no SIM card inserted/);
    await until(() => r.steps.includes('reset'), 15_000, 're-query and reset steps');
    expect(r.steps.slice(0, 2)).toEqual(['requery', 'reset']);
    await r.screenStillWorks('无SIM卡时屏幕照常');
    await r.fault('insert-sim');
    await r.waitState('online');
    expectInOrder(r.states, ['sim-check', 'sim-missing', 'sim-check', 'sim-missing', 'resetting', 'probing', 'sim-check', 'registering', 'connecting', 'online']);
  }, 60_000);

  it('PIN required: the configured PIN unlocks the SIM once, with no recovery step', async () => {
    await r.waitState('online');
    await until(() => r.modem.ladder.level === 0, 5_000, 'stable');
    r.mark();
    const before = r.modem.machine.counters.pinEntries;
    await r.fault('pin-required', { pin: '1234' });
    await until(() => r.states.includes('online'), 15_000, 'online again');
    expectInOrder(r.states, ['sim-check', 'registering', 'connecting', 'online']);
    expect(r.modem.machine.counters.pinEntries).toBe(before + 1);
    expect(r.steps).toEqual([]);
  }, 60_000);

  it('a wrong PIN in the config: sim-pin, refused once, never offered again, no recovery', async () => {
    r.mark();
    await r.fault('pin-required', { pin: '9999' });
    await r.waitState('sim-pin');
    await until(() => r.modem.machine.failure?.code === 'SP_MODEM_PIN_REJECTED', 5_000, 'PIN rejected');
    const entries = r.modem.machine.counters.pinEntries;
    expect(r.modem.machine.info.sim.pinAttempts).toBe(2);
    expect(r.modem.statusLine()).toMatch(/refused the configured PIN.*2 attempts left.*needs a technician/);
    // A technician-triggered re-query does not offer the refused PIN again.
    await r.modem.recoverNow('requery', 'test');
    await r.waitState('sim-pin');
    await new Promise((res) => setTimeout(res, 500));
    expect(r.modem.machine.counters.pinEntries).toBe(entries);
    expect(r.steps).toEqual(['requery']);
    expect(r.pole.health.snapshot().modem).toMatchObject({ status: 'down', failure: { code: 'SP_MODEM_PIN_REJECTED' } });
  }, 60_000);

  it('PUK required: sim-puk, a clear state that waits for a technician', async () => {
    r.mark();
    await r.fault('puk-required');
    await r.waitState('sim-puk');
    expect(r.modem.machine.failure?.code).toBe('SP_MODEM_SIM_PUK');
    await r.screenStillWorks('SIM卡锁定时屏幕照常');
    await new Promise((res) => setTimeout(res, 800));
    expect(r.steps).toEqual([]);
    await r.fault('clear');
    await r.modem.recoverNow('reset', 'test');
    await r.waitState('online');
  }, 60_000);

  it('registration denied: denied, then re-query → re-attach → reset; online once the network accepts', async () => {
    await until(() => r.modem.ladder.level === 0, 5_000, 'stable');
    r.mark();
    await r.fault('registration-denied');
    await r.waitState('denied');
    expect(r.modem.machine.failure?.code).toBe('SP_MODEM_REG_DENIED');
    await until(() => r.steps.includes('reset'), 20_000, 'the ladder to reach reset');
    expect(r.steps.slice(0, 3)).toEqual(['requery', 'reattach', 'reset']);
    await r.screenStillWorks('注册被拒时屏幕照常');
    await r.fault('network-restore');
    await r.waitState('online', 20_000);
    expectInOrder(r.states, ['denied', 'registering', 'denied', 'resetting', 'probing', 'online']);
  }, 60_000);
});
