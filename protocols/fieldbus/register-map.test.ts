import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeField, decodeFields, encodeField, mapRows, planReads, type FieldDef, type RegisterMap } from './register-map.js';
import { EV_CC_MAP, EV_CC_POLL_FIELDS, IecState, decodeEvccStatus, encodeEvccStatus, EvccError, evccErrorNames } from './ev-cc-ac1-m3.js';
import { SDM_MAP, SDM_POLL_FIELDS, kwhToWh } from './sdm-meter.js';
import { LAMP_MAP, LAMP_POLL_FIELDS, LampStatus, lampStatusNames } from './lamp-driver.js';
import { chargePadsMap, padPollFields } from './charge-pads.js';
import { OcppStatus, connectorStatus, type ConnectorFacts } from './ocpp-status.js';

const f = (type: FieldDef['type'], extra: Partial<FieldDef> = {}): FieldDef => ({ table: 'input', address: 0, type, access: 'r', description: '', ...extra });

describe('register codecs', () => {
  it('decodes SDM float32 registers high word first (a captured 230.1 V and 12.345 kWh)', () => {
    // 230.1 = 0x43661999 (IEEE-754), 12.345 = 0x41458520
    expect(decodeField(SDM_MAP.voltage, [0x4366, 0x1999])).toBeCloseTo(230.1, 4);
    expect(kwhToWh(decodeField(SDM_MAP.importEnergy, [0x4145, 0x851f]) as number)).toBe(12345);
    expect(encodeField(SDM_MAP.voltage, 230.1)).toEqual([0x4366, 0x199a]);
  });

  it('decodes the Phoenix status word "C2" and every state letter', () => {
    expect(decodeEvccStatus(0x4332)).toEqual({ state: IecState.C, pwm: true, text: 'C2' });
    expect(decodeEvccStatus(0x4131)).toEqual({ state: IecState.A, pwm: false, text: 'A1' });
    expect(decodeEvccStatus(0x4231)?.pwm).toBe(false);
    for (const s of Object.values(IecState)) for (const pwm of [false, true]) {
      const d = decodeEvccStatus(encodeEvccStatus(s, pwm))!;
      expect(d.state).toBe(s);
    }
    expect(decodeEvccStatus(0x4630)).toEqual({ state: IecState.F, pwm: false, text: 'F0' });
    expect(decodeEvccStatus(0x0000)).toBeNull();
    expect(decodeEvccStatus(0x4739)).toBeNull();
    expect(evccErrorNames(EvccError.ResidualCurrent | EvccError.OverTemperature)).toEqual(['ResidualCurrent', 'OverTemperature']);
  });

  it('scales, signs and round-trips integer types', () => {
    expect(decodeField(f('i16', { scale: 0.1 }), [0xff9c])).toBeCloseTo(-10);
    expect(decodeField(f('u32'), [0x0001, 0x0002])).toBe(65538);
    expect(decodeField(f('i32'), [0xffff, 0xfffe])).toBe(-2);
    expect(decodeField(f('ascii', { words: 3 }), [0x5748, 0x2d31, 0x0000])).toBe('WH-1');
    expect(encodeField(f('ascii', { words: 3 }), 'WH-1')).toEqual([0x5748, 0x2d31, 0]);
    expect(encodeField(LAMP_MAP.targetLevel, 55.5)).toEqual([555]);
    expect(encodeField(f('u16'), 70000)).toEqual([0xffff]);
  });

  it('property: encode → decode round-trips every numeric type within its range', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: -0x80000000, max: 0x7fffffff }), fc.float({ noNaN: true, noDefaultInfinity: true }), (u, i, x) => {
      expect(decodeField(f('u32'), encodeField(f('u32'), u))).toBe(u);
      expect(decodeField(f('i32'), encodeField(f('i32'), i))).toBe(i);
      expect(decodeField(f('u16'), encodeField(f('u16'), u & 0xffff))).toBe(u & 0xffff);
      expect(decodeField(f('f32'), encodeField(f('f32'), x))).toBe(Math.fround(x));
    }));
  });

  it('property: random register words never throw and decode to finite or NaN numbers', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 20, maxLength: 20 }), (w) => {
      const data = planReads(LAMP_MAP, LAMP_POLL_FIELDS).map((block) => ({ block, words: w.slice(0, block.quantity) }));
      const v = decodeFields(LAMP_MAP, LAMP_POLL_FIELDS, data);
      for (const x of Object.values(v)) expect(typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean').toBe(true);
      lampStatusNames(w[1]!);
    }));
  });

  it('plans short contiguous reads per table', () => {
    expect(planReads(SDM_MAP, SDM_POLL_FIELDS)).toEqual([
      { table: 'input', address: 0x00, quantity: 14 },
      { table: 'input', address: 0x46, quantity: 6 },
    ]);
    expect(planReads(EV_CC_MAP, EV_CC_POLL_FIELDS, { maxGap: 8 })).toEqual([
      { table: 'holding', address: 24000, quantity: 4 },
      { table: 'holding', address: 24017, quantity: 11 },
      { table: 'coil', address: 20000, quantity: 3 },
    ]);
    expect(planReads(LAMP_MAP, LAMP_POLL_FIELDS)).toEqual([{ table: 'input', address: 0, quantity: 18 }]);
    expect(planReads(chargePadsMap(2), padPollFields(2), { maxGap: 5 })).toEqual([
      { table: 'coil', address: 0, quantity: 2 },
      { table: 'input', address: 10, quantity: 15 },
    ]);
    expect(planReads(SDM_MAP, ['voltage', 'importEnergy'], { maxQuantity: 10, maxGap: 100 })).toHaveLength(2);
  });

  it('decodes fields from planned blocks', () => {
    const blocks = planReads(EV_CC_MAP, EV_CC_POLL_FIELDS, { maxGap: 8 });
    const words = new Map<number, number>([[24000, 0x4332], [24002, 1000 * 16 / 6 / 10 * 10], [24003, 16], [24017, (12 << 8) | 30], [24025, EvccError.OverCurrent], [24027, 32]]);
    const data = blocks.map((b) => b.table === 'coil'
      ? { block: b, bits: [true, true, false] }
      : { block: b, words: Array.from({ length: b.quantity }, (_, i) => words.get(b.address + i) ?? 0) });
    const v = decodeFields(EV_CC_MAP, EV_CC_POLL_FIELDS, data);
    expect(v.systemStatus).toBe(0x4332);
    expect(v.cpCurrent).toBe(16);
    expect(v.errorStatus).toBe(EvccError.OverCurrent);
    expect(v.enableCharging).toBe(true);
    expect(v.lock).toBe(false);
    expect(v.cableCapacity).toBe(32);
  });

  it('no two fields of a map overlap', () => {
    const maps: RegisterMap[] = [EV_CC_MAP, SDM_MAP, LAMP_MAP, chargePadsMap(8)];
    for (const m of maps) {
      const rows = mapRows(m);
      for (let i = 1; i < rows.length; i++) {
        const a = rows[i - 1]!, b = rows[i]!;
        if (a.table === b.table) expect(a.address + a.words, `${a.name} overlaps ${b.name}`).toBeLessThanOrEqual(b.address);
      }
    }
    expect(() => chargePadsMap(9)).toThrow(RangeError);
    expect(LampStatus.FailureLevelActive).toBe(256);
  });
});

