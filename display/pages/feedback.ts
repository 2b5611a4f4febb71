/**
 * Messages to the city (城市留言板, docs/screen.md §Behaviour): report a problem in three touches —
 * category, problem, confirm — with the location filled from the pole; a ticket number and a QR code
 * come back. Replies are looked up by ticket (display/pages/ticket.ts).
 */
import type { Rect } from '../../lib/frame.js';
import { sc, type ScreenGeometry } from '../geometry.js';
import { typeSize } from '../fonts.js';
import type { FeedbackCategoryPage, FeedbackConfirmPage, FeedbackDonePage, FeedbackPage, FeedbackProblemPage, Hit, PageContent } from '../page-model.js';
import { Palette } from '../palette.js';
import { t } from '../strings.js';
import { chromeHits, drawChrome } from '../draw/chrome.js';
import { icon, type IconName } from '../draw/icons.js';
import type { Kit } from '../draw/kit.js';
import { contentBottom, grid, rows } from '../draw/grid.js';
import { fillRound, text, textBlock } from '../draw/ui.js';
import { drawQrCard } from './services.js';

function bigButtons(g: ScreenGeometry): Rect[] {
  const top = g.content.y + sc(g, 150);
  return rows(g, top, top + 2 * sc(g, 150) + g.gap, 2);
}

export function feedbackHits(g: ScreenGeometry, _c: PageContent<FeedbackPage>): Hit[] {
  const b = bigButtons(g);
  return [
    { id: 'report', rect: b[0]!, action: { type: 'go', to: 'feedback-category' } },
    { id: 'lookup', rect: b[1]!, action: { type: 'go', to: 'ticket-lookup' } },
    ...chromeHits(g),
  ];
}

function bigButton(k: Kit, r: Rect, ic: IconName, color: string, title: string, sub: string): void {
  const { ctx, g, tm } = k;
  fillRound(ctx, r, sc(g, 20), Palette.surface);
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.arc(r.x + sc(g, 62), r.y + r.h / 2, sc(g, 38), 0, Math.PI * 2);
  ctx.fill();
  icon(ctx, ic, r.x + sc(g, 62), r.y + r.h / 2, sc(g, 42), Palette.background);
  const x = r.x + sc(g, 122);
  text(ctx, tm, title, x, r.y + r.h / 2 - sc(g, 44), r.w - sc(g, 140), { size: typeSize(g, 'h2'), color: Palette.text, weight: 'bold' });
  textBlock(ctx, tm, sub, { x, y: r.y + r.h / 2 + sc(g, 2), w: r.w - sc(g, 140), h: sc(g, 60) }, { size: typeSize(g, 'small'), color: Palette.textMuted, maxLines: 2, lineHeight: sc(g, 28) });
}

export function drawFeedback(k: Kit, m: FeedbackPage): void {
  const { ctx, g, tm } = k;
  drawChrome(k, m, 'feedback');
  textBlock(ctx, tm, m.intro, { x: g.content.x, y: g.content.y + sc(g, 8), w: g.content.w, h: sc(g, 130) }, { size: typeSize(g, 'body'), color: Palette.text, maxLines: 4, lineHeight: sc(g, 34) });
  const b = bigButtons(g);
  const other = m.lang === 'zh' ? 'en' : 'zh';
  bigButton(k, b[0]!, 'messages', Palette.tileMessages, t(m.lang, 'reportProblem'), `${t(m.lang, 'reportProblemSub')}\n${t(other, 'reportProblem')}`);
  bigButton(k, b[1]!, 'ticket', Palette.tileNotices, t(m.lang, 'checkReply'), `${t(m.lang, 'checkReplySub')}\n${t(other, 'checkReply')}`);
}

function choiceGrid(g: ScreenGeometry, n: number): Rect[] {
  const top = g.content.y + sc(g, 56);
  const rowsN = Math.ceil(n / 2);
  const h = Math.min(sc(g, 132), Math.floor((contentBottom(g) - top - (rowsN - 1) * g.gap) / Math.max(1, rowsN)));
  return grid(g, top, n, 2, h);
}

