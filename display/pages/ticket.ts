/**
 * Looking up a reply to a citizen's message (docs/screen.md §Messages to the city): a numeric keypad for the
 * 9-digit ticket (its last digit is a check digit, so a mistyped number is caught on the spot), then
 * the ticket page (display/pages/ticket-result.ts) — never the message itself, since anyone may type any
 * number (rate-limited per screen: runtime/feedback/lookup-guard.ts).
 */
import type { Rect } from '../frame.js';
import { sc, type ScreenGeometry } from '../geometry.js';
import { typeSize } from '../fonts.js';
import type { Hit, PageContent, TicketLookupPage, UiAction } from '../page-model.js';
import { Palette } from '../palette.js';
import { t } from '../strings.js';
import { chromeHits, drawChrome } from '../draw/chrome.js';
import { icon } from '../draw/icons.js';
import type { Kit } from '../draw/kit.js';
import { contentBottom } from '../draw/grid.js';
import { fillRound, text, textBlock } from '../draw/ui.js';

export const KEYPAD = [['1', '2', '3'], ['4', '5', '6'], ['7', '8', '9'], ['backspace', '0', 'submit']];
export const TICKET_DIGITS = 9;

/** "263310047" → "263 310 047" (read in threes, as phone numbers are). */
export function groupTicket(digits: string, pad = false): string {
  const s = pad ? digits.padEnd(TICKET_DIGITS, '_') : digits;
  return (s.match(/.{1,3}/g) ?? []).join(' ');
}

function keypadLayout(g: ScreenGeometry, keys: string[][]): { field: Rect; keys: { key: string; rect: Rect; action: UiAction }[] } {
  const keyH = sc(g, 80);
  const gap = sc(g, 10);
  const top = contentBottom(g) - keys.length * keyH - (keys.length - 1) * gap;
  const w = Math.floor((g.content.w - 2 * gap) / 3);
  const out: { key: string; rect: Rect; action: UiAction }[] = [];
  keys.forEach((row, ri) => row.forEach((k, ci) => {
    const action: UiAction = k === 'backspace' ? { type: 'backspace' } : k === 'submit' ? { type: 'submit' } : { type: 'key', key: k };
    out.push({ key: k, rect: { x: g.content.x + ci * (w + gap), y: top + ri * (keyH + gap), w, h: keyH }, action });
  }));
  return { field: { x: g.content.x, y: g.content.y + sc(g, 48), w: g.content.w, h: sc(g, 92) }, keys: out };
}

export function ticketLookupHits(g: ScreenGeometry, c: PageContent<TicketLookupPage>): Hit[] {
  return [...keypadLayout(g, c.keys).keys.map((k) => ({ id: `key:${k.key}`, rect: k.rect, action: k.action })), ...chromeHits(g)];
}

export function drawTicketLookup(k: Kit, m: TicketLookupPage): void {
  const { ctx, g, tm } = k;
  drawChrome(k, m, 'checkReply');
  const L = keypadLayout(g, m.keys);
  text(ctx, tm, t(m.lang, 'enterTicket'), g.content.x, g.content.y + sc(g, 4), g.content.w, { size: typeSize(g, 'title'), color: Palette.cue, weight: 'bold' });
  fillRound(ctx, L.field, sc(g, 16), Palette.surfaceRaised);
  text(ctx, tm, groupTicket(m.input, true), L.field.x, L.field.y + sc(g, 18), L.field.w, { size: typeSize(g, 'display'), color: Palette.text, weight: 'bold', align: 'center' });
  if (m.error) {
    textBlock(ctx, tm, m.error, { x: g.content.x, y: L.field.y + L.field.h + sc(g, 14), w: g.content.w, h: sc(g, 64) }, { size: typeSize(g, 'small'), color: Palette.cue, weight: 'bold', maxLines: 2, lineHeight: sc(g, 28) });
  }
  for (const key of L.keys) {
    const r = key.rect;
    const ready = m.input.length === TICKET_DIGITS;
    fillRound(ctx, r, sc(g, 14), key.key === 'submit' ? (ready ? Palette.accent : Palette.surface) : Palette.surfaceRaised);
    if (key.key === 'backspace') { icon(ctx, 'backspace', r.x + r.w / 2, r.y + r.h / 2, sc(g, 38), Palette.text); continue; }
    const label = key.key === 'submit' ? t(m.lang, 'query') : key.key;
    const size = key.key === 'submit' ? typeSize(g, 'title') : typeSize(g, 'h1');
    text(ctx, tm, label, r.x, r.y + (r.h - size * 1.3) / 2, r.w, { size, color: key.key === 'submit' ? (ready ? Palette.accentText : Palette.textMuted) : Palette.text, weight: 'bold', align: 'center' });
  }
}