describe('OCPP 1.6 connector status from IEC 61851', () => {
  const base: ConnectorFacts = { iec: IecState.A, pwm: false, errorBits: 0, session: 'none', authorized: false, operative: true, faults: [] };
  const s = (p: Partial<ConnectorFacts>) => connectorStatus({ ...base, ...p });

  it('follows a whole session: Available → Preparing → Charging → SuspendedEV → Finishing → Available', () => {
    expect(s({}).status).toBe(OcppStatus.Available);
    expect(s({ authorized: true }).status).toBe(OcppStatus.Preparing);
    expect(s({ iec: IecState.B }).status).toBe(OcppStatus.Preparing);
    expect(s({ iec: IecState.C, pwm: true, session: 'active' }).status).toBe(OcppStatus.Charging);
    expect(s({ iec: IecState.D, pwm: true, session: 'active' }).status).toBe(OcppStatus.Charging);
    expect(s({ iec: IecState.B, pwm: true, session: 'active' }).status).toBe(OcppStatus.SuspendedEV);
    expect(s({ iec: IecState.C, pwm: false, session: 'active' }).status).toBe(OcppStatus.SuspendedEVSE);
    expect(s({ iec: IecState.B, session: 'finished' }).status).toBe(OcppStatus.Finishing);
    expect(s({ iec: IecState.A, session: 'finished' }).status).toBe(OcppStatus.Available);
  });

  it('faults and availability', () => {
    expect(s({ iec: null })).toEqual({ status: OcppStatus.Faulted, errorCode: 'InternalError' });
    expect(s({ iec: IecState.E })).toEqual({ status: OcppStatus.Faulted, errorCode: 'EVCommunicationError' });
    expect(s({ errorBits: EvccError.ResidualCurrent | EvccError.LockFailure })).toEqual({ status: OcppStatus.Faulted, errorCode: 'GroundFailure' });
    expect(s({ faults: ['PowerMeterFailure'] })).toEqual({ status: OcppStatus.Faulted, errorCode: 'PowerMeterFailure' });
    expect(s({ operative: false, iec: IecState.F }).status).toBe(OcppStatus.Unavailable);
    expect(s({ operative: true, iec: IecState.F }).status).toBe(OcppStatus.Faulted);
    // Inoperative waits for the running transaction to end.
    expect(s({ operative: false, iec: IecState.C, pwm: true, session: 'active' }).status).toBe(OcppStatus.Charging);
  });

  it('property: every combination yields a status with NoError unless Faulted', () => {
    fc.assert(fc.property(
      fc.constantFrom(null, ...Object.values(IecState)), fc.boolean(), fc.integer({ min: 0, max: 511 }), fc.constantFrom('none', 'active', 'finished' as const),
      fc.boolean(), fc.boolean(), (iec, pwm, errorBits, session, authorized, operative) => {
        const r = connectorStatus({ iec, pwm, errorBits, session: session as ConnectorFacts['session'], authorized, operative, faults: [] });
        expect(Object.values(OcppStatus)).toContain(r.status);
        expect(r.status === OcppStatus.Faulted ? r.errorCode !== 'NoError' : r.errorCode === 'NoError').toBe(true);
      }));
  });
});
