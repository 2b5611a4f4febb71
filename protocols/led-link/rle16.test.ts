import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeRle16, encodeRle16 } from './rle16.js';

describe('RLE16', () => {
  it('compresses flat colour to a few bytes', () => {
    const px = new Uint16Array(480).fill(0x1234);
    const enc = encodeRle16(px);
    expect(enc.length).toBeLessThan(20);
    const out = new Uint16Array(480);
    expect(decodeRle16(enc, out)).toBe(true);
    expect(out).toEqual(px);
  });

  it('round-trips any pixels', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.constant(0), fc.constant(0xffff), fc.integer({ min: 0, max: 0xffff })), { maxLength: 1000 }), (arr) => {
      const px = Uint16Array.from(arr);
      const out = new Uint16Array(px.length);
      expect(decodeRle16(encodeRle16(px), out)).toBe(true);
      expect(out).toEqual(px);
    }));
  });

  it('rejects random input without throwing or overrunning', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 500 }), fc.integer({ min: 0, max: 300 }), (bytes, n) => {
      const out = new Uint16Array(n);
      expect(typeof decodeRle16(bytes, out)).toBe('boolean');
    }));
  });
});
