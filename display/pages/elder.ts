/**
 * Elder mode (适老化, docs/screen.md §Elder mode): a large-text, simplified set of pages one tap
 * from the attract loop and from home. The home page puts the hotlines first, then the four most
 * used services, then all services as a short list: no pinyin keyboard is needed to reach any
 * place. Text is 1.5 × the standard size, every control ≥ 15 mm.
 */
import type { Rect } from '../../lib/frame.js';
import { sc, type ScreenGeometry } from '../geometry.js';
import type { ElderHomePage, ElderPlacePage, ElderPlacesPage, ElderServicesPage, Hit, PageContent } from '../page-model.js';
import { Palette } from '../palette.js';
import { t } from '../strings.js';
import { drawElderChrome, elderChromeHits, elderRects, elderSize } from '../draw/elder-chrome.js';
import { icon, type IconName } from '../draw/icons.js';
import type { Kit } from '../draw/kit.js';
import { grid, rows } from '../draw/grid.js';
import { drawQr } from '../draw/qr.js';
import { fillRound, text, textBlock } from '../draw/ui.js';
import { font } from '../fonts.js';
import { breakLines } from '../text/line-break.js';

/** The services on the elder home page (docs/screen.md: the four most used). */
export const ELDER_HOME_SERVICES = 4;
export const ELDER_CATEGORIES_PER_PAGE = 4;
export const ELDER_PLACES_PER_PAGE = 3;

function homeLayout(g: ScreenGeometry): { hotline: Rect; services: Rect[]; all: Rect } {
  const c = elderRects(g).content;
  const hotline = { x: c.x, y: c.y, w: c.w, h: sc(g, 138) };
  const allH = sc(g, 92);
  const all = { x: c.x, y: c.y + c.h - allH, w: c.w, h: allH };
  const top = hotline.y + hotline.h + g.gap;
  const h = Math.floor((all.y - g.gap - top - g.gap) / 2);
  return { hotline, services: grid(g, top, ELDER_HOME_SERVICES, 2, h), all };
}

export function elderHomeHits(g: ScreenGeometry, c: PageContent<ElderHomePage>): Hit[] {
  const L = homeLayout(g);
  return [
    ...c.services.map((s, i) => ({ id: `elder:svc:${s.id}`, rect: L.services[i]!, action: { type: 'elder-category' as const, id: s.id } })),
    { id: 'elder:all', rect: L.all, action: { type: 'go', to: 'elder-services' } },
    ...elderChromeHits(g, { back: false }),
  ];
}

export function drawElderHome(k: Kit, m: ElderHomePage): void {
  const { ctx, g, tm } = k;
  drawElderChrome(k, m, t(m.lang, 'elderTitle'), { back: false });
  const L = homeLayout(g);

  // The hotlines first: always a way to reach a person.
  const h = L.hotline;
  fillRound(ctx, h, sc(g, 20), Palette.surfaceRaised);
  icon(ctx, 'phone', h.x + sc(g, 40), h.y + sc(g, 50), sc(g, 48), Palette.cue);
  const big = elderSize(g, 'display');
  const nw = text(ctx, tm, m.hotline.number, h.x + sc(g, 78), h.y + sc(g, 8), sc(g, 220), { size: big, color: Palette.cue, weight: 'bold' });
  const lx = h.x + sc(g, 78) + nw + sc(g, 16);
  text(ctx, tm, m.hotline.label, lx, h.y + sc(g, 30), h.x + h.w - lx - sc(g, 16), { size: elderSize(g, 'small'), color: Palette.text, weight: 'bold' });
  text(ctx, tm, m.hotline.others, h.x + sc(g, 24), h.y + h.h - sc(g, 52), h.w - sc(g, 40), { size: elderSize(g, 'small'), color: Palette.text });

  // The four most used services.
  const nameSize = elderSize(g, 'body');
  m.services.forEach((s, i) => {
    const r = L.services[i]!;
    fillRound(ctx, r, sc(g, 18), Palette.surface);
    ctx.fillStyle = Palette.tileServices;
    ctx.fillRect(r.x, r.y + sc(g, 18), sc(g, 8), r.h - sc(g, 36));
    textBlock(ctx, tm, s.name, { x: r.x + sc(g, 24), y: r.y + sc(g, 14), w: r.w - sc(g, 36), h: r.h - sc(g, 20) }, { size: nameSize, color: Palette.text, weight: 'bold', maxLines: 3, lineHeight: Math.round(nameSize * 1.18) });
  });

  const a = L.all;
  fillRound(ctx, a, sc(g, 18), Palette.accent);
  icon(ctx, 'services', a.x + sc(g, 44), a.y + a.h / 2, sc(g, 44), Palette.accentText);
  const as = elderSize(g, 'title');
  text(ctx, tm, t(m.lang, 'allServices'), a.x + sc(g, 84), a.y + Math.round((a.h - as * 1.3) / 2), a.w - sc(g, 130), { size: as, color: Palette.accentText, weight: 'bold' });
  icon(ctx, 'next', a.x + a.w - sc(g, 34), a.y + a.h / 2, sc(g, 30), Palette.accentText);
}