function choiceList(g: ScreenGeometry, n: number): Rect[] {
  const top = g.content.y + sc(g, 56);
  const h = Math.min(sc(g, 96), Math.floor((contentBottom(g) - top - (n - 1) * g.gap) / Math.max(1, n)));
  return Array.from({ length: n }, (_, i) => ({ x: g.content.x, y: top + i * (h + g.gap), w: g.content.w, h }));
}

export function feedbackCategoryHits(g: ScreenGeometry, c: PageContent<FeedbackCategoryPage>): Hit[] {
  const r = choiceGrid(g, c.categories.length);
  return [...c.categories.map((cat, i) => ({ id: `cat:${cat.id}`, rect: r[i]!, action: { type: 'feedback-category' as const, id: cat.id } })), ...chromeHits(g)];
}

export function drawFeedbackCategory(k: Kit, m: FeedbackCategoryPage): void {
  const { ctx, g, tm } = k;
  drawChrome(k, m, 'feedback');
  text(ctx, tm, t(m.lang, 'chooseCategory'), g.content.x, g.content.y + sc(g, 6), g.content.w, { size: typeSize(g, 'title'), color: Palette.cue, weight: 'bold' });
  const r = choiceGrid(g, m.categories.length);
  m.categories.forEach((cat, i) => {
    fillRound(ctx, r[i]!, sc(g, 18), Palette.surface);
    ctx.fillStyle = Palette.tileMessages;
    ctx.fillRect(r[i]!.x, r[i]!.y + sc(g, 18), sc(g, 5), r[i]!.h - sc(g, 36));
    textBlock(ctx, tm, cat.name, { x: r[i]!.x + sc(g, 22), y: r[i]!.y + (r[i]!.h - sc(g, 70)) / 2, w: r[i]!.w - sc(g, 36), h: sc(g, 76) }, { size: typeSize(g, 'title'), color: Palette.text, weight: 'bold', maxLines: 2, lineHeight: sc(g, 36) });
  });
}

export function feedbackProblemHits(g: ScreenGeometry, c: PageContent<FeedbackProblemPage>): Hit[] {
  const r = choiceList(g, c.problems.length);
  return [...c.problems.map((p, i) => ({ id: `problem:${p.id}`, rect: r[i]!, action: { type: 'feedback-problem' as const, id: p.id } })), ...chromeHits(g)];
}

export function drawFeedbackProblem(k: Kit, m: FeedbackProblemPage): void {
  const { ctx, g, tm } = k;
  drawChrome(k, m, { primary: m.category, secondary: t(m.lang, 'feedback') });
  text(ctx, tm, t(m.lang, 'chooseProblem'), g.content.x, g.content.y + sc(g, 6), g.content.w, { size: typeSize(g, 'title'), color: Palette.cue, weight: 'bold' });
  const r = choiceList(g, m.problems.length);
  m.problems.forEach((p, i) => {
    fillRound(ctx, r[i]!, sc(g, 16), Palette.surface);
    text(ctx, tm, p.name, r[i]!.x + sc(g, 24), r[i]!.y + (r[i]!.h - typeSize(g, 'title') * 1.3) / 2, r[i]!.w - sc(g, 70), { size: typeSize(g, 'title'), color: Palette.text, weight: 'bold' });
    icon(ctx, 'next', r[i]!.x + r[i]!.w - sc(g, 26), r[i]!.y + r[i]!.h / 2, sc(g, 18), Palette.textMuted);
  });
}

function confirmLayout(g: ScreenGeometry): { submit: Rect; edit: Rect; card: Rect } {
  const btnH = sc(g, 96);
  const edit = { x: g.content.x, y: contentBottom(g) - sc(g, 80), w: g.content.w, h: sc(g, 80) };
  const submit = { x: g.content.x, y: edit.y - g.gap - btnH, w: g.content.w, h: btnH };
  return { submit, edit, card: { x: g.content.x, y: g.content.y, w: g.content.w, h: submit.y - g.gap * 2 - g.content.y } };
}

export function feedbackConfirmHits(g: ScreenGeometry, _c: PageContent<FeedbackConfirmPage>): Hit[] {
  const L = confirmLayout(g);
  return [{ id: 'submit', rect: L.submit, action: { type: 'submit' } }, { id: 'edit', rect: L.edit, action: { type: 'back' } }, ...chromeHits(g)];
}

