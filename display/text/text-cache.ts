/**
 * Rendered-text cache: each distinct (font, colour, text) is laid out by Pango once, into an atlas
 * bitmap, and later frames composite it from there. Text shaping was ~45% of a page render
 * (bench/screen.ts); labels, names and keys repeat from frame to frame, so most text becomes a
 * blit. The atlas is a few fixed sheets (default 6 × 1024 × 512 px, 12 MB): native memory stays
 * bounded — a canvas per text run cost ~90 KB of native heap each, which the allocator never
 * returned. Runs are packed on shelves by height class; when every sheet is full the least recently used sheet is
 * wiped, so the pages in use keep their text and only long-unseen text is shaped again.
 */
import { createCanvas, type Canvas, type CanvasRenderingContext2D } from 'canvas';

interface Slot { sheet: Sheet; x: number; y: number; w: number; h: number; pad: number }

/** A row of runs of one height class; runs are placed left to right. */
interface Shelf { y: number; h: number; x: number }

interface Sheet {
  canvas: Canvas;
  ctx: CanvasRenderingContext2D;
  shelves: Shelf[];
  nextY: number;
  lastUsed: number;
  keys: Set<string>;
}

/** Shelf heights are rounded up to this, so runs of similar size share shelves. */
const SHELF_STEP = 16;

export class TextCache {
  private readonly sheets: Sheet[] = [];
  private readonly map = new Map<string, Slot>();
  private current: Sheet | null = null;
  private clock = 0;
  readonly stats = { hits: 0, misses: 0, wipes: 0, uncached: 0 };

  constructor(readonly sheetWidth = 1024, readonly sheetHeight = 512, readonly maxSheets = 6) {}

  get size(): number {
    return this.map.size;
  }

  /** Draws `text` with its top-left at (x, y) (textBaseline top), as fillText would. */
  draw(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, font: string, sizePx: number, color: string, width: number): void {
    if (!text) return;
    this.clock++;
    const key = `${font}\u0000${color}\u0000${text}`;
    let s = this.map.get(key);
    if (s) {
      this.stats.hits++;
    } else {
      this.stats.misses++;
      const pad = Math.ceil(sizePx * 0.25);
      const w = Math.ceil(width) + 2 * pad;
      const h = Math.ceil(sizePx * 1.5) + 2 * pad;
      if (w > this.sheetWidth || h > this.sheetHeight) {
        // Wider than a sheet: draw directly.
        this.stats.uncached++;
        ctx.font = font;
        ctx.fillStyle = color;
        ctx.textBaseline = 'top';
        ctx.textAlign = 'left';
        ctx.fillText(text, x, y);
        return;
      }
      s = this.place(w, h, pad);
      s.sheet.ctx.font = font;
      s.sheet.ctx.fillStyle = color;
      s.sheet.ctx.fillText(text, s.x + pad, s.y + pad);
      s.sheet.keys.add(key);
      this.map.set(key, s);
    }
    s.sheet.lastUsed = this.clock;
    ctx.drawImage(s.sheet.canvas, s.x, s.y, s.w, s.h, Math.round(x) - s.pad, Math.round(y) - s.pad, s.w, s.h);
  }

  private place(w: number, h: number, pad: number): Slot {
    const H = Math.ceil(h / SHELF_STEP) * SHELF_STEP;
    const tryPlace = (sh: Sheet): Slot | null => {
      let shelf = sh.shelves.find((x) => x.h === H && x.x + w <= this.sheetWidth);
      if (!shelf) {
        if (sh.nextY + H > this.sheetHeight) return null;
        shelf = { y: sh.nextY, h: H, x: 0 };
        sh.shelves.push(shelf);
        sh.nextY += H;
      }
      const slot = { sheet: sh, x: shelf.x, y: shelf.y, w, h, pad };
      shelf.x += w;
      return slot;
    };
    const here = this.current ? tryPlace(this.current) : null;
    if (here) return here;
    for (const sh of this.sheets) {
      const slot = sh !== this.current ? tryPlace(sh) : null;
      if (slot) { this.current = sh; return slot; }
    }
    let sheet: Sheet;
    if (this.sheets.length < this.maxSheets) {
      sheet = this.newSheet();
    } else {
      // Every sheet is full: reuse the one whose text was drawn longest ago.
      sheet = this.sheets.reduce((a, b) => (b.lastUsed < a.lastUsed ? b : a));
      this.wipe(sheet);
    }
    this.current = sheet;
    return tryPlace(sheet)!;
  }

  private newSheet(): Sheet {
    const canvas = createCanvas(this.sheetWidth, this.sheetHeight);
    const ctx = canvas.getContext('2d');
    ctx.textBaseline = 'top';
    const sheet: Sheet = { canvas, ctx, shelves: [], nextY: 0, lastUsed: this.clock, keys: new Set() };
    this.sheets.push(sheet);
    return sheet;
  }

  private wipe(sheet: Sheet): void {
    this.stats.wipes++;
    for (const k of sheet.keys) this.map.delete(k);
    sheet.keys.clear();
    sheet.ctx.clearRect(0, 0, this.sheetWidth, this.sheetHeight);
    sheet.shelves = [];
    sheet.nextY = 0;
  }
}
