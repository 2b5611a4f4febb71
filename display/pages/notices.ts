/**
 * Notices (docs/screen.md §Behaviour): the list of notices in force, by priority and time, paged; and
 * one notice in full, its body broken into lines (clreq) and paged. Swipes page too.
 */
import type { Rect } from '../../lib/frame.js';
import { sc, type ScreenGeometry } from '../geometry.js';
import { font, typeSize } from '../fonts.js';
import type { Hit, NoticePage, NoticesPage, PageContent } from '../page-model.js';
import { Palette } from '../palette.js';
import { t } from '../strings.js';
import { breakLines } from '../text/line-break.js';
import type { TextMeasure } from '../text/measure.js';
import { chromeHits, drawChrome } from '../draw/chrome.js';
import { icon } from '../draw/icons.js';
import type { Kit } from '../draw/kit.js';
import { contentBottom, rows } from '../draw/grid.js';
import { badge, drawLines, fillRound, text, textBlock } from '../draw/ui.js';
import { PRIORITY_LABEL, priorityColors } from './attract.js';

/** Notices per list page. */
export const NOTICES_PER_PAGE = 4;

function listRows(g: ScreenGeometry): Rect[] {
  return rows(g, g.content.y, contentBottom(g), NOTICES_PER_PAGE);
}

export function noticesHits(g: ScreenGeometry, c: PageContent<NoticesPage>): Hit[] {
  const r = listRows(g);
  return [
    ...c.items.map((it, i) => ({ id: `row:${i}`, rect: r[i]!, action: { type: 'open-notice' as const, id: it.id } })),
    ...chromeHits(g, { pager: c.pager }),
  ];
}

export function drawNotices(k: Kit, m: NoticesPage): void {
  const { ctx, g, tm } = k;
  drawChrome(k, m, 'notices', { pager: m.pager });
  if (m.items.length === 0) {
    icon(ctx, 'notices', g.width / 2, g.content.y + sc(g, 160), sc(g, 72), Palette.line);
    text(ctx, tm, t(m.lang, 'noNotices'), g.content.x, g.content.y + sc(g, 220), g.content.w, { size: typeSize(g, 'title'), color: Palette.textMuted, align: 'center' });
    return;
  }
  const r = listRows(g);
  m.items.forEach((it, i) => {
    const row = r[i]!;
    fillRound(ctx, row, sc(g, 16), Palette.surface);
    const col = priorityColors(it.priority);
    ctx.fillStyle = col.bg;
    ctx.fillRect(row.x, row.y + sc(g, 14), sc(g, 6), row.h - sc(g, 28));
    const x = row.x + sc(g, 22);
    const w = row.w - sc(g, 44);
    badge(ctx, tm, PRIORITY_LABEL[it.priority][m.lang], x, row.y + sc(g, 14), { size: typeSize(g, 'small'), fg: col.fg, bg: col.bg });
    text(ctx, tm, it.date, x, row.y + sc(g, 16), w, { size: typeSize(g, 'small'), color: Palette.textMuted, align: 'right' });
    const used = textBlock(ctx, tm, it.title, { x, y: row.y + sc(g, 56), w: w - sc(g, 24), h: row.h - sc(g, 62) }, { size: typeSize(g, 'body'), color: Palette.text, weight: 'bold', maxLines: 2, lineHeight: sc(g, 34) });
    // A one-line title leaves room for the title in the other language, else the start of the body.
    if (used < sc(g, 40)) text(ctx, tm, it.otherTitle ?? it.excerpt, x, row.y + sc(g, 94), w - sc(g, 24), { size: typeSize(g, 'small'), color: Palette.textMuted, weight: it.otherTitle ? 'bold' : 'normal' });
    icon(ctx, 'next', row.x + row.w - sc(g, 20), row.y + row.h / 2 + sc(g, 14), sc(g, 16), Palette.textMuted);
  });
}

/** The detail page's geometry: where the body starts and how many body lines a page holds. */
export function noticeDetailLayout(g: ScreenGeometry, tm: TextMeasure, title: string) {
  const titleSize = typeSize(g, 'h2');
  const titleLH = sc(g, 42);
  const titleLines = Math.min(3, breakLines(title, g.content.w, tm.fn(font(titleSize, 'bold'))).length);
  const titleY = g.content.y + sc(g, 52);
  const bodyY = titleY + titleLines * titleLH + sc(g, 24);
  const bodySize = typeSize(g, 'body');
  const bodyLH = sc(g, 37);
  const linesPerPage = Math.max(1, Math.floor((contentBottom(g) - bodyY - bodySize * 0.3) / bodyLH));
  return { titleSize, titleLH, titleY, bodyY, bodySize, bodyLH, linesPerPage, bodyWidth: g.content.w };
}

/** The notice body broken into lines for the detail page (the builder pages them). */
export function noticeBodyLines(g: ScreenGeometry, tm: TextMeasure, body: string): string[] {
  const size = typeSize(g, 'body');
  return breakLines(body, g.content.w, tm.fn(font(size))).map((l) => l.text);
}

/** The other language's title inside a bilingual notice's body, bold, after a rule. */
export function noticeTitleLines(g: ScreenGeometry, tm: TextMeasure, title: string): string[] {
  return breakLines(title, g.content.w, tm.fn(font(typeSize(g, 'body'), 'bold'))).map((l) => l.text);
}

export function noticeHits(g: ScreenGeometry, c: PageContent<NoticePage>): Hit[] {
  return chromeHits(g, { pager: c.pager });
}

export function drawNotice(k: Kit, m: NoticePage): void {
  const { ctx, g, tm } = k;
  drawChrome(k, m, 'notices', { pager: m.pager });
  const L = noticeDetailLayout(g, tm, m.notice.title);
  const col = priorityColors(m.notice.priority);
  const bw = badge(ctx, tm, PRIORITY_LABEL[m.notice.priority][m.lang], g.content.x, g.content.y + sc(g, 4), { size: typeSize(g, 'small'), fg: col.fg, bg: col.bg });
  const meta = m.notice.until ? `${m.notice.issued} – ${m.notice.until}` : m.notice.issued;
  text(ctx, tm, meta, g.content.x + bw + sc(g, 12), g.content.y + sc(g, 6), g.content.w - bw - sc(g, 12), { size: typeSize(g, 'small'), color: Palette.textMuted });
  textBlock(ctx, tm, m.notice.title, { x: g.content.x, y: L.titleY, w: g.content.w, h: L.titleLH * 3 }, { size: L.titleSize, color: Palette.text, weight: 'bold', maxLines: 3, lineHeight: L.titleLH });
  ctx.fillStyle = Palette.line;
  ctx.fillRect(g.content.x, L.bodyY - sc(g, 14), g.content.w, sc(g, 2));
  m.lines.forEach((l, i) => {
    const y = L.bodyY + i * L.bodyLH;
    if (l.kind === 'rule') {
      ctx.fillStyle = Palette.line;
      ctx.fillRect(g.content.x, y + Math.round(L.bodyLH / 2) - sc(g, 1), g.content.w, sc(g, 2));
      return;
    }
    const st = l.kind === 'title' ? { size: L.bodySize, color: Palette.accent, weight: 'bold' as const } : { size: L.bodySize, color: Palette.text };
    drawLines(ctx, tm, [l.text], g.content.x, y, { ...st, lineHeight: L.bodyLH });
  });
}
