/**
 * tslib linear calibration (docs/background.md §Touch; tslib `plugins/linear.c`, `ts_calibrate`).
 * A `pointercal` holds 7 integers a0..a6 in file order:
 *
 *   x' = (a2 + a0·x + a1·y) / a6        y' = (a5 + a3·x + a4·y) / a6
 *
 * with C integer division (truncation toward zero). `computeCalibration` is ts_calibrate's
 * 5-point least-squares fit (Russell King's perform_calibration), evaluated in float32 like the C
 * code so it yields the same integers, scaled by 65536. Pure: no I/O.
 */
import { EGALAX_MAX } from './egalax.js';

/** a0..a6 in pointercal file order. */
export type Calibration = readonly [number, number, number, number, number, number, number];

export interface Point { x: number; y: number }

/** One calibration sample: where the panel reported a touch (raw) for a target drawn at (screen). */
export interface CalibrationSample { raw: Point; screen: Point }

export const CALIBRATION_SCALE = 65536;

/** Maps the driver's full raw range 0..0x4000 onto a width × height screen (no calibration file). */
export function defaultCalibration(width: number, height: number): Calibration {
  return [Math.round((width * CALIBRATION_SCALE) / EGALAX_MAX), 0, 0, 0, Math.round((height * CALIBRATION_SCALE) / EGALAX_MAX), 0, CALIBRATION_SCALE];
}

/** linear.c: raw → screen, integer arithmetic truncating toward zero. */
export function applyCalibration(a: Calibration, raw: Point): Point {
  // JS numbers hold these products exactly (< 2^53); tslib's int32 would overflow only on absurd coefficients.
  return {
    x: Math.trunc((a[2] + a[0] * raw.x + a[1] * raw.y) / a[6]) + 0, // + 0: no negative zero
    y: Math.trunc((a[5] + a[3] * raw.x + a[4] * raw.y) / a[6]) + 0,
  };
}

export type CalibrationCheck = { ok: true } | { ok: false; reason: string };

/** A calibration is usable when a6 ≠ 0 and the x/y map is invertible (not degenerate). */
export function checkCalibration(a: Calibration): CalibrationCheck {
  if (a.some((v) => !Number.isInteger(v))) return { ok: false, reason: 'coefficients must be integers' };
  if (a[6] === 0) return { ok: false, reason: 'a6 (the divisor) is 0' };
  if (a[0] * a[4] - a[1] * a[3] === 0) return { ok: false, reason: 'the matrix a0 a1 / a3 a4 is singular (x and y collapse)' };
  return { ok: true };
}

/**
 * ts_calibrate's perform_calibration over 5 samples (4 corners + centre), returned in pointercal
 * order. Returns null when the determinant is too small (|det| < 0.1), as tslib does.
 */
export function computeCalibration(samples: readonly CalibrationSample[]): Calibration | null {
  const f = Math.fround;
  let n = 0, x = 0, y = 0, x2 = 0, y2 = 0, xy = 0;
  for (const s of samples) {
    n = f(n + 1);
    x = f(x + s.raw.x);
    y = f(y + s.raw.y);
    x2 = f(x2 + f(Math.imul(s.raw.x, s.raw.x)));
    y2 = f(y2 + f(Math.imul(s.raw.y, s.raw.y)));
    xy = f(xy + f(Math.imul(s.raw.x, s.raw.y)));
  }
  const det = f(f(f(n * f(f(x2 * y2) - f(xy * xy))) + f(x * f(f(xy * y) - f(x * y2)))) + f(y * f(f(x * xy) - f(y * x2))));
  if (det < 0.1 && det > -0.1) return null;
  const a = f(f(f(x2 * y2) - f(xy * xy)) / det);
  const b = f(f(f(xy * y) - f(x * y2)) / det);
  const c = f(f(f(x * xy) - f(y * x2)) / det);
  const e = f(f(f(n * y2) - f(y * y)) / det);
  const ff = f(f(f(x * y) - f(n * xy)) / det);
  const i = f(f(f(n * x2) - f(x * x)) / det);
  const fit = (target: (s: CalibrationSample) => number): [number, number, number] => {
    let z = 0, zx = 0, zy = 0;
    for (const s of samples) {
      const t = target(s);
      z = f(z + t);
      zx = f(zx + f(Math.imul(t, s.raw.x)));
      zy = f(zy + f(Math.imul(t, s.raw.y)));
    }
    const k = (p: number, q: number, r: number) => Math.trunc(f(f(f(f(p * z) + f(q * zx)) + f(r * zy)) * CALIBRATION_SCALE));
    // ts_calibrate's internal order is (constant, x, y); pointercal stores (x, y, constant).
    return [k(b, e, ff), k(c, ff, i), k(a, b, c)];
  };
  const [a0, a1, a2] = fit((s) => s.screen.x);
  const [a3, a4, a5] = fit((s) => s.screen.y);
  return [a0, a1, a2, a3, a4, a5, CALIBRATION_SCALE];
}

/**
 * The inverse (used by the simulated panel): a raw point, on the grid of `step` (2^(3−res)),
 * that the calibration maps exactly to screen pixel (sx, sy), or the nearest one when the grid
 * cannot hit that pixel. Returns null for a degenerate calibration.
 */
export function invertCalibration(a: Calibration, screen: Point, step = 1): Point | null {
  const det = a[0] * a[4] - a[1] * a[3];
  if (det === 0 || a[6] === 0) return null;
  // Aim at the pixel centre so truncation lands inside the pixel.
  const tx = (screen.x + 0.5) * a[6] - a[2];
  const ty = (screen.y + 0.5) * a[6] - a[5];
  const rx = (tx * a[4] - ty * a[1]) / det;
  const ry = (ty * a[0] - tx * a[3]) / det;
  const max = EGALAX_MAX - step;
  const snap = (v: number) => Math.max(0, Math.min(max, Math.round(v / step) * step));
  let best: Point = { x: snap(rx), y: snap(ry) };
  let bestErr = Infinity;
  for (let dy = -3; dy <= 3; dy++) {
    for (let dx = -3; dx <= 3; dx++) {
      const cand = { x: snap(rx + dx * step), y: snap(ry + dy * step) };
      const got = applyCalibration(a, cand);
      const err = Math.abs(got.x - screen.x) + Math.abs(got.y - screen.y);
      if (err < bestErr || (err === bestErr && Math.hypot(cand.x - rx, cand.y - ry) < Math.hypot(best.x - rx, best.y - ry))) {
        best = cand;
        bestErr = err;
      }
    }
  }
  return best;
}
