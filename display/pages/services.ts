/**
 * Services directory (docs/screen.md §Behaviour): categories and a pinyin-initial search; a list of
 * places; one place with its address, hours, distance from this pole and a QR code to continue on a
 * phone.
 */
import type { Rect } from '../../lib/frame.js';
import { sc, type ScreenGeometry } from '../geometry.js';
import { typeSize } from '../fonts.js';
import type { Hit, PageContent, PlaceListItem, ServiceListPage, ServicePage, ServicesPage } from '../page-model.js';
import { Palette } from '../palette.js';
import { t } from '../strings.js';
import { chromeHits, drawChrome } from '../draw/chrome.js';
import { icon, type IconName } from '../draw/icons.js';
import type { Kit } from '../draw/kit.js';
import { contentBottom, grid, rows } from '../draw/grid.js';
import { drawQr } from '../draw/qr.js';
import { fillRound, text, textBlock } from '../draw/ui.js';

/** Category tiles per page of the services page, and places per page of a list. */
export const CATEGORIES_PER_PAGE = 8;
export const PLACES_PER_PAGE = 5;

function servicesLayout(g: ScreenGeometry): { search: Rect; tiles: Rect[] } {
  const search = { x: g.content.x, y: g.content.y, w: g.content.w, h: sc(g, 96) };
  const top = search.y + search.h + g.gap;
  const h = Math.floor((contentBottom(g) - top - 3 * g.gap) / 4);
  return { search, tiles: grid(g, top, CATEGORIES_PER_PAGE, 2, h) };
}

export function servicesHits(g: ScreenGeometry, c: PageContent<ServicesPage>): Hit[] {
  const L = servicesLayout(g);
  return [
    ...(c.available ? [{ id: 'search', rect: L.search, action: { type: 'go' as const, to: 'service-search' as const } }] : []),
    ...c.categories.map((cat, i) => ({ id: `cat:${cat.id}`, rect: L.tiles[i]!, action: { type: 'service-category' as const, id: cat.id } })),
    ...chromeHits(g, { pager: c.pager }),
  ];
}

export function drawServices(k: Kit, m: ServicesPage): void {
  const { ctx, g, tm } = k;
  drawChrome(k, m, 'services', { pager: m.pager });
  if (!m.available) return unavailable(k, t(m.lang, 'servicesUnavailable'), 'services');
  const L = servicesLayout(g);
  const s = L.search;
  fillRound(ctx, s, sc(g, 18), Palette.surfaceRaised);
  icon(ctx, 'search', s.x + sc(g, 44), s.y + s.h / 2, sc(g, 40), Palette.cue);
  text(ctx, tm, t(m.lang, 'search'), s.x + sc(g, 84), s.y + sc(g, 14), s.w - sc(g, 100), { size: typeSize(g, 'title'), color: Palette.text, weight: 'bold' });
  text(ctx, tm, t(m.lang, 'searchHint'), s.x + sc(g, 84), s.y + sc(g, 56), s.w - sc(g, 100), { size: typeSize(g, 'small'), color: Palette.textMuted });
  m.categories.forEach((cat, i) => {
    const r = L.tiles[i]!;
    fillRound(ctx, r, sc(g, 16), Palette.surface);
    ctx.fillStyle = Palette.tileServices;
    ctx.fillRect(r.x, r.y + sc(g, 16), sc(g, 5), r.h - sc(g, 32));
    textBlock(ctx, tm, cat.name, { x: r.x + sc(g, 20), y: r.y + sc(g, 14), w: r.w - sc(g, 32), h: r.h - sc(g, 48) }, { size: typeSize(g, 'body'), color: Palette.text, weight: 'bold', maxLines: 2, lineHeight: sc(g, 32) });
    text(ctx, tm, m.lang === 'zh' ? `${cat.count} 处` : `${cat.count} place${cat.count === 1 ? '' : 's'}`, r.x + sc(g, 20), r.y + r.h - sc(g, 36), r.w - sc(g, 32), { size: typeSize(g, 'small'), color: Palette.textMuted });
  });
}

export function unavailable(k: Kit, message: string, iconName: IconName): void {
  const { ctx, g, tm } = k;
  const r = { x: g.content.x, y: g.content.y + sc(g, 40), w: g.content.w, h: sc(g, 260) };
  fillRound(ctx, r, sc(g, 20), Palette.surface);
  icon(ctx, iconName, r.x + r.w / 2, r.y + sc(g, 80), sc(g, 72), Palette.line);
  textBlock(ctx, tm, message, { x: r.x + sc(g, 24), y: r.y + sc(g, 140), w: r.w - sc(g, 48), h: sc(g, 90) }, { size: typeSize(g, 'title'), color: Palette.text, weight: 'bold', align: 'center', maxLines: 2 });
}

function placeRows(g: ScreenGeometry): Rect[] {
  return rows(g, g.content.y, contentBottom(g), PLACES_PER_PAGE);
}

