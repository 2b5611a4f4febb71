/**
 * Pinyin-initial search (docs/screen.md §Behaviour): an on-screen QWERTY keyboard; typing "hz" finds
 * 护照. Results update as you type; "all results" opens them as a list.
 */
import type { Rect } from '../../lib/frame.js';
import { sc, type ScreenGeometry } from '../geometry.js';
import { typeSize } from '../fonts.js';
import type { Hit, PageContent, ServiceSearchPage, UiAction } from '../page-model.js';
import { Palette } from '../palette.js';
import { t } from '../strings.js';
import { chromeHits, drawChrome } from '../draw/chrome.js';
import { icon } from '../draw/icons.js';
import type { Kit } from '../draw/kit.js';
import { contentBottom, rows } from '../draw/grid.js';
import { fillRound, text } from '../draw/ui.js';
import { drawPlaceRow } from './services.js';

export const SEARCH_KEYS = [
  [...'qwertyuiop'],
  [...'asdfghjkl'],
  [...'zxcvbnm', 'backspace'],
  ['clear', 'all'],
];

/** Results shown above the keyboard (the rest via "all results"). */
export const SEARCH_RESULTS_SHOWN = 2;

export interface KeyRect { key: string; rect: Rect; action: UiAction }

export function keyboardLayout(g: ScreenGeometry, keys: string[][]): { field: Rect; results: Rect[]; keys: KeyRect[] } {
  const keyH = sc(g, 62);
  const gap = sc(g, 7);
  const kbTop = contentBottom(g) - keys.length * keyH - (keys.length - 1) * gap;
  const unit = (g.content.w - 9 * gap) / 10;
  const out: KeyRect[] = [];
  keys.forEach((row, ri) => {
    const widths = row.map((k) => (k === 'backspace' ? 2 : k === 'clear' ? 3 : k === 'all' ? 7 : 1));
    const units = widths.reduce((a, b) => a + b, 0);
    const rowW = units * unit + (units - 1) * gap;
    let x = g.content.x + (g.content.w - rowW) / 2;
    row.forEach((k, i) => {
      const w = widths[i]! * unit + (widths[i]! - 1) * gap;
      const action: UiAction = k === 'backspace' ? { type: 'backspace' } : k === 'clear' ? { type: 'clear' } : k === 'all' ? { type: 'submit' } : { type: 'key', key: k };
      out.push({ key: k, rect: { x: Math.round(x), y: kbTop + ri * (keyH + gap), w: Math.round(w), h: keyH }, action });
      x += w + gap;
    });
  });
  const field = { x: g.content.x, y: g.content.y, w: g.content.w, h: sc(g, 80) };
  const results = rows(g, field.y + field.h + g.gap, kbTop - sc(g, 14), SEARCH_RESULTS_SHOWN, sc(g, 8));
  return { field, results, keys: out };
}

export function searchHits(g: ScreenGeometry, c: PageContent<ServiceSearchPage>): Hit[] {
  const L = keyboardLayout(g, c.keys);
  return [
    ...c.results.map((r, i) => ({ id: `row:${i}`, rect: L.results[i]!, action: { type: 'open-service' as const, id: r.id } })),
    ...L.keys.filter((k) => k.key !== 'all' || c.total > 0).map((k) => ({ id: `key:${k.key}`, rect: k.rect, action: k.action })),
    ...chromeHits(g),
  ];
}

export function drawSearch(k: Kit, m: ServiceSearchPage): void {
  const { ctx, g, tm } = k;
  drawChrome(k, m, 'search');
  const L = keyboardLayout(g, m.keys);
  const f = L.field;
  fillRound(ctx, f, sc(g, 16), Palette.surfaceRaised);
  icon(ctx, 'search', f.x + sc(g, 36), f.y + f.h / 2, sc(g, 34), Palette.cue);
  if (m.query) {
    const spaced = m.query.toUpperCase().split('').join(' ');
    const w = text(ctx, tm, spaced, f.x + sc(g, 70), f.y + sc(g, 14), f.w - sc(g, 90), { size: typeSize(g, 'h1'), color: Palette.text, weight: 'bold' });
    ctx.fillStyle = Palette.cue;
    ctx.fillRect(f.x + sc(g, 76) + w, f.y + sc(g, 16), sc(g, 3), f.h - sc(g, 32));
  } else {
    text(ctx, tm, t(m.lang, 'searchHint'), f.x + sc(g, 70), f.y + sc(g, 24), f.w - sc(g, 90), { size: typeSize(g, 'body'), color: Palette.textMuted });
  }
  if (m.query && m.results.length === 0) {
    const r = L.results[0]!;
    text(ctx, tm, t(m.lang, 'noResults'), r.x, r.y + sc(g, 30), r.w, { size: typeSize(g, 'body'), color: Palette.textMuted, align: 'center' });
  }
  m.results.forEach((it, i) => drawPlaceRow(k, it, L.results[i]!));
  for (const key of L.keys) {
    const enabled = key.key !== 'all' || m.total > 0;
    const bg = key.key === 'all' ? (enabled ? Palette.accent : Palette.surface) : key.key.length === 1 ? Palette.surfaceRaised : Palette.surface;
    fillRound(ctx, key.rect, sc(g, 10), bg);
    const r = key.rect;
    if (key.key === 'backspace') { icon(ctx, 'backspace', r.x + r.w / 2, r.y + r.h / 2, sc(g, 34), Palette.text); continue; }
    const label = key.key === 'clear' ? (m.lang === 'zh' ? '清空' : 'Clear')
      : key.key === 'all' ? (m.lang === 'zh' ? `全部结果 ${m.total}` : `All results ${m.total}`) : key.key.toUpperCase();
    const size = key.key.length === 1 ? typeSize(g, 'title') : typeSize(g, 'body');
    const color = key.key === 'all' ? (enabled ? Palette.accentText : Palette.textMuted) : Palette.text;
    text(ctx, tm, label, r.x, r.y + (r.h - size * 1.3) / 2, r.w, { size, color, weight: 'bold', align: 'center' });
  }
}
