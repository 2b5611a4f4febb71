import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyCalibration, checkCalibration, computeCalibration, defaultCalibration, invertCalibration, type Calibration, type CalibrationSample } from './calibration.js';

/** A panel glued slightly off: raw = 200 + 32.5·sx + 0.4·sy, 300 − 0.3·sx + 19.6·sy (raw 0..0x3FFF). */
function panelRaw(sx: number, sy: number): { x: number; y: number } {
  return { x: Math.round(200 + 32.5 * sx + 0.4 * sy), y: Math.round(300 - 0.3 * sx + 19.6 * sy) };
}

function fivePoint(w: number, h: number): CalibrationSample[] {
  const m = 50;
  return [[m, m], [w - m, m], [w - m, h - m], [m, h - m], [w / 2, h / 2]].map(([x, y]) => ({ screen: { x: x!, y: y! }, raw: panelRaw(x!, y!) }));
}

describe('tslib linear calibration', () => {
  it('applies pointercal with C integer division (truncation toward zero)', () => {
    const a: Calibration = [2, 0, -3, 0, 3, 1, 4];
    expect(applyCalibration(a, { x: 10, y: 10 })).toEqual({ x: Math.trunc(17 / 4), y: Math.trunc(31 / 4) });
    // Negative intermediate values truncate toward zero, not down.
    expect(applyCalibration(a, { x: 1, y: 0 })).toEqual({ x: 0, y: 0 });
    expect(applyCalibration([1, 0, -7, 0, 1, 0, 2], { x: 0, y: 0 }).x).toBe(-3);
  });

  it('the default maps the driver range onto the screen', () => {
    const a = defaultCalibration(480, 800);
    expect(applyCalibration(a, { x: 0, y: 0 })).toEqual({ x: 0, y: 0 });
    expect(applyCalibration(a, { x: 0x3fff, y: 0x3fff })).toEqual({ x: 479, y: 799 });
    expect(applyCalibration(a, { x: 0x2000, y: 0x2000 })).toEqual({ x: 240, y: 400 });
  });

  it('ts_calibrate 5-point fit recovers the panel mapping to within a pixel', () => {
    const a = computeCalibration(fivePoint(480, 800))!;
    expect(a).not.toBeNull();
    expect(a[6]).toBe(65536);
    expect(checkCalibration(a)).toEqual({ ok: true });
    for (const [sx, sy] of [[0, 0], [240, 400], [479, 799], [100, 700], [400, 50]]) {
      const got = applyCalibration(a, panelRaw(sx!, sy!));
      expect(Math.abs(got.x - sx!)).toBeLessThanOrEqual(1);
      expect(Math.abs(got.y - sy!)).toBeLessThanOrEqual(1);
    }
  });

  it('refuses a degenerate sample set, as ts_calibrate does', () => {
    const same = Array.from({ length: 5 }, () => ({ raw: { x: 100, y: 100 }, screen: { x: 1, y: 1 } }));
    expect(computeCalibration(same)).toBeNull();
    expect(checkCalibration([0, 0, 0, 0, 0, 0, 65536])).toMatchObject({ ok: false });
    expect(checkCalibration([1, 0, 0, 0, 1, 0, 0])).toMatchObject({ ok: false });
  });

  it('inverts exactly: every screen pixel has a raw point on the 12-bit grid that maps back to it', () => {
    const a = computeCalibration(fivePoint(480, 800))!;
    fc.assert(fc.property(fc.integer({ min: 0, max: 479 }), fc.integer({ min: 0, max: 799 }), fc.constantFrom(1, 2, 4), (sx, sy, step) => {
      const raw = invertCalibration(a, { x: sx, y: sy }, step)!;
      expect(raw.x % step).toBe(0);
      expect(raw.y % step).toBe(0);
      expect(applyCalibration(a, raw)).toEqual({ x: sx, y: sy });
    }));
  });
});

describe('ts_calibrate golden vector', () => {
  it('yields the same integers as tslib perform_calibration compiled with gcc (x86-64, float)', () => {
    // Samples: targets (50,50) (430,50) (430,750) (50,750) (240,400) on the panelRaw() mapping above;
    // `gcc -O0` of perform_calibration printed pointercal "2016 -41 -390878 30 3343 -1009096 65536".
    const targets = [[50, 50], [430, 50], [430, 750], [50, 750], [240, 400]] as const;
    const samples = targets.map(([x, y]) => ({ screen: { x, y }, raw: panelRaw(x, y) }));
    expect(samples.map((s) => [s.raw.x, s.raw.y])).toEqual([[1845, 1265], [14195, 1151], [14475, 14871], [2125, 14985], [8160, 8068]]);
    expect(computeCalibration(samples)).toEqual([2016, -41, -390878, 30, 3343, -1009096, 65536]);
  });
});