export function drawPlaceRow(k: Kit, it: PlaceListItem, r: Rect): void {
  const { ctx, g, tm } = k;
  fillRound(ctx, r, sc(g, 16), Palette.surface);
  const x = r.x + sc(g, 18);
  const w = r.w - sc(g, 36);
  const dw = text(ctx, tm, it.distance, x, r.y + sc(g, 12), w, { size: typeSize(g, 'small'), color: Palette.accent, weight: 'bold', align: 'right' });
  text(ctx, tm, it.name, x, r.y + sc(g, 10), w - dw - sc(g, 12), { size: typeSize(g, 'body'), color: Palette.text, weight: 'bold' });
  const second = it.open ? `${it.open} · ${it.address}` : it.address;
  text(ctx, tm, second, x, r.y + r.h - sc(g, 40), w, { size: typeSize(g, 'small'), color: Palette.textMuted });
}

export function serviceListHits(g: ScreenGeometry, c: PageContent<ServiceListPage>): Hit[] {
  const r = placeRows(g);
  return [...c.items.map((it, i) => ({ id: `row:${i}`, rect: r[i]!, action: { type: 'open-service' as const, id: it.id } })), ...chromeHits(g, { pager: c.pager })];
}

export function drawServiceList(k: Kit, m: ServiceListPage): void {
  const { g } = k;
  drawChrome(k, m, { primary: m.title, secondary: m.lang === 'zh' ? `${m.total} 处` : `${m.total} places` }, { pager: m.pager });
  if (m.items.length === 0) return unavailable(k, t(m.lang, 'noResults'), 'search');
  const r = placeRows(g);
  m.items.forEach((it, i) => drawPlaceRow(k, it, r[i]!));
}

function serviceLayout(g: ScreenGeometry): { qrCard: Rect; qrBox: Rect } {
  const cardH = sc(g, 244);
  const qrCard = { x: g.content.x, y: contentBottom(g) - cardH, w: g.content.w, h: cardH };
  const side = cardH - sc(g, 24);
  return { qrCard, qrBox: { x: qrCard.x + sc(g, 12), y: qrCard.y + sc(g, 12), w: side, h: side } };
}

export function serviceHits(g: ScreenGeometry, _c: PageContent<ServicePage>): Hit[] {
  return chromeHits(g);
}

export function drawService(k: Kit, m: ServicePage): void {
  const { ctx, g, tm } = k;
  ctx.fillStyle = Palette.background;
  ctx.fillRect(0, 0, g.width, g.height);
  const p = m.place;
  drawChrome(k, m, { primary: t(m.lang, 'services'), secondary: p.category });
  const L = serviceLayout(g);
  let y = g.content.y + sc(g, 4);
  y += textBlock(ctx, tm, p.name, { x: g.content.x, y, w: g.content.w, h: sc(g, 84) }, { size: typeSize(g, 'h2'), color: Palette.text, weight: 'bold', maxLines: 2, lineHeight: sc(g, 40) });
  y += sc(g, 10);
  text(ctx, tm, p.distance, g.content.x, y, g.content.w, { size: typeSize(g, 'body'), color: Palette.accent, weight: 'bold' });
  y += sc(g, 42);
  const rowsSpec: [IconName, string, number][] = [['pin', p.address, 2], ['clock', p.hours, 2]];
  if (p.phone) rowsSpec.push(['phone', p.phone, 1]);
  if (p.note) rowsSpec.push(['notices', p.note, 2]);
  for (const [ic, value, lines] of rowsSpec) {
    const room = L.qrCard.y - sc(g, 8) - y;
    if (room < sc(g, 30)) break;
    icon(ctx, ic, g.content.x + sc(g, 14), y + sc(g, 15), sc(g, 26), Palette.accent);
    const h = textBlock(ctx, tm, value, { x: g.content.x + sc(g, 40), y, w: g.content.w - sc(g, 40), h: room }, { size: typeSize(g, 'small'), color: Palette.text, maxLines: lines, lineHeight: sc(g, 28) });
    y += h + sc(g, 12);
  }
  drawQrCard(k, L.qrCard, L.qrBox, m.qr.payload, t(m.lang, 'scanOnPhone'), m.qr.caption);
}

/** A white QR code with its caption beside it, on a raised card. */
export function drawQrCard(k: Kit, card: Rect, box: Rect, payload: string, title: string, caption: string): void {
  const { ctx, g, tm } = k;
  fillRound(ctx, card, sc(g, 18), Palette.surfaceRaised);
  k.placedQr.push(drawQr(ctx, g, k.qr, payload, box));
  const x = box.x + box.w + sc(g, 18);
  const w = card.x + card.w - x - sc(g, 16);
  const used = textBlock(ctx, tm, title, { x, y: card.y + sc(g, 26), w, h: sc(g, 110) }, { size: typeSize(g, 'title'), color: Palette.text, weight: 'bold', maxLines: 3, lineHeight: sc(g, 34) });
  textBlock(ctx, tm, caption, { x, y: card.y + sc(g, 40) + used, w, h: card.y + card.h - (card.y + sc(g, 40) + used) - sc(g, 12) }, { size: typeSize(g, 'small'), color: Palette.textMuted, lineHeight: sc(g, 28) });
}
