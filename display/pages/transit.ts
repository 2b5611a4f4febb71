/**
 * Transit (docs/screen.md §Behaviour): nearby stops, nearest first, with the next arrivals of each
 * line (live when the feed is fresh, else from the timetable); one stop in full.
 */
import type { Rect } from '../../lib/frame.js';
import { sc, type ScreenGeometry } from '../geometry.js';
import { typeSize } from '../fonts.js';
import type { ArrivalView, Hit, PageContent, StopView, TransitPage, TransitStopPage } from '../page-model.js';
import { Palette } from '../palette.js';
import { t } from '../strings.js';
import { chromeHits, drawChrome } from '../draw/chrome.js';
import { icon } from '../draw/icons.js';
import type { Kit } from '../draw/kit.js';
import { contentBottom } from '../draw/grid.js';
import { badge, fillRound, text } from '../draw/ui.js';
import { unavailable } from './services.js';

export const STOPS_PER_PAGE = 2;
/** Lines shown on a stop card in the list; all lines on the stop's own page, paged. */
export const LINES_PER_CARD = 4;
export const LINES_PER_STOP_PAGE = 6;

const HEAD = 62;
const LINE_H = 50;

function updatedBar(g: ScreenGeometry): Rect {
  return { x: g.content.x, y: contentBottom(g) - sc(g, 28), w: g.content.w, h: sc(g, 28) };
}

function stopCards(g: ScreenGeometry, stops: { lines: unknown[] }[]): Rect[] {
  let y = g.content.y;
  return stops.map((s) => {
    const h = sc(g, HEAD + 14) + Math.min(LINES_PER_CARD, Math.max(1, s.lines.length)) * sc(g, LINE_H);
    const r = { x: g.content.x, y, w: g.content.w, h };
    y += h + g.gap;
    return r;
  });
}

export function transitHits(g: ScreenGeometry, c: PageContent<TransitPage>): Hit[] {
  const cards = stopCards(g, c.stops);
  return [...c.stops.map((s, i) => ({ id: `stop:${s.id}`, rect: cards[i]!, action: { type: 'open-stop' as const, id: s.id } })), ...chromeHits(g, { pager: c.pager })];
}

function drawArrival(k: Kit, a: ArrivalView, x: number, y: number, w: number): void {
  const { ctx, g, tm } = k;
  const bw = badge(ctx, tm, a.line, x, y + sc(g, 8), { size: typeSize(g, 'small'), fg: Palette.busyText, bg: Palette.busy });
  const nextW = text(ctx, tm, a.next, x, y + sc(g, 6), w, { size: typeSize(g, 'body'), color: a.live ? Palette.cue : Palette.text, weight: 'bold', align: 'right' });
  text(ctx, tm, a.toward, x + Math.max(bw, sc(g, 76)) + sc(g, 10), y + sc(g, 9), w - Math.max(bw, sc(g, 76)) - nextW - sc(g, 22), { size: typeSize(g, 'small'), color: Palette.textMuted });
}

function drawStopCard(k: Kit, s: StopView, r: Rect, lines: ArrivalView[], chevron: boolean): void {
  const { ctx, g, tm } = k;
  fillRound(ctx, r, sc(g, 16), Palette.surface);
  const x = r.x + sc(g, 18);
  const w = r.w - sc(g, 36);
  icon(ctx, s.kind === 'metro' ? 'metro' : 'transit', x + sc(g, 14), r.y + sc(g, 30), sc(g, 28), Palette.tileTransit);
  const dw = text(ctx, tm, s.distance, x, r.y + sc(g, 18), w - (chevron ? sc(g, 18) : 0), { size: typeSize(g, 'small'), color: Palette.accent, weight: 'bold', align: 'right' });
  text(ctx, tm, s.name, x + sc(g, 40), r.y + sc(g, 12), w - sc(g, 40) - dw - sc(g, 30), { size: typeSize(g, 'title'), color: Palette.text, weight: 'bold' });
  if (chevron) icon(ctx, 'next', r.x + r.w - sc(g, 18), r.y + sc(g, 31), sc(g, 16), Palette.textMuted);
  ctx.fillStyle = Palette.line;
  ctx.fillRect(x, r.y + sc(g, HEAD), w, sc(g, 1));
  lines.forEach((a, i) => drawArrival(k, a, x, r.y + sc(g, HEAD + 6) + i * sc(g, LINE_H), w));
}

export function drawTransit(k: Kit, m: TransitPage): void {
  const { g } = k;
  drawChrome(k, m, 'transit', { pager: m.pager });
  if (!m.available) return unavailable(k, t(m.lang, 'transitUnavailable'), 'transit');
  const cards = stopCards(g, m.stops);
  m.stops.forEach((s, i) => drawStopCard(k, s, cards[i]!, s.lines.slice(0, LINES_PER_CARD), true));
  drawUpdated(k, m);
}

/**
 * The feed's state under the cards: "live · updated 18:40", or — once the live feed is older than
 * its window — the timetable note and a cue-coloured badge saying when live data stopped.
 */
function drawUpdated(k: Kit, m: TransitPage | TransitStopPage): void {
  const { ctx, g, tm } = k;
  if (!m.updated) return;
  const u = updatedBar(g);
  if (!m.staleMark) {
    text(ctx, tm, m.updated, u.x, u.y, u.w, { size: typeSize(g, 'small'), color: Palette.textMuted, align: 'right' });
    return;
  }
  const size = typeSize(g, 'small');
  const h = Math.round(size * 1.55);
  const y = u.y + u.h - h;
  const bw = badge(ctx, tm, m.staleMark, u.x, y, { size, fg: Palette.cueText, bg: Palette.cue });
  text(ctx, tm, m.updated, u.x + bw + sc(g, 10), y + Math.round((h - size * 1.3) / 2), u.w - bw - sc(g, 10), { size, color: Palette.text, align: 'right' });
}

export function transitStopHits(g: ScreenGeometry, c: PageContent<TransitStopPage>): Hit[] {
  return chromeHits(g, { pager: c.pager });
}

export function drawTransitStop(k: Kit, m: TransitStopPage): void {
  const { g } = k;
  drawChrome(k, m, { primary: m.stop.name, secondary: t(m.lang === 'zh' ? 'en' : 'zh', 'transit') }, { pager: m.pager });
  const h = sc(g, HEAD + 14) + Math.max(1, m.stop.lines.length) * sc(g, LINE_H);
  drawStopCard(k, m.stop, { x: g.content.x, y: g.content.y, w: g.content.w, h }, m.stop.lines, false);
  drawUpdated(k, m);
}
