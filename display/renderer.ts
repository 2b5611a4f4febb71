/**
 * Renderer: page model → RGB565 Frame, with one reusable node-canvas surface in the panel's
 * native pixel format (so no colour conversion happens after drawing). It draws the page, then
 * the idle-warning banner, then the press highlight on the hit region under the finger.
 */
import { createCanvas, type Canvas, type CanvasRenderingContext2D } from 'canvas';
import type { Frame } from '../lib/frame.js';
import type { PageModel } from './page-model.js';
import { screenGeometry, sc, type ScreenGeometry } from './geometry.js';
import { Palette } from './palette.js';
import { TextMeasure } from './text/measure.js';
import { TextCache } from './text/text-cache.js';
import { QrCache, type QrPlacement } from './draw/qr.js';
import { drawIdleBanner } from './draw/chrome.js';
import type { Kit } from './draw/kit.js';
import { roundRect } from './draw/ui.js';
import { drawPage } from './views.js';

export class Renderer {
  readonly geometry: ScreenGeometry;
  /** Shared with page builders, so paging and drawing measure text identically. */
  readonly measure: TextMeasure;
  readonly qr = new QrCache();
  readonly textCache = new TextCache();
  /** QR codes placed by the last draw. */
  lastQr: QrPlacement[] = [];
  private readonly canvas: Canvas;
  private readonly ctx: CanvasRenderingContext2D;

  constructor(readonly width: number, readonly height: number, pixelPitchMm = 0.5) {
    this.geometry = screenGeometry(width, height, pixelPitchMm);
    this.canvas = createCanvas(width, height);
    this.ctx = this.canvas.getContext('2d', { pixelFormat: 'RGB16_565' });
    this.measure = new TextMeasure(createCanvas(8, 8).getContext('2d'));
  }

  /** Draws onto an arbitrary context (tests wrap it to audit every text drawn). */
  draw(model: PageModel, ctx: CanvasRenderingContext2D = this.ctx): void {
    // Text through the cache on the panel surface; directly on any other context (audits).
    const text = ctx === this.ctx ? this.textCache : null;
    const k: Kit = { ctx, g: this.geometry, tm: this.measure, qr: this.qr, placedQr: [] };
    this.lastQr = k.placedQr;
    this.measure.drawCache = text;
    ctx.save();
    ctx.textBaseline = 'top';
    try {
      drawPage(k, model);
      drawIdleBanner(k, model);
      drawPressed(k, model);
    } finally {
      ctx.restore();
      this.measure.drawCache = null;
    }
  }

  render(model: PageModel): Frame {
    this.draw(model);
    return this.snapshot();
  }

  /** The surface as PNG (screenshots, the screen.screenshot command). */
  png(): Buffer {
    return this.canvas.toBuffer('image/png');
  }

  /**
   * The surface as a Frame. toBuffer('raw') already copies; when rows are not padded the Frame is
   * a view on that copy (one 768 KB allocation per frame, not two — transient frame buffers are
   * most of the runtime's native memory churn, docs/screen.md §Memory).
   */
  private snapshot(): Frame {
    const raw = this.canvas.toBuffer('raw');
    const stride = this.canvas.stride;
    const n = this.width * this.height;
    if (stride === this.width * 2 && raw.byteOffset % 2 === 0) {
      return { width: this.width, height: this.height, pixels: new Uint16Array(raw.buffer, raw.byteOffset, n) };
    }
    const pixels = new Uint16Array(n);
    for (let y = 0; y < this.height; y++) pixels.set(new Uint16Array(raw.buffer, raw.byteOffset + y * stride, this.width), y * this.width);
    return { width: this.width, height: this.height, pixels };
  }
}

/**
 * Press feedback: a thick bright ring around the control under the finger. A ring rather than a
 * tint: it is just as visible, and it changes only the pixels along the edge, so the frame that
 * carries it is a few KB on the LED link (the press must show within one frame, ≤ 50 ms).
 */
function drawPressed(k: Kit, m: PageModel): void {
  if (!m.pressed || m.page === 'attract') return;
  const hit = m.hits.find((h) => h.id === m.pressed);
  if (!hit) return;
  const { ctx, g } = k;
  const r = hit.rect;
  const w = Math.max(3, sc(g, 6));
  ctx.save();
  ctx.strokeStyle = Palette.cue;
  ctx.lineWidth = w;
  roundRect(ctx, { x: r.x + w / 2, y: r.y + w / 2, w: r.w - w, h: r.h - w }, sc(g, 14));
  ctx.stroke();
  ctx.restore();
}
