/**
 * Emergency takeover (docs/screen.md §Behaviour): full screen, high contrast, for emergency-priority
 * notices (CAP alerts arrive as such). It pre-empts every other page until withdrawn or expired; touch
 * does nothing here, so nobody can dismiss it by accident.
 */
import { sc, type ScreenGeometry } from '../geometry.js';
import { typeSize } from '../fonts.js';
import type { EmergencyPage, Hit, PageContent } from '../page-model.js';
import { Palette } from '../palette.js';
import { t } from '../strings.js';
import { warningIcon } from '../draw/icons.js';
import type { Kit } from '../draw/kit.js';
import { text, textBlock } from '../draw/ui.js';

export function emergencyHits(_g: ScreenGeometry, _c: PageContent<EmergencyPage>): Hit[] {
  return [];
}

export function drawEmergency(k: Kit, m: EmergencyPage): void {
  const { ctx, g, tm } = k;
  const pad = sc(g, 26);
  ctx.fillStyle = Palette.emergencyBg;
  ctx.fillRect(0, 0, g.width, g.height);

  // White band: the word "emergency" in both languages, readable from across the street.
  const bandH = sc(g, 132);
  ctx.fillStyle = Palette.emergencyBand;
  ctx.fillRect(0, 0, g.width, bandH);
  warningIcon(ctx, pad + sc(g, 42), bandH / 2, sc(g, 84), Palette.emergencyBg, Palette.emergencyBand);
  const tx = pad + sc(g, 100);
  text(ctx, tm, t('zh', 'emergency'), tx, sc(g, 18), g.width - tx - pad, { size: typeSize(g, 'display'), color: Palette.emergencyBandText, weight: 'bold' });
  text(ctx, tm, t('en', 'emergency') + (m.rotation.count > 1 ? `  ${m.rotation.index}/${m.rotation.count}` : ''), tx, sc(g, 80), g.width - tx - pad, { size: typeSize(g, 'title'), color: Palette.emergencyBandText, weight: 'bold' });

  let y = bandH + sc(g, 22);
  text(ctx, tm, `${m.clock.date}  ${m.clock.time}`, pad, y, g.width - 2 * pad, { size: typeSize(g, 'body'), color: Palette.emergencyText });
  y += sc(g, 50);
  y += textBlock(ctx, tm, m.notice.title, { x: pad, y, w: g.width - 2 * pad, h: sc(g, 240) }, { size: typeSize(g, 'display'), color: Palette.emergencyText, weight: 'bold', maxLines: 4, lineHeight: sc(g, 58) });
  y += sc(g, 18);
  ctx.fillStyle = Palette.emergencyText;
  ctx.fillRect(pad, y, g.width - 2 * pad, sc(g, 4));
  y += sc(g, 22);
  const bottom = g.height - sc(g, 84);
  textBlock(ctx, tm, m.notice.body, { x: pad, y, w: g.width - 2 * pad, h: bottom - y }, { size: typeSize(g, 'h2'), color: Palette.emergencyText, lineHeight: sc(g, 44) });
  ctx.fillRect(0, bottom + sc(g, 8), g.width, sc(g, 2));
  text(ctx, tm, t(m.lang, 'hotline'), pad, bottom + sc(g, 26), g.width - 2 * pad, { size: typeSize(g, 'small'), color: Palette.emergencyText, weight: 'bold', align: 'center' });
}