export function drawFeedbackConfirm(k: Kit, m: FeedbackConfirmPage): void {
  const { ctx, g, tm } = k;
  drawChrome(k, m, 'feedback');
  const L = confirmLayout(g);
  fillRound(ctx, L.card, sc(g, 18), Palette.surface);
  let y = L.card.y + sc(g, 20);
  const x = L.card.x + sc(g, 22);
  const w = L.card.w - sc(g, 44);
  for (const [label, value] of [[t(m.lang, 'category'), m.category], [t(m.lang, 'problem'), m.problem], [t(m.lang, 'location'), m.location], [t(m.lang, 'pole'), m.poleId]] as const) {
    text(ctx, tm, label, x, y, w, { size: typeSize(g, 'small'), color: Palette.textMuted });
    y += sc(g, 30);
    y += textBlock(ctx, tm, value, { x, y, w, h: sc(g, 70) }, { size: typeSize(g, 'body'), color: Palette.text, weight: 'bold', maxLines: 2, lineHeight: sc(g, 34) }) + sc(g, 16);
  }
  if (m.error) textBlock(ctx, tm, m.error, { x, y, w, h: L.card.y + L.card.h - y - sc(g, 10) }, { size: typeSize(g, 'small'), color: Palette.cue, weight: 'bold' });
  fillRound(ctx, L.submit, sc(g, 18), Palette.accent);
  icon(ctx, 'check', L.submit.x + sc(g, 52), L.submit.y + L.submit.h / 2, sc(g, 36), Palette.accentText);
  text(ctx, tm, t(m.lang, 'confirm'), L.submit.x, L.submit.y + (L.submit.h - typeSize(g, 'h2') * 1.3) / 2, L.submit.w, { size: typeSize(g, 'h2'), color: Palette.accentText, weight: 'bold', align: 'center' });
  fillRound(ctx, L.edit, sc(g, 18), Palette.surfaceRaised);
  text(ctx, tm, t(m.lang, 'edit'), L.edit.x, L.edit.y + (L.edit.h - typeSize(g, 'body') * 1.3) / 2, L.edit.w, { size: typeSize(g, 'body'), color: Palette.text, weight: 'bold', align: 'center' });
}

export function feedbackDoneHits(g: ScreenGeometry, _c: PageContent<FeedbackDonePage>): Hit[] {
  return chromeHits(g, { back: false });
}

export function drawFeedbackDone(k: Kit, m: FeedbackDonePage): void {
  const { ctx, g, tm } = k;
  drawChrome(k, m, 'feedback', { back: false });
  let y = g.content.y + sc(g, 8);
  ctx.fillStyle = Palette.ok;
  ctx.beginPath();
  ctx.arc(g.content.x + sc(g, 30), y + sc(g, 28), sc(g, 26), 0, Math.PI * 2);
  ctx.fill();
  icon(ctx, 'check', g.content.x + sc(g, 30), y + sc(g, 28), sc(g, 30), Palette.okText);
  text(ctx, tm, t(m.lang, 'submitted'), g.content.x + sc(g, 70), y + sc(g, 6), g.content.w - sc(g, 70), { size: typeSize(g, 'h2'), color: Palette.text, weight: 'bold' });
  y += sc(g, 76);
  const card = { x: g.content.x, y, w: g.content.w, h: sc(g, 132) };
  fillRound(ctx, card, sc(g, 18), Palette.surface);
  text(ctx, tm, t(m.lang, 'yourTicket'), card.x, card.y + sc(g, 14), card.w, { size: typeSize(g, 'small'), color: Palette.textMuted, align: 'center' });
  text(ctx, tm, m.ticketDisplay, card.x, card.y + sc(g, 48), card.w, { size: typeSize(g, 'display') + sc(g, 8), color: Palette.cue, weight: 'bold', align: 'center' });
  y += card.h + g.gap;
  const qrCard = { x: g.content.x, y, w: g.content.w, h: contentBottom(g) - y };
  const side = Math.min(qrCard.h - sc(g, 24), sc(g, 230));
  drawQrCard(k, qrCard, { x: qrCard.x + sc(g, 12), y: qrCard.y + (qrCard.h - side) / 2, w: side, h: side }, m.qr, t(m.lang, 'scanOnPhone'), t(m.lang, 'keepTicket'));
}
