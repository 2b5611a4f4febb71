import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { rsDecodeInPlace, rsEncode } from './reed-solomon.js';

// An independent encoder of the same code (QR: 0x11D, α=2, first root α^0) to cross-check ours.
const require = createRequire(import.meta.url);
const QrRs = require('qrcode/lib/core/reed-solomon-encoder.js') as new (degree: number) => { encode(data: Uint8Array): Uint8Array };

describe('Reed–Solomon GF(256)', () => {
  it('matches the published QR "HELLO WORLD" 1-M error-correction codewords', () => {
    const data = Uint8Array.from([32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]);
    expect(Array.from(rsEncode(data, 10))).toEqual([196, 35, 39, 119, 235, 215, 231, 226, 93, 23]);
  });

  it('agrees with the qrcode package encoder on random data', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.constantFrom(2, 4, 6, 8, 10, 16, 20, 30, 32), (d, nsym) => {
      if (d.length + nsym > 255) d = d.subarray(0, 255 - nsym);
      expect(Buffer.from(rsEncode(d, nsym)).equals(Buffer.from(new QrRs(nsym).encode(d)))).toBe(true);
    }), { numRuns: 200 });
  });

  it('corrects up to nsym/2 byte errors anywhere and says how many', () => {
    fc.assert(fc.property(
      fc.uint8Array({ minLength: 1, maxLength: 223 }), fc.constantFrom(2, 4, 8, 10, 16, 20, 32), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 16 }),
      (d, nsym, errs) => {
        const cw = new Uint8Array(d.length + nsym);
        cw.set(d);
        cw.set(rsEncode(d, nsym), d.length);
        const orig = cw.slice();
        const pos = new Map<number, number>();
        for (const [p, v] of errs) if (pos.size < nsym / 2) pos.set(p % cw.length, v);
        for (const [p, v] of pos) cw[p]! ^= v;
        const r = rsDecodeInPlace(cw, 0, cw.length, nsym);
        expect(r).toEqual({ ok: true, corrected: pos.size });
        expect(Buffer.from(cw).equals(Buffer.from(orig))).toBe(true);
      }), { numRuns: 500 });
  });

  it('reports failure (or lands on a valid codeword) beyond its power, never throws', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 20, maxLength: 255 }), (cw) => {
      const r = rsDecodeInPlace(cw, 0, cw.length, 16);
      if (r.ok) expect(r.corrected).toBeLessThanOrEqual(8);
    }), { numRuns: 300 });
  });
});
