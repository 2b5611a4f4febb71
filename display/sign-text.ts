/**
 * Text for an LED notice sign (docs/protocols/onbon.md §10): 1-bit pixels in rows of 16 or 24 px.
 * CJK at that size needs a face hinted for it: WenQuanYi Micro Hei (Debian fonts-wqy-microhei)
 * drawn without anti-aliasing keeps strokes apart (电 stays 电); Noto Sans CJK, the big screen's
 * face, thresholded at 16 px merges strokes (电 reads 申). So the sign uses Micro Hei, Noto as
 * fallback for characters it lacks, and renders through node-canvas, then keeps pixels ≥ 50 %.
 */
import { createCanvas, type CanvasRenderingContext2D } from 'canvas';
import { blankBitmap, type SignBitmap } from '../protocols/onbon/bitmap.js';
import { breakLines } from './text/line-break.js';
import { TextMeasure } from './text/measure.js';

export const SIGN_FONT_FAMILY = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif';
export type SignFontPx = 16 | 24;

/** A pixel colour on the sign: bit 0 red, bit 1 green (protocols/onbon/bitmap.ts). */
export type SignColour = 1 | 2 | 3;

export interface SignLine {
  text: string;
  colour: SignColour;
  align?: 'left' | 'center' | 'right';
}

export class SignText {
  private readonly ctx: CanvasRenderingContext2D;
  private readonly measure: TextMeasure;
  readonly font: string;

  constructor(readonly fontPx: SignFontPx, private readonly maxWidth: number) {
    const c = createCanvas(Math.max(8, maxWidth), fontPx);
    this.ctx = c.getContext('2d');
    this.ctx.antialias = 'none';
    this.font = `${fontPx}px ${SIGN_FONT_FAMILY}`;
    this.ctx.font = this.font;
    this.ctx.textBaseline = 'middle';
    this.measure = new TextMeasure(this.ctx);
  }

  width(text: string): number {
    return this.measure.width(this.font, text);
  }

  /** The text broken into lines that fit `width` (clreq rules, display/text/line-break.ts). */
  wrap(text: string, width: number): string[] {
    return text.split(/\r?\n/).flatMap((para) => (para.trim() ? breakLines(para, width, (t) => this.width(t)).map((l) => l.text) : []));
  }

  /** Lines stacked into a bitmap of `width` × lines·fontPx. */
  render(lines: readonly SignLine[], width: number, height: number): SignBitmap {
    const out = blankBitmap(width, height);
    const px = this.fontPx;
    const ctx = this.ctx;
    for (let i = 0; i < lines.length && (i + 1) * px <= height; i++) {
      const line = lines[i]!;
      ctx.fillStyle = '#000';
      ctx.fillRect(0, 0, this.maxWidth, px);
      ctx.fillStyle = '#fff';
      const w = this.width(line.text);
      const x = line.align === 'center' ? Math.max(0, Math.floor((width - w) / 2)) : line.align === 'right' ? Math.max(0, width - Math.ceil(w)) : 0;
      // The em box is the row; its middle sits one pixel low so descenders and CJK bottoms stay inside.
      ctx.fillText(line.text, x, px / 2 + 1);
      const img = ctx.getImageData(0, 0, Math.min(width, this.maxWidth), px).data;
      const cols = Math.min(width, this.maxWidth);
      for (let r = 0; r < px; r++) {
        for (let c = 0; c < cols; c++) if (img[(r * cols + c) * 4]! >= 128) out.pixels[(i * px + r) * width + c] = line.colour;
      }
    }
    return out;
  }
}
