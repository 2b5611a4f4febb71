/**
 * The frame around every interactive page: a header (back, title in both languages, clock), a
 * footer (home, pager, language) and the idle-warning banner. Pages share it pixel for pixel,
 * so moving between pages changes only the content area on the wire (the presenter sends diffs).
 */
import type { Rect } from '../../lib/frame.js';
import { sc, type ScreenGeometry } from '../geometry.js';
import { typeSize } from '../fonts.js';
import type { Hit, Language, Pager, PageModel } from '../page-model.js';
import { Palette } from '../palette.js';
import { other, t, type StringKey } from '../strings.js';
import { icon } from './icons.js';
import type { Kit } from './kit.js';
import { fillRound, text } from './ui.js';

export interface ChromeRects {
  back: Rect;
  home: Rect;
  prev: Rect;
  next: Rect;
  pagerText: Rect;
  lang: Rect;
  idle: Rect;
}

export function chromeRects(g: ScreenGeometry): ChromeRects {
  const fy = g.height - g.footerH;
  const m = sc(g, 8);
  const bh = g.footerH - 2 * m;
  const homeW = sc(g, 150);
  const langW = sc(g, 116);
  const arrowW = sc(g, 72);
  const mid = homeW + m * 2;
  const midEnd = g.width - langW - m * 2;
  return {
    back: { x: 0, y: 0, w: g.headerH, h: g.headerH },
    home: { x: m, y: fy + m, w: homeW, h: bh },
    lang: { x: g.width - m - langW, y: fy + m, w: langW, h: bh },
    prev: { x: mid, y: fy + m, w: arrowW, h: bh },
    next: { x: midEnd - arrowW, y: fy + m, w: arrowW, h: bh },
    pagerText: { x: mid + arrowW, y: fy + m, w: midEnd - mid - 2 * arrowW, h: bh },
    idle: { x: g.pad, y: fy - sc(g, 100), w: g.width - 2 * g.pad, h: sc(g, 92) },
  };
}

export interface ChromeOptions {
  back?: boolean;
  pager?: Pager | null;
}

/** Hit regions of the header and footer (pages put theirs before these). */
export function chromeHits(g: ScreenGeometry, o: ChromeOptions = {}): Hit[] {
  const r = chromeRects(g);
  const hits: Hit[] = [];
  if (o.back !== false) hits.push({ id: 'nav:back', rect: r.back, action: { type: 'back' } });
  hits.push({ id: 'nav:home', rect: r.home, action: { type: 'home' } });
  if (o.pager && o.pager.count > 1) {
    if (o.pager.index > 1) hits.push({ id: 'nav:prev', rect: r.prev, action: { type: 'page', delta: -1 } });
    if (o.pager.index < o.pager.count) hits.push({ id: 'nav:next', rect: r.next, action: { type: 'page', delta: 1 } });
  }
  hits.push({ id: 'nav:lang', rect: r.lang, action: { type: 'lang' } });
  return hits;
}

/** The idle banner's hit goes last, on top of everything. */
export function idleHit(g: ScreenGeometry, m: { idle: PageModel['idle'] }): Hit[] {
  return m.idle ? [{ id: 'idle:extend', rect: chromeRects(g).idle, action: { type: 'extend' } }] : [];
}

/** Header with a bilingual title: the session language large, the other one small beneath. */
export function drawHeader(k: Kit, m: PageModel, title: StringKey | { primary: string; secondary: string }, o: ChromeOptions = {}): void {
  const { ctx, g, tm } = k;
  const lang = m.lang;
  ctx.fillStyle = Palette.surface;
  ctx.fillRect(0, 0, g.width, g.headerH);
  ctx.fillStyle = Palette.accent;
  ctx.fillRect(0, g.headerH - sc(g, 3), g.width, sc(g, 3));
  const r = chromeRects(g);
  let x = g.pad;
  if (o.back !== false) {
    icon(ctx, 'back', r.back.x + r.back.w / 2, r.back.y + sc(g, 40), sc(g, 36), Palette.text);
    text(ctx, tm, t(lang, 'back'), r.back.x, r.back.y + sc(g, 66), r.back.w, { size: typeSize(g, 'small'), color: Palette.textMuted, align: 'center' });
    ctx.fillStyle = Palette.line;
    ctx.fillRect(r.back.x + r.back.w, sc(g, 18), sc(g, 2), g.headerH - sc(g, 36));
    x = r.back.x + r.back.w + sc(g, 16);
  }
  const clockW = sc(g, 96);
  const titleW = g.width - x - clockW - g.pad;
  const primary = typeof title === 'string' ? t(lang, title) : title.primary;
  const secondary = typeof title === 'string' ? t(other(lang), title) : title.secondary;
  text(ctx, tm, primary, x, sc(g, 16), titleW, { size: typeSize(g, 'h2'), color: Palette.text, weight: 'bold' });
  text(ctx, tm, secondary, x, sc(g, 60), titleW, { size: typeSize(g, 'small'), color: Palette.textMuted });
  text(ctx, tm, m.clock.time, g.width - g.pad - clockW, sc(g, 34), clockW, { size: typeSize(g, 'title'), color: Palette.text, weight: 'bold', align: 'right' });
}

