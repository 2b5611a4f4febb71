import { describe, expect, it } from 'vitest';
import { Palette, TEXT_PAIRS, contrast } from './palette.js';

describe('palette', () => {
  it('keeps every text/background pair at WCAG contrast ≥ 4.5:1', () => {
    const report: string[] = [];
    for (const [fg, bgs] of TEXT_PAIRS) {
      for (const bg of bgs) {
        const c = contrast(Palette[fg], Palette[bg]);
        report.push(`${fg} on ${bg}: ${c.toFixed(2)}`);
        expect(c, `${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
      }
    }
    expect(report.length).toBeGreaterThan(15);
  });

  it('computes WCAG contrast correctly', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 1);
  });
});
