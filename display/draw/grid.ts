/** Row and grid placement inside the content area (docs/screen.md §Layout grid). */
import type { Rect } from '../../lib/frame.js';
import type { ScreenGeometry } from '../geometry.js';

/** `n` rows of equal height filling [top, bottom) with `gap` between. */
export function rows(g: ScreenGeometry, top: number, bottom: number, n: number, gap = g.gap): Rect[] {
  const h = Math.floor((bottom - top - (n - 1) * gap) / n);
  return Array.from({ length: n }, (_, i) => ({ x: g.content.x, y: top + i * (h + gap), w: g.content.w, h }));
}

/** How many rows of at least `minH` fit in [top, bottom). */
export function capacity(top: number, bottom: number, minH: number, gap: number): number {
  return Math.max(1, Math.floor((bottom - top + gap) / (minH + gap)));
}

/** A grid of `cols` columns and `n` cells of height h, row-major, starting at top. */
export function grid(g: ScreenGeometry, top: number, n: number, cols: number, h: number, gap = g.gap): Rect[] {
  const w = Math.floor((g.content.w - (cols - 1) * gap) / cols);
  return Array.from({ length: n }, (_, i) => ({ x: g.content.x + (i % cols) * (w + gap), y: top + Math.floor(i / cols) * (h + gap), w, h }));
}

export function contentBottom(g: ScreenGeometry): number {
  return g.content.y + g.content.h;
}
