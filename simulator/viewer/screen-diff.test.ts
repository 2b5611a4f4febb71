import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyScreenUpdate, diffRects, encodeScreenUpdate } from './screen-diff.js';

const W = 37; // not a multiple of the tile: edge tiles are narrower
const H = 29;

describe('screen diff', () => {
  it('no change, no rects; one pixel, one tile', () => {
    const a = new Uint16Array(W * H);
    expect(diffRects(a, a.slice(), W, H, 8)).toEqual([]);
    const b = a.slice();
    b[10 * W + 20] = 0xffff;
    expect(diffRects(a, b, W, H, 8)).toEqual([{ x: 16, y: 8, w: 8, h: 8 }]);
  });

  it('a mostly changed picture is sent whole', () => {
    const a = new Uint16Array(W * H);
    const b = new Uint16Array(W * H).fill(7);
    expect(diffRects(a, b, W, H, 8)).toEqual([{ x: 0, y: 0, w: W, h: H }]);
  });

  it('applying the encoded rects to the old picture gives the new one, for any change', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.nat(W * H - 1), fc.integer({ min: 0, max: 0xffff })), { maxLength: 200 }),
      fc.integer({ min: 1, max: 20 }),
      fc.nat(0xffffffff),
      (changes, tile, frameId) => {
        const prev = new Uint16Array(W * H).map((_, i) => (i * 2654435761) & 0xffff);
        const next = prev.slice();
        for (const [i, v] of changes) next[i] = v;
        const rects = diffRects(prev, next, W, H, tile);
        for (const r of rects) expect(r.x + r.w <= W && r.y + r.h <= H).toBe(true);
        const shown = prev.slice();
        const got = applyScreenUpdate(encodeScreenUpdate(frameId, rects, next, W, false), shown, W);
        expect(got.frameId).toBe(frameId);
        expect(Buffer.from(shown.buffer).equals(Buffer.from(next.buffer))).toBe(true);
      },
    ), { numRuns: 300 });
  });

  it('rects never overlap', () => {
    fc.assert(fc.property(fc.array(fc.nat(W * H - 1), { maxLength: 60 }), (idx) => {
      const prev = new Uint16Array(W * H);
      const next = prev.slice();
      for (const i of idx) next[i] = 1;
      const rects = diffRects(prev, next, W, H, 4, 1.1);
      const seen = new Uint8Array(W * H);
      for (const r of rects) for (let y = r.y; y < r.y + r.h; y++) for (let x = r.x; x < r.x + r.w; x++) { expect(seen[y * W + x]).toBe(0); seen[y * W + x] = 1; }
    }));
  });
});
