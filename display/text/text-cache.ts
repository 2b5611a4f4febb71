/**
 * Rendered-text cache: each distinct (font, colour, text) is laid out by Pango once, into a
 * shared atlas bitmap, and later frames composite it from there. Text shaping was ~45% of a page
 * render (bench/screen.ts); labels, names and keys repeat from frame to frame, so most text
 * becomes a blit. One fixed atlas (default 2048 × 1024 px, 8 MB) bounds native memory exactly —
 * a canvas per text run cost ~90 KB of native heap each, which the allocator never returned. Runs
 * are packed on shelves; when the atlas is full it is wiped and refilled by what is drawn next.
 */
import { createCanvas, type Canvas, type CanvasRenderingContext2D } from 'canvas';

interface Slot { x: number; y: number; w: number; h: number; pad: number }

export class TextCache {
  private readonly atlas: Canvas;
  private readonly actx: CanvasRenderingContext2D;
  private readonly map = new Map<string, Slot>();
  private shelfY = 0;
  private shelfH = 0;
  private cursorX = 0;
  readonly stats = { hits: 0, misses: 0, wipes: 0, uncached: 0 };

  constructor(readonly width = 2048, readonly height = 1024) {
    this.atlas = createCanvas(width, height);
    this.actx = this.atlas.getContext('2d');
    this.actx.textBaseline = 'top';
  }

  get size(): number {
    return this.map.size;
  }

  /** Draws `text` with its top-left at (x, y) (textBaseline top), as fillText would. */
  draw(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, font: string, sizePx: number, color: string, width: number): void {
    if (!text) return;
    const key = `${font}\u0000${color}\u0000${text}`;
    let s = this.map.get(key);
    if (s) {
      this.stats.hits++;
    } else {
      this.stats.misses++;
      s = this.place(Math.ceil(sizePx * 0.25), width, sizePx) ?? undefined;
      if (!s) {
        // Wider than the atlas: draw directly.
        this.stats.uncached++;
        ctx.font = font;
        ctx.fillStyle = color;
        ctx.textBaseline = 'top';
        ctx.textAlign = 'left';
        ctx.fillText(text, x, y);
        return;
      }
      this.actx.font = font;
      this.actx.fillStyle = color;
      this.actx.fillText(text, s.x + s.pad, s.y + s.pad);
      this.map.set(key, s);
    }
    ctx.drawImage(this.atlas, s.x, s.y, s.w, s.h, Math.round(x) - s.pad, Math.round(y) - s.pad, s.w, s.h);
  }

  /** A free rectangle for a run: room for ink past the advance box (bold, descenders) on every side. */
  private place(pad: number, width: number, sizePx: number): Slot | null {
    const w = Math.ceil(width) + 2 * pad;
    const h = Math.ceil(sizePx * 1.5) + 2 * pad;
    if (w > this.width || h > this.height) return null;
    if (this.cursorX + w > this.width) {
      this.shelfY += this.shelfH;
      this.shelfH = 0;
      this.cursorX = 0;
    }
    if (this.shelfY + h > this.height) this.wipe();
    const s = { x: this.cursorX, y: this.shelfY, w, h, pad };
    this.cursorX += w;
    this.shelfH = Math.max(this.shelfH, h);
    return s;
  }

  private wipe(): void {
    this.stats.wipes++;
    this.map.clear();
    this.actx.clearRect(0, 0, this.width, this.height);
    this.shelfY = 0;
    this.shelfH = 0;
    this.cursorX = 0;
  }
}
