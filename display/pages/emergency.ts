/**
 * Emergency takeover (docs/screen.md §Behaviour, §Bilingual emergencies): full screen, high
 * contrast, for emergency-priority notices (CAP alerts arrive as such). It pre-empts every other
 * page until withdrawn or expired; touch does nothing here, so nobody can dismiss it by accident.
 *
 * An alert in two languages shows both at once, stacked (the portrait panel's "side by side"):
 * the session language first, each with its headline. The builder picks the largest type step at
 * which everything fits on one screen; a longer alert splits both bodies in parallel over screens
 * that turn every EMERGENCY_DWELL_MS, every screen carrying both headlines.
 */
import { sc, type ScreenGeometry } from '../geometry.js';
import { font, typeSize, type TypeRole } from '../fonts.js';
import type { EmergencyBlock, EmergencyPage, EmergencyTextStep, Hit, Language, PageContent } from '../page-model.js';
import { Palette } from '../palette.js';
import { t } from '../strings.js';
import { breakLines, fitLines } from '../text/line-break.js';
import type { TextMeasure } from '../text/measure.js';
import { warningIcon } from '../draw/icons.js';
import type { Kit } from '../draw/kit.js';
import { drawLines, text } from '../draw/ui.js';

/** How long each screen of a long alert stays up: two screens make a 10 s cycle. */
export const EMERGENCY_DWELL_MS = 5000;
/** Headline lines kept per language (a CAP headline is one sentence). */
const TITLE_LINES = 3;

interface Step { title: TypeRole; titleLH: number; body: TypeRole; bodyLH: number }
const STEPS: Record<EmergencyTextStep, Step> = {
  0: { title: 'display', titleLH: 56, body: 'h2', bodyLH: 42 },
  1: { title: 'h1', titleLH: 46, body: 'title', bodyLH: 36 },
  2: { title: 'h2', titleLH: 40, body: 'body', bodyLH: 32 },
  // The legibility floor (10 mm at 0.5 mm pitch): one still screen reads better than two turning ones.
  3: { title: 'title', titleLH: 34, body: 'small', bodyLH: 27 },
};
const LAST_STEP: EmergencyTextStep = 3;
const BAND_H = 120;
const TITLE_GAP = 10;
/** Rule between the two languages: gap, 4-px rule, gap. */
const SEPARATOR = 36;

export function emergencyHits(_g: ScreenGeometry, _c: PageContent<EmergencyPage>): Hit[] {
  return [];
}

function layout(g: ScreenGeometry) {
  const bandH = sc(g, BAND_H);
  const top = bandH + sc(g, 58);
  const bottom = g.height - sc(g, 74);
  return { bandH, dateY: bandH + sc(g, 14), top, bottom, foot: g.height - sc(g, 62), x: sc(g, 26), w: g.width - 2 * sc(g, 26) };
}

export function stepSizes(g: ScreenGeometry, step: EmergencyTextStep) {
  const s = STEPS[step];
  return { title: typeSize(g, s.title), titleLH: sc(g, s.titleLH), body: typeSize(g, s.body), bodyLH: sc(g, s.bodyLH) };
}

export interface AlertText { lang: Language; title: string; body: string }

/**
 * The screens of an alert: everything on one still screen at the largest step where it fits;
 * else the largest step where it fits on two (a 10 s cycle); else the smallest step, on as many
 * screens as it needs. Bodies are shared out over the screens in proportion to their length, so
 * both languages are on every screen and end together.
 */
