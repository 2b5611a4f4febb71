/**
 * Five-point touch calibration as tslib's ts_calibrate computes it (the console's `touch calibrate`,
 * docs/console.md §touch calibrate; the 7-integer form in config is tslib's pointercal,
 * runtime/config/schema.ts):
 *   x' = (a2 + a0·x + a1·y) / a6,   y' = (a5 + a3·x + a4·y) / a6,   a6 = 65536.
 * A least-squares fit of the raw controller coordinates to the five screen targets.
 */

export interface CalPoint {
  /** Where the target was drawn, in screen pixels. */
  screen: { x: number; y: number };
  /** What the controller reported while it was pressed (raw units). */
  raw: { x: number; y: number };
}

/** tslib's target positions: 50 px in from each corner, then the centre. */
export function calibrationTargets(width: number, height: number, inset = 50): { x: number; y: number }[] {
  return [
    { x: inset, y: inset },
    { x: width - inset, y: inset },
    { x: width - inset, y: height - inset },
    { x: inset, y: height - inset },
    { x: Math.round(width / 2), y: Math.round(height / 2) },
  ];
}

export type CalibrationResult =
  | { ok: true; pointercal: number[]; maxErrorPx: number; errorsPx: number[] }
  | { ok: false; reason: string };

const SCALING = 65536;

export function solveCalibration(points: readonly CalPoint[]): CalibrationResult {
  if (points.length < 3) return { ok: false, reason: 'needs at least 3 points' };
  let n = 0, x = 0, y = 0, x2 = 0, y2 = 0, xy = 0;
  for (const p of points) {
    n += 1; x += p.raw.x; y += p.raw.y; x2 += p.raw.x * p.raw.x; y2 += p.raw.y * p.raw.y; xy += p.raw.x * p.raw.y;
  }
  const det = n * (x2 * y2 - xy * xy) + x * (xy * y - x * y2) + y * (x * xy - y * x2);
  if (Math.abs(det) < 0.1) return { ok: false, reason: 'the touches were too close together or in a line (determinant too small)' };
  const a = (x2 * y2 - xy * xy) / det;
  const b = (xy * y - x * y2) / det;
  const c = (x * xy - y * x2) / det;
  const e = (n * y2 - y * y) / det;
  const f = (x * y - n * xy) / det;
  const i = (n * x2 - x * x) / det;
  const fit = (target: (p: CalPoint) => number): [number, number, number] => {
    let z = 0, zx = 0, zy = 0;
    for (const p of points) { const t = target(p); z += t; zx += t * p.raw.x; zy += t * p.raw.y; }
    return [(a * z + b * zx + c * zy) * SCALING, (b * z + e * zx + f * zy) * SCALING, (c * z + f * zx + i * zy) * SCALING];
  };
  const [k0, kx, ky] = fit((p) => p.screen.x);
  const [l0, lx, ly] = fit((p) => p.screen.y);
  // pointercal order: x-coefficient, y-coefficient, constant (tslib writes a[1] a[2] a[0] …).
  const pointercal = [kx, ky, k0, lx, ly, l0].map((v) => Math.trunc(v)).concat([SCALING]);
  const errorsPx = points.map((p) => {
    const q = applyCalibration(pointercal, p.raw);
    return Math.hypot(q.x - p.screen.x, q.y - p.screen.y);
  });
  return { ok: true, pointercal, maxErrorPx: Math.max(...errorsPx), errorsPx };
}

export function applyCalibration(c: readonly number[], raw: { x: number; y: number }): { x: number; y: number } {
  const [a0, a1, a2, a3, a4, a5, a6] = c as [number, number, number, number, number, number, number];
  return { x: (a2 + a0 * raw.x + a1 * raw.y) / a6, y: (a5 + a3 * raw.x + a4 * raw.y) / a6 };
}
