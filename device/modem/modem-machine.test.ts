/**
 * The state machine against the simulated modem over in-process serial pairs (fast; the PTY
 * end-to-end runs are in test/integration/modem-*.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { modemRig, type ModemRig } from '../../test/helpers/modem-rig.js';
import { until } from '../../test/helpers/sim-process.js';
import { ModemState } from './modem-state.js';

let r: ModemRig | null = null;
afterEach(async () => { await r?.stop(); r = null; });
const online = (rig: ModemRig) => until(() => rig.machine.state === ModemState.Online, 10_000, `online (now ${rig.machine.state})`);

describe('ModemMachine', () => {
  it('brings the modem up: absent → probing → sim-check → registering → connecting → online, with identity', async () => {
    r = await modemRig();
    await online(r);
    expect(r.states.map((s) => s.to)).toEqual(['absent', 'probing', 'sim-check', 'registering', 'connecting', 'online']);
    expect(r.machine.info.identity).toEqual({ manufacturer: 'Quectel', model: 'RM500Q-GL', revision: 'RM500QGLABR11A06M4G', imei: '869710030002905', iccid: '89860012345678901237', imsi: '460001234567890' });
    expect(r.machine.info.data.addresses[0]).toMatch(/^10\.64\./);
    expect(r.sim.snapshot()).toMatchObject({ echo: false, context: { active: true, apn: 'cmnet' } });
  });

  it('re-probes when the modem says RDY on its own (reset detected)', async () => {
    r = await modemRig();
    await online(r);
    r.sim.sendUrc('RDY');
    await until(() => r!.states.some((s) => s.code === 'SP_MODEM_RESET_DETECTED'), 5_000, 'reset detected');
    await online(r);
    expect(r.machine.counters.resetsDetected).toBe(1);
  });

  it('POWERED DOWN makes the modem absent', async () => {
    r = await modemRig();
    await online(r);
    r.sim.powerDown();
    await until(() => r!.machine.state === ModemState.Absent, 5_000, 'absent');
    expect(r.machine.failure?.code).toBe('SP_MODEM_ABSENT');
  });

  it('never spends the last PIN attempt', async () => {
    r = await modemRig({ simPin: '0000' });
    await online(r);
    r.sim.requirePin('1234', 1);
    await until(() => r!.machine.state === ModemState.SimPin, 5_000, 'sim-pin');
    expect(r.machine.failure).toMatchObject({ code: 'SP_MODEM_SIM_PIN', message: 'only 1 PIN attempt left: enter the PIN by hand' });
    expect(r.machine.counters.pinEntries).toBe(0);
    expect(r.sim.s.sim.pinAttempts).toBe(1);
  });

  it('answers a raw AT command for technicians, and reads the temperature', async () => {
    r = await modemRig();
    await online(r);
    expect((await r.machine.at('AT+CFUN?')).lines).toEqual(['+CFUN: 1']);
    await expect(r.machine.at('AT+NONSENSE')).rejects.toMatchObject({ code: 'SP_AT_ERROR' });
    await expect(r.machine.at('AT+CPIN="1234"')).rejects.toMatchObject({ code: 'SP_AT_CME', cme: 3 });
    expect(await r.machine.queries.temperature()).toBeGreaterThan(30);
  });

  it('follows the access technology: LTE and EN-DC replies parse as they come', async () => {
    r = await modemRig();
    await online(r);
    r.sim.setRat('EN-DC');
    await until(async () => { await r!.machine.poll(); return r!.machine.info.cell?.rat === 'EN-DC'; }, 5_000, 'EN-DC');
    expect(r.machine.info.cell?.band).toBe('B3+n41');
    r.sim.setRat('LTE');
    await until(async () => { await r!.machine.poll(); return r!.machine.info.cell?.rat === 'LTE'; }, 5_000, 'LTE');
    expect(r.machine.info.csq?.rssiDbm).not.toBeNull();
    expect(r.machine.state).toBe(ModemState.Online);
  });
});