export function emergencyScreens(g: ScreenGeometry, tm: TextMeasure, parts: readonly AlertText[]): { step: EmergencyTextStep; screens: EmergencyBlock[][] } {
  const L = layout(g);
  const plans = ([0, 1, 2, LAST_STEP] as const).map((step) => {
    const S = stepSizes(g, step);
    const titles = parts.map((p) => fitLines(p.title, L.w, TITLE_LINES, tm.fn(font(S.title, 'bold'))).lines.map((l) => l.text));
    const bodies = parts.map((p) => (p.body ? breakLines(p.body, L.w, tm.fn(font(S.body))).map((l) => l.text) : []));
    const fixed = titles.reduce((a, x) => a + x.length * S.titleLH + sc(g, TITLE_GAP), 0) + (parts.length - 1) * sc(g, SEPARATOR);
    const capacity = Math.max(parts.length, Math.floor((L.bottom - L.top - fixed) / S.bodyLH));
    const total = Math.max(1, bodies.reduce((a, b) => a + b.length, 0));
    const caps = bodies.map((b) => (b.length <= capacity && total <= capacity ? b.length : Math.max(1, Math.floor((capacity * b.length) / total))));
    const count = Math.max(1, ...bodies.map((b, i) => Math.ceil(b.length / Math.max(1, caps[i]!))));
    return { step, titles, bodies, caps, count };
  });
  const plan = plans.find((p) => p.count === 1) ?? plans.find((p) => p.count <= 2) ?? plans.at(-1)!;
  const screens = Array.from({ length: plan.count }, (_, k) => parts.map((p, i) => ({
    lang: p.lang, title: plan.titles[i]!, lines: plan.bodies[i]!.slice(k * plan.caps[i]!, (k + 1) * plan.caps[i]!),
  })));
  return { step: plan.step, screens };
}

export function drawEmergency(k: Kit, m: EmergencyPage): void {
  const { ctx, g, tm } = k;
  const L = layout(g);
  ctx.fillStyle = Palette.emergencyBg;
  ctx.fillRect(0, 0, g.width, g.height);

  // White band: the word "emergency" in both languages, readable from across the street.
  ctx.fillStyle = Palette.emergencyBand;
  ctx.fillRect(0, 0, g.width, L.bandH);
  warningIcon(ctx, L.x + sc(g, 42), L.bandH / 2, sc(g, 80), Palette.emergencyBg, Palette.emergencyBand);
  const tx = L.x + sc(g, 100);
  text(ctx, tm, t('zh', 'emergency'), tx, sc(g, 12), g.width - tx - L.x, { size: typeSize(g, 'display'), color: Palette.emergencyBandText, weight: 'bold' });
  text(ctx, tm, t('en', 'emergency') + (m.rotation.count > 1 ? `  ${m.rotation.index}/${m.rotation.count}` : ''), tx, sc(g, 72), g.width - tx - L.x, { size: typeSize(g, 'title'), color: Palette.emergencyBandText, weight: 'bold' });

  const small = { size: typeSize(g, 'body'), color: Palette.emergencyText };
  const cycleW = m.cycle.count > 1 ? text(ctx, tm, `${m.cycle.index}/${m.cycle.count}`, L.x, L.dateY, L.w, { ...small, weight: 'bold', align: 'right' }) + sc(g, 12) : 0;
  text(ctx, tm, `${m.clock.date}  ${m.clock.time}`, L.x, L.dateY, L.w - cycleW, small);

  const S = stepSizes(g, m.step);
  let y = L.top;
  m.blocks.forEach((b, i) => {
    if (i > 0) {
      y += sc(g, (SEPARATOR - 4) / 2);
      ctx.fillStyle = Palette.emergencyText;
      ctx.fillRect(L.x, y, L.w, sc(g, 4));
      y += sc(g, 4) + sc(g, (SEPARATOR - 4) / 2);
    }
    drawLines(ctx, tm, b.title, L.x, y, { size: S.title, color: Palette.emergencyText, weight: 'bold', lineHeight: S.titleLH });
    y += b.title.length * S.titleLH + sc(g, TITLE_GAP);
    drawLines(ctx, tm, b.lines, L.x, y, { size: S.body, color: Palette.emergencyText, lineHeight: S.bodyLH });
    y += b.lines.length * S.bodyLH;
  });

  ctx.fillStyle = Palette.emergencyText;
  ctx.fillRect(0, L.foot, g.width, sc(g, 2));
  text(ctx, tm, t(m.lang, 'hotline'), L.x, L.foot + sc(g, 16), L.w, { size: typeSize(g, 'small'), color: Palette.emergencyText, weight: 'bold', align: 'center' });
}
