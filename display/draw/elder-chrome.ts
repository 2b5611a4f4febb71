/**
 * The frame around elder-mode pages (docs/screen.md §Elder mode): every size 1.5 × the standard
 * type scale, every control ≥ 15 mm. A taller header (back, title) and footer (首页 to the elder
 * home, 普通模式 back to the standard pages, the language), and the list pager as two wide
 * buttons inside the content, so nothing needs a small target.
 */
import type { Rect } from '../../lib/frame.js';
import { sc, type ScreenGeometry } from '../geometry.js';
import { font, typeSize, type TypeRole } from '../fonts.js';
import type { Hit, Language, Pager, PageModel } from '../page-model.js';
import { Palette } from '../palette.js';
import { t } from '../strings.js';
import { icon } from './icons.js';
import type { Kit } from './kit.js';
import { fillRound, text, textBlock } from './ui.js';

/** Elder mode's smallest touch target (适老化 guidance; ≥ 1.5 × the standard 9 mm, rounded up). */
export const ELDER_MIN_TARGET_MM = 15;
/** Elder text is this many times the standard size of the same role. */
export const ELDER_TEXT_SCALE = 1.5;

/** The elder size of a type role: 1.5 × its standard size (small 20 → 30 px at 480 px width). */
export function elderSize(g: ScreenGeometry, role: TypeRole): number {
  return Math.ceil(ELDER_TEXT_SCALE * typeSize(g, role));
}

export function elderRects(g: ScreenGeometry) {
  const headerH = sc(g, 136);
  const footerH = sc(g, 112);
  const m = sc(g, 8);
  const fy = g.height - footerH;
  const bw = Math.floor((g.width - 2 * g.pad - 2 * g.gap) / 3);
  const btn = (i: number): Rect => ({ x: g.pad + i * (bw + g.gap), y: fy + m, w: bw, h: footerH - 2 * m });
  const content = { x: g.pad, y: headerH + g.gap, w: g.width - 2 * g.pad, h: fy - g.gap - headerH - g.gap };
  const pagerH = sc(g, 96);
  const half = Math.floor((content.w - g.gap) / 2);
  const pagerY = content.y + content.h - pagerH;
  return {
    headerH, footerH, content,
    back: { x: 0, y: 0, w: headerH, h: headerH },
    home: btn(0), standard: btn(1), lang: btn(2),
    /** Lists end above the pager row. */
    listBottom: pagerY - g.gap,
    prev: { x: content.x, y: pagerY, w: half, h: pagerH },
    next: { x: content.x + content.w - half, y: pagerY, w: half, h: pagerH },
  };
}

export interface ElderChromeOptions { back?: boolean; pager?: Pager | null }

export function elderChromeHits(g: ScreenGeometry, o: ElderChromeOptions = {}): Hit[] {
  const r = elderRects(g);
  const hits: Hit[] = [];
  if (o.back !== false) hits.push({ id: 'nav:back', rect: r.back, action: { type: 'back' } });
  if (o.pager && o.pager.count > 1) {
    if (o.pager.index > 1) hits.push({ id: 'nav:prev', rect: r.prev, action: { type: 'page', delta: -1 } });
    if (o.pager.index < o.pager.count) hits.push({ id: 'nav:next', rect: r.next, action: { type: 'page', delta: 1 } });
  }
  hits.push(
    { id: 'nav:home', rect: r.home, action: { type: 'home' } },
    { id: 'nav:standard', rect: r.standard, action: { type: 'standard' } },
    { id: 'nav:lang', rect: r.lang, action: { type: 'lang' } },
  );
  return hits;
}

function button(k: Kit, r: Rect, label: string, color: string, textColor: string): void {
  const { ctx, g, tm } = k;
  const size = elderSize(g, 'small');
  fillRound(ctx, r, sc(g, 16), color);
  text(ctx, tm, label, r.x + sc(g, 6), r.y + Math.round((r.h - size * 1.3) / 2), r.w - sc(g, 12), { size, color: textColor, weight: 'bold', align: 'center' });
}

/** Background, header (back + title + clock) and footer of an elder page; the pager row when paged. */
export function drawElderChrome(k: Kit, m: PageModel, title: string, o: ElderChromeOptions = {}): void {
  const { ctx, g, tm } = k;
  const r = elderRects(g);
  const lang: Language = m.lang;
  ctx.fillStyle = Palette.background;
  ctx.fillRect(0, 0, g.width, g.height);
  ctx.fillStyle = Palette.surface;
  ctx.fillRect(0, 0, g.width, r.headerH);
  ctx.fillStyle = Palette.accent;
  ctx.fillRect(0, r.headerH - sc(g, 4), g.width, sc(g, 4));
  let x = g.pad;
  if (o.back !== false) {
    icon(ctx, 'back', r.back.x + r.back.w / 2, r.back.y + sc(g, 48), sc(g, 52), Palette.text);
    text(ctx, tm, t(lang, 'back'), r.back.x, r.back.y + sc(g, 84), r.back.w, { size: elderSize(g, 'small'), color: Palette.text, weight: 'bold', align: 'center' });
    ctx.fillStyle = Palette.line;
    ctx.fillRect(r.back.x + r.back.w, sc(g, 18), sc(g, 2), r.headerH - sc(g, 36));
    x = r.back.x + r.back.w + sc(g, 16);
  }
  const clockW = o.back === false ? sc(g, 120) : 0;
  const size = elderSize(g, 'title');
  const w = g.width - x - g.pad - clockW;
  // One line at the title size when it fits, else two.
  const oneLine = tm.width(font(size, 'bold'), title) <= w;
  textBlock(ctx, tm, title, { x, y: oneLine ? Math.round((r.headerH - size * 1.3) / 2) : sc(g, 14), w, h: r.headerH - sc(g, 20) }, { size, color: Palette.text, weight: 'bold', maxLines: 2, lineHeight: Math.round(size * 1.2) });
  if (clockW) text(ctx, tm, m.clock.time, g.width - g.pad - clockW, Math.round((r.headerH - size * 1.3) / 2), clockW, { size, color: Palette.text, weight: 'bold', align: 'right' });

  const fy = g.height - r.footerH;
  ctx.fillStyle = Palette.surface;
  ctx.fillRect(0, fy, g.width, r.footerH);
  button(k, r.home, t(lang, 'home'), Palette.surfaceRaised, Palette.text);
  button(k, r.standard, t(lang, 'standardMode'), Palette.surfaceRaised, Palette.text);
  button(k, r.lang, t(lang, 'switchLang'), Palette.surfaceRaised, Palette.text);

  const p = o.pager;
  if (p && p.count > 1) {
    const ps = elderSize(g, 'small');
    for (const [rect, key, enabled] of [[r.prev, 'prevPage', p.index > 1], [r.next, 'nextPage', p.index < p.count]] as const) {
      fillRound(ctx, rect, sc(g, 16), enabled ? Palette.surfaceRaised : Palette.surface);
      if (enabled) text(ctx, tm, t(lang, key), rect.x, rect.y + sc(g, 10), rect.w, { size: ps, color: Palette.text, weight: 'bold', align: 'center' });
      text(ctx, tm, `${p.index}/${p.count}`, rect.x, rect.y + rect.h - sc(g, 12) - Math.round(ps * 1.3), rect.w, { size: ps, color: Palette.textMuted, align: 'center' });
    }
  }
}
