/**
 * Dynamic-area page bitmaps (docs/protocols/onbon.md §6). A pixel is 2 bits: bit 0 red, bit 1
 * green (the vendor's colour attribute), so 3 is yellow. On the wire a lit LED is a 0 bit, a dark
 * one a 1 bit, and the rows are aligned to the screen, not to the area: bits left of the area's
 * first pixel and right of its last are padded with 1 (dark).
 *
 * - BX-5E: bytes of 8 pixels, MSB = leftmost. With two colours each red byte is followed by the
 *   green byte of the same 8 pixels.
 * - BX-6E: 32-bit words (little-endian like every multi-byte field), bit 31 = leftmost. The whole
 *   red plane comes first, then the whole green plane.
 */
import type { OnbonGeneration } from './header.js';

export type SignColours = 'red' | 'red-green';
export const planesOf = (c: SignColours): 1 | 2 => (c === 'red' ? 1 : 2);

/** Pixels of a rectangle, row-major, each 0 (off) … 3 (red + green). */
export interface SignBitmap {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

export function blankBitmap(width: number, height: number): SignBitmap {
  return { width, height, pixels: new Uint8Array(width * height) };
}

const unit = (gen: OnbonGeneration) => (gen === 5 ? 8 : 32);

/** Wire units (bytes on 5E, words on 6E) one row of one plane takes for an area at x of width w. */
export function unitsPerRow(gen: OnbonGeneration, x: number, w: number): number {
  const u = unit(gen);
  return Math.ceil((x + w) / u) - Math.floor(x / u);
}

export function pageBytes(gen: OnbonGeneration, x: number, w: number, h: number, planes: 1 | 2): number {
  return unitsPerRow(gen, x, w) * h * planes * (gen === 5 ? 1 : 4);
}

export function encodePage(gen: OnbonGeneration, bmp: SignBitmap, x: number, planes: 1 | 2): Uint8Array {
  const { width: w, height: h, pixels } = bmp;
  const u = unit(gen);
  const units = unitsPerRow(gen, x, w);
  const first = Math.floor(x / u) * u;
  const out = new Uint8Array(pageBytes(gen, x, w, h, planes));
  const dv = new DataView(out.buffer);
  for (let plane = 0; plane < planes; plane++) {
    const bit = 1 << plane;
    for (let row = 0; row < h; row++) {
      for (let k = 0; k < units; k++) {
        let v = 0;
        for (let b = 0; b < u; b++) {
          const sx = first + k * u + b - x;
          const lit = sx >= 0 && sx < w && (pixels[row * w + sx]! & bit) !== 0;
          v = v * 2 + (lit ? 0 : 1);
        }
        if (gen === 5) out[(row * units + k) * planes + plane] = v;
        else dv.setUint32(((plane * h + row) * units + k) * 4, v >>> 0, true);
      }
    }
  }
  return out;
}

/** The pixels of a page, or null when `data` is not the size such a page must have. */
export function decodePage(gen: OnbonGeneration, data: Uint8Array, x: number, w: number, h: number, planes: 1 | 2): SignBitmap | null {
  if (data.length !== pageBytes(gen, x, w, h, planes)) return null;
  const u = unit(gen);
  const units = unitsPerRow(gen, x, w);
  const first = Math.floor(x / u) * u;
  const pixels = new Uint8Array(w * h);
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let plane = 0; plane < planes; plane++) {
    for (let row = 0; row < h; row++) {
      for (let k = 0; k < units; k++) {
        const v = gen === 5 ? data[(row * units + k) * planes + plane]! : dv.getUint32(((plane * h + row) * units + k) * 4, true);
        for (let b = 0; b < u; b++) {
          const sx = first + k * u + b - x;
          if (sx < 0 || sx >= w) continue;
          const i = row * w + sx;
          if (((v >>> (u - 1 - b)) & 1) === 0) pixels[i] = pixels[i]! | (1 << plane);
        }
      }
    }
  }
  return { width: w, height: h, pixels };
}
