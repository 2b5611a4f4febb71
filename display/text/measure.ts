/**
 * Text measurement with a bounded cache. Line breaking measures each distinct segment once per
 * font; the same notices and labels are drawn again and again, so most renders measure nothing.
 */
export interface MeasureContext {
  font: string;
  measureText(text: string): { width: number };
}

import type { TextCache } from './text-cache.js';

export class TextMeasure {
  private readonly cache = new Map<string, number>();
  /**
   * While the Renderer draws on its own surface, text goes through this rendered-text cache
   * (display/text/text-cache.ts); null draws text directly (audits wrap the context).
   */
  drawCache: TextCache | null = null;
  readonly stats = { hits: 0, misses: 0, clears: 0 };

  /** maxEntries bounds memory: past it the cache starts over (cheap, and rare). */
  constructor(private readonly ctx: MeasureContext, private readonly maxEntries = 20_000) {}

  width(font: string, text: string): number {
    const key = font + '\u0000' + text;
    const hit = this.cache.get(key);
    if (hit !== undefined) { this.stats.hits++; return hit; }
    this.stats.misses++;
    if (this.cache.size >= this.maxEntries) { this.cache.clear(); this.stats.clears++; }
    if (this.ctx.font !== font) this.ctx.font = font;
    const w = this.ctx.measureText(text).width;
    this.cache.set(key, w);
    return w;
  }

  /** A WidthFn for one font (display/text/line-break.ts). */
  fn(font: string): (text: string) => number {
    return (text) => this.width(font, text);
  }
}
