import { describe, expect, it } from 'vitest';
import { diffFrames } from './frame-diff.js';
import type { Frame } from './frame.js';

const frame = (w: number, h: number, fill = 0): Frame => ({ width: w, height: h, pixels: new Uint16Array(w * h).fill(fill) });

describe('diffFrames', () => {
  it('returns the whole screen when nothing is known', () => {
    expect(diffFrames(null, frame(480, 800))).toEqual([{ x: 0, y: 0, w: 480, h: 800 }]);
  });

  it('returns nothing for identical frames', () => {
    expect(diffFrames(frame(64, 64, 7), frame(64, 64, 7))).toEqual([]);
  });

  it('merges a changed text line into one rectangle covering every changed pixel', () => {
    const a = frame(480, 800);
    const b = frame(480, 800);
    for (let y = 100; y < 140; y++) for (let x = 30; x < 300; x++) b.pixels[y * 480 + x] = 0xffff;
    const rects = diffFrames(a, b);
    expect(rects).toHaveLength(1);
    const r = rects[0]!;
    expect(r.x).toBeLessThanOrEqual(30);
    expect(r.y).toBeLessThanOrEqual(100);
    expect(r.x + r.w).toBeGreaterThanOrEqual(300);
    expect(r.y + r.h).toBeGreaterThanOrEqual(140);
  });

  it('covers every changed pixel for random edits, within bounds', () => {
    for (let trial = 0; trial < 50; trial++) {
      const w = 37 + trial, h = 53;
      const a = frame(w, h);
      const b = frame(w, h);
      for (let k = 0; k < 10; k++) b.pixels[Math.floor(Math.random() * w * h)] = 1 + k;
      const rects = diffFrames(a, b);
      for (let i = 0; i < w * h; i++) {
        if (a.pixels[i] === b.pixels[i]) continue;
        const x = i % w, y = Math.floor(i / w);
        expect(rects.some((r) => x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h)).toBe(true);
      }
      for (const r of rects) { expect(r.x + r.w).toBeLessThanOrEqual(w); expect(r.y + r.h).toBeLessThanOrEqual(h); }
    }
  });
});