function listRows(g: ScreenGeometry, n: number): Rect[] {
  const r = elderRects(g);
  return rows(g, r.content.y, r.listBottom, n);
}

export function elderServicesHits(g: ScreenGeometry, c: PageContent<ElderServicesPage>): Hit[] {
  const r = listRows(g, ELDER_CATEGORIES_PER_PAGE);
  return [
    ...c.categories.map((cat, i) => ({ id: `row:${i}`, rect: r[i]!, action: { type: 'elder-category' as const, id: cat.id } })),
    ...elderChromeHits(g, { pager: c.pager }),
  ];
}

function rowCard(k: Kit, r: Rect, iconName: IconName): void {
  const { ctx, g } = k;
  fillRound(ctx, r, sc(g, 18), Palette.surface);
  icon(ctx, iconName, r.x + r.w - sc(g, 30), r.y + r.h / 2, sc(g, 28), Palette.textMuted);
}

export function drawElderServices(k: Kit, m: ElderServicesPage): void {
  const { ctx, g, tm } = k;
  drawElderChrome(k, m, t(m.lang, 'allServices'), { pager: m.pager });
  if (!m.available) return elderMessage(k, t(m.lang, 'servicesUnavailable'));
  const r = listRows(g, ELDER_CATEGORIES_PER_PAGE);
  const size = elderSize(g, 'body');
  m.categories.forEach((cat, i) => {
    const row = r[i]!;
    rowCard(k, row, 'next');
    ctx.fillStyle = Palette.tileServices;
    ctx.fillRect(row.x, row.y + sc(g, 16), sc(g, 8), row.h - sc(g, 32));
    // Vertically centred, one or two lines.
    const lh = Math.round(size * 1.16);
    const w = row.w - sc(g, 80);
    const n = Math.min(2, breakLines(cat.name, w, tm.fn(font(size, 'bold'))).length);
    const top = row.y + Math.round((row.h - ((n - 1) * lh + size * 1.3)) / 2);
    textBlock(ctx, tm, cat.name, { x: row.x + sc(g, 26), y: top, w, h: row.y + row.h - top }, { size, color: Palette.text, weight: 'bold', maxLines: 2, lineHeight: lh });
  });
}

export function elderPlacesHits(g: ScreenGeometry, c: PageContent<ElderPlacesPage>): Hit[] {
  const r = listRows(g, ELDER_PLACES_PER_PAGE);
  return [
    ...c.items.map((it, i) => ({ id: `row:${i}`, rect: r[i]!, action: { type: 'elder-place' as const, id: it.id } })),
    ...elderChromeHits(g, { pager: c.pager }),
  ];
}

export function drawElderPlaces(k: Kit, m: ElderPlacesPage): void {
  const { ctx, g, tm } = k;
  drawElderChrome(k, m, m.title, { pager: m.pager });
  if (m.items.length === 0) return elderMessage(k, t(m.lang, 'noResults'));
  const r = listRows(g, ELDER_PLACES_PER_PAGE);
  const name = elderSize(g, 'body');
  const small = elderSize(g, 'small');
  m.items.forEach((it, i) => {
    const row = r[i]!;
    rowCard(k, row, 'next');
    const x = row.x + sc(g, 20);
    const w = row.w - sc(g, 70);
    const lh = Math.round(name * 1.12);
    textBlock(ctx, tm, it.name, { x, y: row.y + sc(g, 4), w, h: lh + Math.ceil(name * 1.2) + 2 }, { size: name, color: Palette.text, weight: 'bold', maxLines: 2, lineHeight: lh });
    const second = it.open ? `${it.distance} · ${it.open}` : it.distance;
    text(ctx, tm, second, x, row.y + row.h - Math.round(small * 1.2) - sc(g, 4), w, { size: small, color: Palette.accent, weight: 'bold' });
  });
}

