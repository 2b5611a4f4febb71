import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatPinHash, parsePinHash, pinPolicyProblem } from './pin-hash.js';
import { classifyAt, redactAt } from './at-policy.js';
import { applyCalibration, calibrationTargets, solveCalibration } from './touch-calibration.js';
import { flattenForDisplay, formatBytes, formatDuration, formatLocalTime, formatNumber, formatValue } from './units.js';

describe('pin hash format', () => {
  const good = `scrypt$32768$8$1$${Buffer.alloc(16, 1).toString('base64')}$${Buffer.alloc(32, 2).toString('base64')}`;
  it('round-trips', () => {
    const p = parsePinHash(good);
    expect(p.ok).toBe(true);
    if (p.ok) expect(formatPinHash(p.value)).toBe(good);
  });
  it('refuses bad parameters with a reason', () => {
    expect(parsePinHash('1234')).toMatchObject({ ok: false });
    expect(parsePinHash(good.replace('32768', '30000'))).toMatchObject({ ok: false, reason: expect.stringMatching(/power of two/) });
    expect(parsePinHash(good.replace('$8$', '$64$'))).toMatchObject({ ok: false, reason: expect.stringMatching(/r must/) });
    expect(parsePinHash(good.replace('32768', '1048576').replace('$8$', '$32$'))).toMatchObject({ ok: false, reason: expect.stringMatching(/256 MiB/) });
    expect(parsePinHash(`scrypt$1024$8$1$AA==$${Buffer.alloc(32).toString('base64')}`)).toMatchObject({ ok: false, reason: expect.stringMatching(/salt/) });
  });
  it('property: any string parses or is refused, never throws', () => {
    fc.assert(fc.property(fc.string(), (s) => { parsePinHash(s); parsePinHash(`scrypt$${s}`); }));
  });
  it('PIN policy', () => {
    expect(pinPolicyProblem('246810')).toBeNull();
    expect(pinPolicyProblem('12a4')).toMatch(/digits/);
    expect(pinPolicyProblem('123')).toMatch(/6 to 12/);
    expect(pinPolicyProblem('4826')).toMatch(/6 to 12/);
    expect(pinPolicyProblem('000000')).toMatch(/repeated/);
  });
});

describe('AT passthrough policy', () => {
  it('lets reads through and flags dangerous sets', () => {
    expect(classifyAt('AT+CSQ')).toEqual({ ok: true, dangerous: false });
    expect(classifyAt('at+cfun?')).toEqual({ ok: true, dangerous: false });
    expect(classifyAt('AT+CFUN=?')).toEqual({ ok: true, dangerous: false });
    expect(classifyAt('AT+QENG="servingcell"')).toEqual({ ok: true, dangerous: false });
    expect(classifyAt('AT+CFUN=1,1')).toMatchObject({ ok: true, dangerous: true, reason: expect.stringMatching(/^AT\+CFUN/) });
    expect(classifyAt('AT+CSQ;+QPOWD')).toMatchObject({ dangerous: true });
    expect(classifyAt('ATZ')).toMatchObject({ dangerous: true });
    expect(classifyAt('reboot')).toMatchObject({ ok: false });
    expect(classifyAt('AT\x01')).toMatchObject({ ok: false });
  });
  it('redacts SIM secrets', () => {
    expect(redactAt('AT+CPIN="1234"')).toBe('AT+CPIN=[redacted]');
    expect(redactAt('AT+CSQ;+CPIN=1234;+COPS?')).toBe('AT+CSQ;+CPIN=[redacted];+COPS?');
  });
});

describe('touch calibration (tslib 5-point)', () => {
  it('recovers a linear mapping exactly and reports the fit error', () => {
    // A controller that reports 0..4095, mirrored in y and slightly rotated.
    const toRaw = (p: { x: number; y: number }) => ({ x: Math.round(100 + p.x * 8.1 + p.y * 0.2), y: Math.round(4000 - p.y * 4.9 + p.x * 0.1) });
    const pts = calibrationTargets(480, 800).map((s) => ({ screen: s, raw: toRaw(s) }));
    const r = solveCalibration(pts);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.pointercal).toHaveLength(7);
    expect(r.pointercal[6]).toBe(65536);
    expect(r.maxErrorPx).toBeLessThan(1);
    const q = applyCalibration(r.pointercal, toRaw({ x: 240, y: 100 }));
    expect(Math.abs(q.x - 240)).toBeLessThan(1);
    expect(Math.abs(q.y - 100)).toBeLessThan(1);
  });
  it('refuses touches all in one spot', () => {
    const pts = calibrationTargets(480, 800).map((s) => ({ screen: s, raw: { x: 500, y: 500 } }));
    expect(solveCalibration(pts)).toMatchObject({ ok: false });
  });
});

describe('units', () => {
  it('formats durations, sizes and numbers with units', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_300)).toBe('12 s');
    expect(formatDuration(5_300)).toBe('5.3 s');
    expect(formatDuration(303_000)).toBe('5 min 03 s');
    expect(formatDuration(600_000)).toBe('10 min');
    expect(formatDuration(7_380_000)).toBe('2 h 03 min');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatNumber(-71.5, 'dBm')).toBe('-71.5 dBm');
    expect(formatNumber(80, '%')).toBe('80%');
  });
  it('shows local time with its offset', () => {
    expect(formatLocalTime(Date.UTC(2026, 10, 27, 6, 3, 5), 'Asia/Shanghai')).toBe('2026-11-27 14:03:05 +08:00');
  });
  it('infers units from field names', () => {
    expect(formatValue('powerW', 42.5)).toBe('42.5 W');
    expect(formatValue('rsrpDbm', -98)).toBe('-98 dBm');
    expect(formatValue('uptimeSec', 7380)).toBe('2 h 03 min');
    expect(formatValue('levelPct', 60)).toBe('60%');
    expect(formatValue('energyKWh', 12.25)).toBe('12.3 kWh');
    expect(flattenForDisplay({ a: { tempC: 41 }, on: true })).toEqual([['a.tempC', '41 °C'], ['on', 'yes']]);
  });
});
