import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeWriteArea, encodeWriteArea, DisplayMode, RunMode, type AreaWrite } from './areas.js';
import { blankBitmap, decodePage, encodePage, pageBytes } from './bitmap.js';
import { decodeRequest } from './messages.js';

const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

describe('page bitmaps (vendor appendix 2)', () => {
  it('5E: 0 = lit, MSB leftmost, red byte then green byte, rows padded with 1 to the screen grid', () => {
    // An area at x = 35 (the manual's own example): the first byte covers x 32…39, so its three high bits are padding.
    const bmp = blankBitmap(5, 1);
    bmp.pixels.set([1, 0, 2, 3, 0]); // red, off, green, yellow, off at x 35…39
    // red: pad 111, lit 0, off 1, green-only 1, yellow 0, off 1 = ED; green: 111 1 1 0 0 1 = F9
    expect(toHex(encodePage(5, bmp, 35, 2))).toBe('ed f9');
    expect(toHex(encodePage(5, bmp, 35, 1))).toBe('ed');
  });

  it('6E: 32-bit little-endian words, bit 31 leftmost, red plane then green plane', () => {
    const bmp = blankBitmap(2, 2);
    bmp.pixels.set([1, 0, 0, 2]);
    const p = encodePage(6, bmp, 0, 2);
    expect(p.length).toBe(16);
    expect(toHex(p)).toBe('ff ff ff 7f ff ff ff ff ff ff ff ff ff ff ff bf');
  });

  it('round-trips any bitmap at any x in both generations', () => {
    fc.assert(fc.property(fc.constantFrom(5 as const, 6 as const), fc.constantFrom(1 as const, 2 as const), fc.integer({ min: 0, max: 70 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 4 }), fc.integer(), (gen, planes, x, w, h, seed) => {
      const bmp = blankBitmap(w, h);
      for (let i = 0; i < bmp.pixels.length; i++) bmp.pixels[i] = Math.abs(seed * (i + 7) >> 3) % (planes === 1 ? 2 : 4);
      const data = encodePage(gen, bmp, x, planes);
      expect(data.length).toBe(pageBytes(gen, x, w, h, planes));
      expect(Array.from(decodePage(gen, data, x, w, h, planes)!.pixels)).toEqual(Array.from(bmp.pixels));
    }), { numRuns: 300 });
  });
});

describe('write area A7 00', () => {
  const area: AreaWrite = {
    id: 1, runMode: RunMode.LOOP, timeoutSec: 0, immediate: true, x: 0, y: 16, w: 64, h: 16,
    pages: [
      { displayMode: DisplayMode.STATIC, clearMode: 0, speed: 1, stay10ms: 500, repeat: 1, data: new Uint8Array(128).fill(0xff) },
      { displayMode: DisplayMode.MOVE_LEFT, clearMode: 0, speed: 4, stay10ms: 300, repeat: 1, data: new Uint8Array(128).fill(0x0f) },
    ],
  };

  it('5E layout: lengths, area head, page head', () => {
    const m = encodeWriteArea(5, area);
    expect(toHex(m.subarray(0, 9))).toBe(`01 a7 00 00 00 ${toHex(Uint8Array.of((m.length - 9) & 0xff, (m.length - 9) >> 8, 0, 0))}`);
    // id, run mode, timeout, relate-all, none listed, ImmePlay 1, reserved, type 0x10, x y w h, no border, 2 pages
    expect(toHex(m.subarray(9, 33))).toBe('01 00 00 00 01 00 00 01 00 00 00 00 10 00 00 10 00 40 00 10 00 00 02 00');
    // page: bitmap length 128, style 0, static, clear 0, speed 1, stay 500 (f4 01), repeat 1, valid length 64, reserved 4
    expect(toHex(m.subarray(33, 50))).toBe('80 00 00 00 00 01 00 01 f4 01 01 40 00 00 00 00 00');
    const d = decodeWriteArea(5, decodeRequest(m)!.body);
    expect(d).toEqual({ ok: true, areas: [area] });
  });

  it('6E layout: parameters first, bitmaps after, offsets accumulate', () => {
    const m = encodeWriteArea(6, area);
    expect(toHex(m.subarray(3, 7))).toBe('00 00 01 00');
    const d = decodeWriteArea(6, decodeRequest(m)!.body);
    expect(d).toEqual({ ok: true, areas: [area] });
    expect(m.length).toBe(3 + 8 + 33 + 2 * 30 + 256);
  });

  it('refuses truncated and inconsistent bodies with a reason, never throws', () => {
    const m = decodeRequest(encodeWriteArea(5, area))!.body;
    expect(decodeWriteArea(5, m.subarray(0, m.length - 1)).ok).toBe(false);
    fc.assert(fc.property(fc.constantFrom(5 as const, 6 as const), fc.uint8Array({ maxLength: 120 }), (gen, body) => {
      const r = decodeWriteArea(gen, body);
      if (!r.ok) expect(typeof r.reason).toBe('string');
    }), { numRuns: 1000 });
  });
});
