/**
 * Renderer: page model → RGB565 Frame, with one reusable node-canvas surface in the panel's
 * native pixel format (so no colour conversion happens after drawing).
 */
import { createCanvas, type Canvas, type CanvasRenderingContext2D } from 'canvas';
import type { Frame } from './frame.js';
import type { PageModel } from './page-model.js';
import { drawAttract } from './pages/attract.js';
import { drawEmergency } from './pages/emergency.js';

export class Renderer {
  private readonly canvas: Canvas;
  private readonly ctx: CanvasRenderingContext2D;

  constructor(readonly width: number, readonly height: number) {
    this.canvas = createCanvas(width, height);
    this.ctx = this.canvas.getContext('2d', { pixelFormat: 'RGB16_565' });
  }

  render(model: PageModel): Frame {
    const ctx = this.ctx;
    ctx.save();
    switch (model.page) {
      case 'attract': drawAttract(ctx, model, this.width, this.height); break;
      case 'emergency': drawEmergency(ctx, model, this.width, this.height); break;
    }
    ctx.restore();
    return this.snapshot();
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
