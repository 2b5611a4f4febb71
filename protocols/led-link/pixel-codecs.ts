/**
 * BLIT pixel codecs (docs/protocols/led-link.md §4). Pixels are RGB565 words, row-major.
 *  RAW              w·h little-endian words
 *  RLE16            PackBits over words (rle16.ts)
 *  DEFLATE          raw DEFLATE (RFC 1951) of the RAW bytes
 *  PALETTE_DEFLATE  n−1 u8 | n palette words | raw DEFLATE of indices packed 1/2/4/8 bits per
 *                   pixel (n ≤ 2/4/16/256), MSB first, each row padded to a whole byte
 *  SOLID            one word that fills the rectangle
 * PALETTE_DEFLATE is TightVNC's "palette + zlib" idea: UI frames are flat colours and
 * anti-aliased text, rarely more than 256 colours in a band, so indices halve (or better) what
 * DEFLATE must code, and the board's inflate produces half the bytes.
 */
import * as zlib from 'node:zlib';
import { Codec, MAX_BLIT_PIXELS } from './messages.js';
import { decodeRle16, encodeRle16 } from './rle16.js';

export interface EncodedPixels {
  codec: Codec;
  data: Uint8Array;
}

function bitsFor(n: number): 1 | 2 | 4 | 8 {
  return n <= 2 ? 1 : n <= 4 ? 2 : n <= 16 ? 4 : 8;
}

function packedRowBytes(w: number, bpp: number): number {
  return Math.ceil((w * bpp) / 8);
}

/** Decodes a BLIT payload into `out` (length w·h). Returns false for anything malformed. */
export function decodePixels(codec: number, data: Uint8Array, w: number, h: number, out: Uint16Array): boolean {
  const n = w * h;
  if (n === 0 || n > MAX_BLIT_PIXELS || out.length < n) return false;
  switch (codec) {
    case Codec.RAW:
      if (data.length !== n * 2) return false;
      for (let i = 0; i < n; i++) out[i] = data[2 * i]! | (data[2 * i + 1]! << 8);
      return true;
    case Codec.RLE16:
      return decodeRle16(data, out.subarray(0, n));
    case Codec.SOLID:
      if (data.length !== 2) return false;
      out.fill(data[0]! | (data[1]! << 8), 0, n);
      return true;
    case Codec.DEFLATE: {
      const raw = inflateExactly(data, n * 2);
      if (!raw) return false;
      for (let i = 0; i < n; i++) out[i] = raw[2 * i]! | (raw[2 * i + 1]! << 8);
      return true;
    }
    case Codec.PALETTE_DEFLATE: {
      if (data.length < 1) return false;
      const count = data[0]! + 1;
      const palEnd = 1 + count * 2;
      if (data.length < palEnd) return false;
      const bpp = bitsFor(count);
      const rowBytes = packedRowBytes(w, bpp);
      const idx = inflateExactly(data.subarray(palEnd), rowBytes * h);
      if (!idx) return false;
      const pal = new Uint16Array(count);
      for (let i = 0; i < count; i++) pal[i] = data[1 + 2 * i]! | (data[2 + 2 * i]! << 8);
      const mask = (1 << bpp) - 1;
      for (let y = 0, o = 0; y < h; y++) {
        const row = y * rowBytes;
        for (let x = 0; x < w; x++, o++) {
          const bit = x * bpp;
          const v = (idx[row + (bit >> 3)]! >> (8 - bpp - (bit & 7))) & mask;
          if (v >= count) return false;
          out[o] = pal[v]!;
        }
      }
      return true;
    }
    default:
      return false;
  }
}