function placeLayout(g: ScreenGeometry): { qrCard: Rect; qrBox: Rect } {
  const c = elderRects(g).content;
  const h = sc(g, 184);
  const qrCard = { x: c.x, y: c.y + c.h - h, w: c.w, h };
  const side = h - sc(g, 16);
  return { qrCard, qrBox: { x: qrCard.x + sc(g, 8), y: qrCard.y + sc(g, 8), w: side, h: side } };
}

export function elderPlaceHits(g: ScreenGeometry, _c: PageContent<ElderPlacePage>): Hit[] {
  return elderChromeHits(g);
}

export function drawElderPlace(k: Kit, m: ElderPlacePage): void {
  const { ctx, g, tm } = k;
  const p = m.place;
  drawElderChrome(k, m, t(m.lang, 'services'));
  const c = elderRects(g).content;
  const L = placeLayout(g);
  const nameSize = elderSize(g, 'h2');
  const small = elderSize(g, 'small');
  let y = c.y;
  y += textBlock(ctx, tm, p.name, { x: c.x, y, w: c.w, h: nameSize * 2.6 }, { size: nameSize, color: Palette.text, weight: 'bold', maxLines: 2, lineHeight: Math.round(nameSize * 1.2) });
  y += sc(g, 8);
  text(ctx, tm, p.distance, c.x, y, c.w, { size: small, color: Palette.accent, weight: 'bold' });
  y += Math.round(small * 1.4);
  const rowsSpec: [IconName, string, number, 'normal' | 'bold'][] = [['pin', p.address, 2, 'normal'], ['clock', p.hours, 2, 'normal']];
  if (p.phone) rowsSpec.push(['phone', p.phone, 1, 'bold']);
  for (const [ic, value, lines, weight] of rowsSpec) {
    const room = L.qrCard.y - sc(g, 8) - y;
    if (room < small * 1.3) break;
    icon(ctx, ic, c.x + sc(g, 16), y + Math.round(small * 0.65), sc(g, 30), Palette.accent);
    y += textBlock(ctx, tm, value, { x: c.x + sc(g, 42), y, w: c.w - sc(g, 42), h: room }, { size: small, color: Palette.text, weight, maxLines: lines, lineHeight: Math.round(small * 1.25) }) + sc(g, 8);
  }
  const card = L.qrCard;
  fillRound(ctx, card, sc(g, 18), Palette.surfaceRaised);
  k.placedQr.push(drawQr(ctx, g, k.qr, m.qr.payload, L.qrBox));
  const x = L.qrBox.x + L.qrBox.w + sc(g, 14);
  const w = card.x + card.w - x - sc(g, 12);
  const lh = Math.round(small * 1.22);
  const used = textBlock(ctx, tm, t(m.lang, 'scanOnPhone'), { x, y: card.y + sc(g, 14), w, h: 2 * lh }, { size: small, color: Palette.text, weight: 'bold', maxLines: 2, lineHeight: lh });
  textBlock(ctx, tm, m.qr.caption, { x, y: card.y + sc(g, 22) + used, w, h: card.y + card.h - (card.y + sc(g, 22) + used) - sc(g, 6) }, { size: small, color: Palette.textMuted, lineHeight: lh });
}

function elderMessage(k: Kit, message: string): void {
  const { ctx, g, tm } = k;
  const c = elderRects(g).content;
  const r = { x: c.x, y: c.y + sc(g, 30), w: c.w, h: sc(g, 220) };
  fillRound(ctx, r, sc(g, 20), Palette.surface);
  textBlock(ctx, tm, message, { x: r.x + sc(g, 24), y: r.y + sc(g, 40), w: r.w - sc(g, 48), h: r.h - sc(g, 60) }, { size: elderSize(g, 'title'), color: Palette.text, weight: 'bold', align: 'center', maxLines: 3 });
}
