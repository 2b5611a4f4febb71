/**
 * Renderer: page model → RGB565 Frame, with one reusable node-canvas surface in the panel's
 * native pixel format (so no colour conversion happens after drawing). It draws the page, then
 * the idle-warning banner, then the press highlight on the hit region under the finger.
 */
import { createCanvas, type Canvas, type CanvasRenderingContext2D } from 'canvas';
import type { Frame } from './frame.js';
import type { PageModel } from './page-model.js';
import { screenGeometry, sc, type ScreenGeometry } from './geometry.js';
import { Palette } from './palette.js';
import { TextMeasure } from './text/measure.js';
import { QrCache } from './draw/qr.js';
import { drawIdleBanner } from './draw/chrome.js';
import type { Kit } from './draw/kit.js';
import { roundRect } from './draw/ui.js';
import { drawPage } from './views.js';

export class Renderer {
  readonly geometry: ScreenGeometry;
  /** Shared with page builders, so paging and drawing measure text identically. */
  readonly measure: TextMeasure;
  readonly qr = new QrCache();
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
    const k: Kit = { ctx, g: this.geometry, tm: this.measure, qr: this.qr };
    ctx.save();
    ctx.textBaseline = 'top';
    drawPage(k, model);
    drawIdleBanner(k, model);
    drawPressed(k, model);
    ctx.restore();
  }

  render(model: PageModel): Frame {
    this.draw(model);
    return this.snapshot();
  }

  /** The surface as PNG (screenshots, the screen.screenshot command). */
  png(): Buffer {
    return this.canvas.toBuffer('image/png');
  }

  /** Copies the surface into a Frame (rows may be padded in the surface). */
  private snapshot(): Frame {
    const raw = this.canvas.toBuffer('raw');
    const stride = this.canvas.stride;
    const pixels = new Uint16Array(this.width * this.height);
    if (stride === this.width * 2) {
      pixels.set(new Uint16Array(raw.buffer, raw.byteOffset, pixels.length));
    } else {
      for (let y = 0; y < this.height; y++) pixels.set(new Uint16Array(raw.buffer, raw.byteOffset + y * stride, this.width), y * this.width);
    }
    return { width: this.width, height: this.height, pixels };
  }
}

/** Press feedback: the region under the finger lights up and gets a bright outline. */
function drawPressed(k: Kit, m: PageModel): void {
  if (!m.pressed || m.page === 'attract') return;
  const hit = m.hits.find((h) => h.id === m.pressed);
  if (!hit) return;
  const { ctx, g } = k;
  const r = hit.rect;
  ctx.save();
  ctx.fillStyle = 'rgba(255,255,255,0.22)';
  roundRect(ctx, r, sc(g, 14));
  ctx.fill();
  ctx.strokeStyle = Palette.cue;
  ctx.lineWidth = sc(g, 4);
  roundRect(ctx, { x: r.x + 2, y: r.y + 2, w: r.w - 4, h: r.h - 4 }, sc(g, 14));
  ctx.stroke();
  ctx.restore();
}
