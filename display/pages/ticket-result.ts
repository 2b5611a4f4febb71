/**
 * The ticket page (docs/feedback.md §On the pole): the ticket and when it was sent, the steps
 * 受理 → 办理中 → 已回复 as the city reports them, the department's answer, and — once there is an
 * answer — three large buttons to rate it: 满意 / 基本满意 / 不满意 (each a third of the content
 * width and 96 px = 48 mm tall at 0.5 mm pitch, above the elder-mode 15 mm minimum). After rating,
 * the three stay on screen with the choice highlighted and no longer act. An answer longer than its
 * box is paged with the footer's ◀ ▶, as a notice is.
 */
import type { Rect } from '../frame.js';
import { sc, type ScreenGeometry } from '../geometry.js';
import { font, typeSize } from '../fonts.js';
import type { TextMeasure } from '../text/measure.js';
import { breakLines } from '../text/line-break.js';
import type { Hit, PageContent, TicketResultPage } from '../page-model.js';
import { Palette } from '../palette.js';
import { t } from '../strings.js';
import { chromeHits, drawChrome } from '../draw/chrome.js';
import type { Kit } from '../draw/kit.js';
import { contentBottom } from '../draw/grid.js';
import { badge, drawLines, fillRound, strokeRound, text } from '../draw/ui.js';
import { TONE } from './charging.js';

/** Height of a rating button at 480 px width (48 mm at 0.5 mm pitch). */
export const RATING_BUTTON_PX = 96;

interface ResultLayout {
  card: Rect;
  status: Rect;
  reply: Rect;
  prompt: Rect | null;
  buttons: Rect[];
}

function layout(g: ScreenGeometry, withRating: boolean): ResultLayout {
  const x = g.content.x;
  const w = g.content.w;
  const card = { x, y: g.content.y, w, h: sc(g, 104) };
  const status = { x, y: card.y + card.h + g.gap, w, h: sc(g, 80) };
  const bottom = contentBottom(g);
  let replyBottom = bottom;
  let prompt: Rect | null = null;
  const buttons: Rect[] = [];
  if (withRating) {
    const bh = sc(g, RATING_BUTTON_PX);
    const gap = sc(g, 10);
    const bw = Math.floor((w - 2 * gap) / 3);
    const by = bottom - bh;
    for (let i = 0; i < 3; i++) buttons.push({ x: x + i * (bw + gap), y: by, w: bw, h: bh });
    prompt = { x, y: by - sc(g, 40), w, h: sc(g, 34) };
    replyBottom = prompt.y - sc(g, 6);
  }
  const reply = { x, y: status.y + status.h + g.gap, w, h: replyBottom - (status.y + status.h + g.gap) };
  return { card, status, reply, prompt, buttons };
}

/** Where the answer's lines go and how many fit (the builder breaks and pages the answer with it). */
export function answerLayout(g: ScreenGeometry, o: { rating: boolean; department: boolean }) {
  const L = layout(g, o.rating);
  const x = L.reply.x + sc(g, 22);
  const w = L.reply.w - sc(g, 44);
  const y = L.reply.y + sc(g, o.department ? 82 : 52);
  const size = typeSize(g, 'body');
  const lineHeight = sc(g, 34);
  const bottom = L.reply.y + L.reply.h - sc(g, 10);
  const linesPerPage = Math.max(1, Math.floor((bottom - y - size * 1.3) / lineHeight) + 1);
  return { x, y, w, size, lineHeight, linesPerPage };
}

/** The answer broken into lines for the answer box (clreq breaking). */
export function answerLines(g: ScreenGeometry, tm: TextMeasure, answer: string, o: { rating: boolean; department: boolean }): string[] {
  const A = answerLayout(g, o);
  return breakLines(answer, A.w, tm.fn(font(A.size))).map((l) => l.text);
}

export function ticketResultHits(g: ScreenGeometry, c: PageContent<TicketResultPage>): Hit[] {
  const hits: Hit[] = [];
  if (c.rating && c.rating.chosen === null) {
    const L = layout(g, true);
    c.rating.options.forEach((o, i) => hits.push({ id: `rate:${o.id}`, rect: L.buttons[i]!, action: { type: 'rate', rating: o.id } }));
  }
  return [...hits, ...chromeHits(g, { pager: c.pager })];
}

