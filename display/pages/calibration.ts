/**
 * Touch calibration (the console's `touch calibrate`): a cross at each tslib target in
 * turn, on a plain dark screen, with a line telling the technician what to do. No hit regions:
 * the touches go to the calibration, not to the UI.
 */
import { sc, type ScreenGeometry } from '../geometry.js';
import { typeSize } from '../fonts.js';
import type { CalibrationPage, Hit, PageContent } from '../page-model.js';
import { Palette } from '../palette.js';
import type { Kit } from '../draw/kit.js';
import { text } from '../draw/ui.js';

export function calibrationHits(_g: ScreenGeometry, _c: PageContent<CalibrationPage>): Hit[] {
  return [];
}

export function drawCalibration(k: Kit, m: CalibrationPage): void {
  const { ctx, g, tm } = k;
  ctx.fillStyle = Palette.background;
  ctx.fillRect(0, 0, g.width, g.height);
  const { x, y, index, count } = m.target;
  const arm = sc(g, 22);
  ctx.strokeStyle = Palette.cue;
  ctx.lineWidth = Math.max(2, sc(g, 3));
  ctx.beginPath();
  ctx.moveTo(x - arm, y); ctx.lineTo(x + arm, y);
  ctx.moveTo(x, y - arm); ctx.lineTo(x, y + arm);
  ctx.stroke();
  ctx.beginPath();
  ctx.arc(x, y, sc(g, 10), 0, Math.PI * 2);
  ctx.stroke();
  const ty = y < g.height / 2 ? g.height / 2 + sc(g, 40) : g.height / 2 - sc(g, 110);
  text(ctx, tm, `触摸校准 ${index}/${count}`, g.pad, ty, g.width - 2 * g.pad, { size: typeSize(g, 'h2'), color: Palette.text, weight: 'bold', align: 'center' });
  text(ctx, tm, '请用笔尖按住十字中心', g.pad, ty + sc(g, 46), g.width - 2 * g.pad, { size: typeSize(g, 'body'), color: Palette.textMuted, align: 'center' });
  text(ctx, tm, `Touch calibration ${index}/${count}: press and hold the cross`, g.pad, ty + sc(g, 84), g.width - 2 * g.pad, { size: typeSize(g, 'small'), color: Palette.textMuted, align: 'center' });
}