export function drawFooter(k: Kit, m: PageModel, o: ChromeOptions = {}): void {
  const { ctx, g, tm } = k;
  const r = chromeRects(g);
  const fy = g.height - g.footerH;
  ctx.fillStyle = Palette.surface;
  ctx.fillRect(0, fy, g.width, g.footerH);
  ctx.fillStyle = Palette.line;
  ctx.fillRect(0, fy, g.width, sc(g, 2));
  const lang: Language = m.lang;
  const size = typeSize(g, 'body');
  // Home: icon + label.
  fillRound(ctx, r.home, sc(g, 14), Palette.surfaceRaised);
  icon(ctx, 'home', r.home.x + sc(g, 34), r.home.y + r.home.h / 2, sc(g, 30), Palette.text);
  text(ctx, tm, t(lang, 'home'), r.home.x + sc(g, 58), r.home.y + (r.home.h - size * 1.25) / 2, r.home.w - sc(g, 64), { size, color: Palette.text, weight: 'bold' });
  // Language: names the language you switch to.
  fillRound(ctx, r.lang, sc(g, 14), Palette.surfaceRaised);
  text(ctx, tm, t(lang, 'switchLang'), r.lang.x, r.lang.y + (r.lang.h - size * 1.25) / 2, r.lang.w, { size, color: Palette.text, weight: 'bold', align: 'center' });
  // Pager.
  const p = o.pager;
  if (p && p.count > 1) {
    const small = typeSize(g, 'body');
    text(ctx, tm, `${p.index}/${p.count}`, r.pagerText.x, r.pagerText.y + (r.pagerText.h - small * 1.25) / 2, r.pagerText.w, { size: small, color: Palette.text, weight: 'bold', align: 'center' });
    for (const [rect, name, enabled] of [[r.prev, 'prev', p.index > 1], [r.next, 'next', p.index < p.count]] as const) {
      fillRound(ctx, rect, sc(g, 14), enabled ? Palette.surfaceRaised : Palette.surface);
      icon(ctx, name, rect.x + rect.w / 2, rect.y + rect.h / 2, sc(g, 30), enabled ? Palette.text : Palette.line);
    }
  }
}

export function drawIdleBanner(k: Kit, m: PageModel): void {
  if (!m.idle) return;
  const { ctx, g, tm } = k;
  const r = chromeRects(g).idle;
  ctx.save();
  ctx.shadowColor = 'rgba(0,0,0,0.5)';
  ctx.shadowBlur = sc(g, 12);
  fillRound(ctx, r, sc(g, 16), Palette.cue);
  ctx.restore();
  icon(ctx, 'clock', r.x + sc(g, 40), r.y + r.h / 2, sc(g, 40), Palette.cueText);
  const x = r.x + sc(g, 76);
  const w = r.w - sc(g, 88);
  text(ctx, tm, t(m.lang, 'idleTitle', { n: m.idle.secondsLeft }), x, r.y + sc(g, 12), w, { size: typeSize(g, 'title'), color: Palette.cueText, weight: 'bold' });
  text(ctx, tm, t(m.lang, 'idleHint'), x, r.y + sc(g, 52), w, { size: typeSize(g, 'small'), color: Palette.cueText });
}

/** Paints the page background, then the header, footer and banner every inner page shares. */
export function drawChrome(k: Kit, m: PageModel, title: Parameters<typeof drawHeader>[2], o: ChromeOptions = {}): void {
  k.ctx.fillStyle = Palette.background;
  k.ctx.fillRect(0, 0, k.g.width, k.g.height);
  drawHeader(k, m, title, o);
  drawFooter(k, m, o);
}
