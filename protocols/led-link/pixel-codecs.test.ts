import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Codec } from './messages.js';
import { PixelEncoder, decodePixels } from './pixel-codecs.js';

const ALL = 0b11111;
const pixels = (w: number, h: number, colours: number[]) => fc.array(fc.constantFrom(...colours), { minLength: w * h, maxLength: w * h }).map((a) => Uint16Array.from(a));

describe('BLIT pixel codecs', () => {
  it('every codec round-trips any rectangle', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 300 }), fc.nat(), (w, h, ncol, seed) => {
      const colours = Array.from({ length: ncol }, (_, i) => (i * 2654435761 + seed) & 0xffff);
      const px = Uint16Array.from({ length: w * h }, (_, i) => colours[(i * 7 + (i >> 3) + seed) % ncol]!);
      const enc = new PixelEncoder();
      for (const e of enc.encodeEach(px, w, h, ALL)) {
        const out = new Uint16Array(w * h);
        expect(decodePixels(e.codec, e.data, w, h, out), `codec ${e.codec}`).toBe(true);
        expect(out).toEqual(px);
      }
      const best = enc.encode(px, w, h, ALL);
      const out = new Uint16Array(w * h);
      expect(decodePixels(best.codec, best.data, w, h, out)).toBe(true);
      expect(out).toEqual(px);
    }), { numRuns: 150 });
  });

  it('picks SOLID for one colour, the palette for few, DEFLATE for many', () => {
    const enc = new PixelEncoder();
    expect(enc.encode(new Uint16Array(64).fill(0x1234), 8, 8, ALL).codec).toBe(Codec.SOLID);
    fc.assert(fc.property(pixels(16, 16, [0, 0xffff, 0x1f]), (px) => {
      expect([Codec.PALETTE_DEFLATE, Codec.SOLID, Codec.RAW]).toContain(enc.encode(px, 16, 16, ALL).codec);
    }), { numRuns: 30 });
    // 512 colours repeating: too many for a palette, easy for DEFLATE.
    const many = Uint16Array.from({ length: 4096 }, (_, i) => (i % 512) * 37);
    expect(enc.encode(many, 64, 64, ALL).codec).toBe(Codec.DEFLATE);
    const runs = Uint16Array.from({ length: 4096 }, (_, i) => (i >> 4) * 37);
    expect(enc.encode(runs, 64, 64, 0b11).codec).toBe(Codec.RLE16);
  });

  it('only uses codecs the board allows', () => {
    const enc = new PixelEncoder();
    const px = Uint16Array.from({ length: 256 }, (_, i) => (i % 3) * 100);
    expect(enc.encode(px, 16, 16, 1 << Codec.RAW).codec).toBe(Codec.RAW);
    expect([Codec.RAW, Codec.RLE16]).toContain(enc.encode(px, 16, 16, 0b11).codec);
  });

  it('random payloads never throw and never decode to the wrong size', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 6 }), fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 64 }), (codec, data, w, h) => {
      const out = new Uint16Array(w * h);
      decodePixels(codec, data, w, h, out);
    }), { numRuns: 500 });
  });

  it('refuses a deflate bomb (output longer than the rectangle)', async () => {
    const zlib = await import('node:zlib');
    const bomb = zlib.deflateRawSync(new Uint8Array(1 << 20));
    expect(decodePixels(Codec.DEFLATE, bomb, 16, 16, new Uint16Array(256))).toBe(false);
  });
});
