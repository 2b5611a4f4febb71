/**
 * Drawing primitives every page uses: rounded boxes, single-line text fitted with an ellipsis,
 * wrapped text blocks (clreq line breaking), badges. Text sizes are passed in px and come from
 * the type scale (display/fonts.ts), so nothing is drawn below the legibility floor.
 */
import type { CanvasRenderingContext2D } from 'canvas';
import type { Rect } from '../../lib/frame.js';
import { font, fontSizePx } from '../fonts.js';
import { fitLines, type Line } from '../text/line-break.js';
import type { TextMeasure } from '../text/measure.js';

export type Ctx = CanvasRenderingContext2D;

/** fillText with textBaseline top and left alignment, through the renderer's text cache while it draws. */
export function fillTextTop(ctx: Ctx, tm: TextMeasure, s: string, x: number, y: number, f: string, color: string): void {
  if (tm.drawCache) {
    tm.drawCache.draw(ctx, s, x, y, f, fontSizePx(f), color, tm.width(f, s));
    return;
  }
  ctx.font = f;
  ctx.fillStyle = color;
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillText(s, x, y);
}

export interface TextStyle {
  size: number;
  color: string;
  weight?: 'normal' | 'bold';
  align?: 'left' | 'center' | 'right';
}

export function roundRect(ctx: Ctx, r: Rect, radius: number): void {
  const rad = Math.min(radius, r.w / 2, r.h / 2);
  ctx.beginPath();
  ctx.moveTo(r.x + rad, r.y);
  ctx.arcTo(r.x + r.w, r.y, r.x + r.w, r.y + r.h, rad);
  ctx.arcTo(r.x + r.w, r.y + r.h, r.x, r.y + r.h, rad);
  ctx.arcTo(r.x, r.y + r.h, r.x, r.y, rad);
  ctx.arcTo(r.x, r.y, r.x + r.w, r.y, rad);
  ctx.closePath();
}

export function fillRound(ctx: Ctx, r: Rect, radius: number, color: string): void {
  ctx.fillStyle = color;
  roundRect(ctx, r, radius);
  ctx.fill();
}

export function strokeRound(ctx: Ctx, r: Rect, radius: number, color: string, width: number): void {
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  roundRect(ctx, { x: r.x + width / 2, y: r.y + width / 2, w: r.w - width, h: r.h - width }, radius);
  ctx.stroke();
}

/** Draws one line of text with its top at y; too long → ellipsis. Returns the drawn width. */
export function text(ctx: Ctx, tm: TextMeasure, s: string, x: number, y: number, maxWidth: number, st: TextStyle): number {
  const f = font(st.size, st.weight);
  const { lines } = fitLines(s.replace(/\s*\n\s*/g, ' '), maxWidth, 1, tm.fn(f));
  const line = lines[0] ?? { text: '', width: 0 };
  drawLine(ctx, tm, line, x, y, maxWidth, st, f);
  return line.width;
}

function drawLine(ctx: Ctx, tm: TextMeasure, line: Line, x: number, y: number, maxWidth: number, st: TextStyle, f: string): void {
  const dx = st.align === 'center' ? (maxWidth - line.width) / 2 : st.align === 'right' ? maxWidth - line.width : 0;
  fillTextTop(ctx, tm, line.text, Math.round(x + dx), Math.round(y), f, st.color);
}

/**
 * Draws wrapped text into a box (clreq breaking, at most maxLines, ellipsis if cut).
 * Returns the height used.
 */
export function textBlock(ctx: Ctx, tm: TextMeasure, s: string, r: Rect, st: TextStyle & { lineHeight?: number; maxLines?: number }): number {
  const f = font(st.size, st.weight);
  const lh = st.lineHeight ?? Math.round(st.size * 1.38);
  const maxLines = Math.max(1, Math.min(st.maxLines ?? Infinity, Math.floor((r.h + lh - st.size * 1.2) / lh)));
  const { lines } = fitLines(s, r.w, maxLines, tm.fn(f));
  lines.forEach((l, i) => drawLine(ctx, tm, l, r.x, r.y + i * lh, r.w, st, f));
  return lines.length ? (lines.length - 1) * lh + Math.round(st.size * 1.3) : 0;
}

/** Pre-broken lines (e.g. a paged notice body). */
export function drawLines(ctx: Ctx, tm: TextMeasure, lines: readonly string[], x: number, y: number, st: TextStyle & { lineHeight: number }): void {
  const f = font(st.size, st.weight);
  lines.forEach((l, i) => fillTextTop(ctx, tm, l, x, y + i * st.lineHeight, f, st.color));
}

/** A pill with text, e.g. a priority or status label. Returns its width. */
export function badge(ctx: Ctx, tm: TextMeasure, s: string, x: number, y: number, st: { size: number; fg: string; bg: string; padX?: number; h?: number; weight?: 'normal' | 'bold' }): number {
  const f = font(st.size, st.weight ?? 'bold');
  const padX = st.padX ?? Math.round(st.size * 0.5);
  const h = st.h ?? Math.round(st.size * 1.55);
  const w = Math.round(tm.width(f, s) + 2 * padX);
  fillRound(ctx, { x, y, w, h }, h / 2, st.bg);
  fillTextTop(ctx, tm, s, x + padX, Math.round(y + (h - st.size * 1.45) / 2), f, st.fg);
  return w;
}

/** Vertical centre offset for a line of `size` px text in a box of height h (top baseline). */
export function centerTop(boxY: number, boxH: number, size: number): number {
  return Math.round(boxY + (boxH - size * 1.2) / 2 + size * 0.02);
}