function drawSteps(k: Kit, m: TicketResultPage, r: Rect): void {
  const { ctx, g, tm } = k;
  const steps = m.steps!;
  const gap = sc(g, 8);
  const w = Math.floor((r.w - (steps.length - 1) * gap) / steps.length);
  steps.forEach((s, i) => {
    const box = { x: r.x + i * (w + gap), y: r.y, w, h: r.h };
    // Current: the tone of the status; passed: raised; not yet: plain surface with muted words.
    const bg = s.current ? TONE[m.tone].bg : s.reached ? Palette.surfaceRaised : Palette.surface;
    const fg = s.current ? TONE[m.tone].fg : s.reached ? Palette.text : Palette.textMuted;
    fillRound(ctx, box, sc(g, 14), bg);
    if (!s.reached) strokeRound(ctx, box, sc(g, 14), Palette.line, Math.max(1, sc(g, 2)));
    text(ctx, tm, `${i + 1} ${s.label}`, box.x, box.y + sc(g, 10), box.w, { size: typeSize(g, 'small'), color: fg, weight: 'bold', align: 'center' });
    if (s.at) text(ctx, tm, s.at, box.x, box.y + sc(g, 44), box.w, { size: typeSize(g, 'small'), color: fg, align: 'center' });
  });
}

function drawRating(k: Kit, m: TicketResultPage, L: ResultLayout): void {
  const { ctx, g, tm } = k;
  const rt = m.rating!;
  const promptColor = rt.error ? Palette.cue : Palette.text;
  text(ctx, tm, rt.error ?? rt.prompt, L.prompt!.x, L.prompt!.y, L.prompt!.w, { size: typeSize(g, 'small'), color: promptColor, weight: 'bold' });
  rt.options.forEach((o, i) => {
    const r = L.buttons[i]!;
    const chosen = rt.chosen === o.id;
    const open = rt.chosen === null;
    fillRound(ctx, r, sc(g, 16), chosen ? Palette.accent : open ? Palette.surfaceRaised : Palette.surface);
    const size = o.label.length > 1 ? typeSize(g, 'body') : typeSize(g, 'title');
    const lh = Math.round(size * 1.25);
    const top = Math.round(r.y + (r.h - (o.label.length - 1) * lh - size * 1.3) / 2);
    const color = chosen ? Palette.accentText : open ? Palette.text : Palette.textMuted;
    o.label.forEach((line, j) => text(ctx, tm, line, r.x + sc(g, 4), top + j * lh, r.w - sc(g, 8), { size, color, weight: 'bold', align: 'center' }));
  });
}

export function drawTicketResult(k: Kit, m: TicketResultPage): void {
  const { ctx, g, tm } = k;
  drawChrome(k, m, 'checkReply', { pager: m.pager });
  const L = layout(g, m.rating !== null);
  fillRound(ctx, L.card, sc(g, 18), Palette.surface);
  const x = L.card.x + sc(g, 22);
  const w = L.card.w - sc(g, 44);
  text(ctx, tm, `${t(m.lang, 'ticket')} ${m.ticketDisplay}`, x, L.card.y + sc(g, 14), w, { size: typeSize(g, 'title'), color: Palette.text, weight: 'bold' });
  if (m.summary) text(ctx, tm, m.summary, x, L.card.y + sc(g, 60), w, { size: typeSize(g, 'small'), color: Palette.textMuted });
  if (m.steps) drawSteps(k, m, L.status);
  else badge(ctx, tm, m.status, L.status.x, L.status.y + sc(g, 18), { size: typeSize(g, 'small'), fg: TONE[m.tone].fg, bg: TONE[m.tone].bg });
  const r = L.reply;
  fillRound(ctx, r, sc(g, 18), Palette.surface);
  const ix = r.x + sc(g, 22);
  const iw = r.w - sc(g, 44);
  text(ctx, tm, m.replyAt ? `${t(m.lang, 'reply')} · ${m.replyAt}` : t(m.lang, 'reply'), ix, r.y + sc(g, 14), iw, { size: typeSize(g, 'small'), color: Palette.textMuted });
  if (m.department) text(ctx, tm, m.department, ix, r.y + sc(g, 44), iw, { size: typeSize(g, 'small'), color: Palette.textMuted, weight: 'bold' });
  const A = answerLayout(g, { rating: m.rating !== null, department: m.department !== null });
  drawLines(ctx, tm, m.replyLines, A.x, A.y, { size: A.size, color: Palette.text, lineHeight: A.lineHeight });
  if (m.rating) drawRating(k, m, L);
}