/** Inflates raw DEFLATE; null unless it is well formed and yields exactly `size` bytes. */
function inflateExactly(data: Uint8Array, size: number): Uint8Array | null {
  try {
    const r = zlib.inflateRawSync(data, { maxOutputLength: size + 1, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    return r.length === size ? r : null;
  } catch {
    return null;
  }
}

export interface PixelEncoderOptions {
  /** DEFLATE level 1–9. Default 6. */
  level?: number;
}

/**
 * Chooses and applies the codec for one rectangle. Holds a colour-index scratch table, so one
 * instance per sender (not shared: no module-level state).
 */
export class PixelEncoder {
  private readonly slot = new Int32Array(65536).fill(-1);
  /** Packed palette indices of one rectangle (≤ MAX_BLIT_PIXELS bytes at 8 bits), reused. */
  private readonly idx = new Uint8Array(MAX_BLIT_PIXELS);
  private readonly level: number;

  constructor(o: PixelEncoderOptions = {}) {
    this.level = o.level ?? 6;
  }

  /** `allowed` is the board's CAPS codec bit set. */
  encode(px: Uint16Array, w: number, h: number, allowed: number): EncodedPixels {
    const has = (c: Codec) => (allowed & (1 << c)) !== 0;
    const n = w * h;
    const palette = this.palette(px, n, 256);
    if (palette && palette.length === 1 && has(Codec.SOLID)) return { codec: Codec.SOLID, data: Uint8Array.of(px[0]! & 0xff, px[0]! >> 8) };
    let best: EncodedPixels = { codec: Codec.RAW, data: new Uint8Array(px.buffer, px.byteOffset, n * 2) };
    if (palette && has(Codec.PALETTE_DEFLATE)) {
      const c = this.encodePalette(px, w, h, palette);
      if (c.length < best.data.length) best = { codec: Codec.PALETTE_DEFLATE, data: c };
    } else if (has(Codec.DEFLATE)) {
      const c = this.deflate(new Uint8Array(px.buffer, px.byteOffset, n * 2));
      if (c.length < best.data.length) best = { codec: Codec.DEFLATE, data: c };
    } else if (has(Codec.RLE16)) {
      const c = encodeRle16(px.subarray(0, n));
      if (c.length < best.data.length) best = { codec: Codec.RLE16, data: c };
    }
    return best;
  }

  /** Every codec the board allows, for measurements (bench/led-link.ts). */
  encodeEach(px: Uint16Array, w: number, h: number, allowed: number): EncodedPixels[] {
    const has = (c: Codec) => (allowed & (1 << c)) !== 0;
    const n = w * h;
    const out: EncodedPixels[] = [];
    const palette = this.palette(px, n, 256);
    if (has(Codec.RAW)) out.push({ codec: Codec.RAW, data: new Uint8Array(px.buffer, px.byteOffset, n * 2).slice() });
    if (has(Codec.RLE16)) out.push({ codec: Codec.RLE16, data: encodeRle16(px.subarray(0, n)) });
    if (has(Codec.DEFLATE)) out.push({ codec: Codec.DEFLATE, data: this.deflate(new Uint8Array(px.buffer, px.byteOffset, n * 2)) });
    if (palette && has(Codec.PALETTE_DEFLATE)) out.push({ codec: Codec.PALETTE_DEFLATE, data: this.encodePalette(px, w, h, palette) });
    if (palette?.length === 1 && has(Codec.SOLID)) out.push({ codec: Codec.SOLID, data: Uint8Array.of(px[0]! & 0xff, px[0]! >> 8) });
    return out;
  }

  private deflate(raw: Uint8Array): Uint8Array {
    return zlib.deflateRawSync(raw, { level: this.level, memLevel: 9 });
  }

  /** The distinct colours of px[0, n) in order of appearance, or null if more than `max`. */
  private palette(px: Uint16Array, n: number, max: number): number[] | null {
    const slot = this.slot;
    const colours: number[] = [];
    let ok = true;
    for (let i = 0; i < n; i++) {
      const c = px[i]!;
      if (slot[c] !== -1) continue;
      if (colours.length === max) { ok = false; break; }
      slot[c] = colours.length;
      colours.push(c);
    }
    for (const c of colours) slot[c] = -1;
    return ok ? colours : null;
  }

  private encodePalette(px: Uint16Array, w: number, h: number, colours: number[]): Uint8Array {
    const slot = this.slot;
    colours.forEach((c, i) => { slot[c] = i; });
    const bpp = bitsFor(colours.length);
    const rowBytes = packedRowBytes(w, bpp);
    const idx = this.idx.subarray(0, rowBytes * h);
    idx.fill(0);
    for (let y = 0, i = 0; y < h; y++) {
      const row = y * rowBytes;
      if (bpp === 8) {
        for (let x = 0; x < w; x++, i++) idx[row + x] = slot[px[i]!]!;
      } else {
        for (let x = 0; x < w; x++, i++) {
          const bit = x * bpp;
          idx[row + (bit >> 3)]! |= slot[px[i]!]! << (8 - bpp - (bit & 7));
        }
      }
    }
    for (const c of colours) slot[c] = -1;
    const z = this.deflate(idx);
    const out = new Uint8Array(1 + colours.length * 2 + z.length);
    out[0] = colours.length - 1;
    colours.forEach((c, i) => { out[1 + 2 * i] = c & 0xff; out[2 + 2 * i] = c >> 8; });
    out.set(z, 1 + colours.length * 2);
    return out;
  }
}
