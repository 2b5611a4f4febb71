import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createCanvas } from 'canvas';
import { screenGeometry, sc } from '../geometry.js';
import { font } from '../fonts.js';
import { TextMeasure } from '../text/measure.js';
import { breakLines } from '../text/line-break.js';
import { emergencyScreens, stepSizes, type AlertText } from './emergency.js';

const g = screenGeometry(480, 800, 0.5);
const tm = new TextMeasure(createCanvas(8, 8).getContext('2d'));

const zhWord = fc.constantFrom('暴雨', '红色预警', '请立即', '远离江滩', '，', '。', '100毫米', '地下通道', '低洼地带', '听从指挥', '3小时');
const enWord = fc.constantFrom('Rain', 'warning', 'leave', 'the', 'riverside', 'now.', 'Over', '100 mm', 'underpasses,', 'keep', 'away', 'from');
const text = (w: fc.Arbitrary<string>, sep: string, min: number, max: number) => fc.array(w, { minLength: min, maxLength: max }).map((a) => a.join(sep));

describe('emergencyScreens (the bilingual emergency layout)', () => {
  it('never loses or repeats a body line, puts every language on every screen, and each screen fits the page', () => {
    fc.assert(fc.property(
      text(zhWord, '', 1, 12), text(zhWord, '', 0, 160), text(enWord, ' ', 1, 12), text(enWord, ' ', 0, 160), fc.boolean(),
      (zt, zb, et, eb, bilingual) => {
        const parts: AlertText[] = [{ lang: 'zh', title: zt, body: zb }, ...(bilingual ? [{ lang: 'en' as const, title: et, body: eb }] : [])];
        const { step, screens } = emergencyScreens(g, tm, parts);
        const S = stepSizes(g, step);
        expect(screens.length).toBeGreaterThan(0);
        for (const s of screens) {
          expect(s.map((b) => b.lang)).toEqual(parts.map((p) => p.lang));
          // Headlines on every screen; the body lines fit between the band and the footer.
          const h = s.reduce((a, b) => a + b.title.length * S.titleLH + sc(g, 10) + b.lines.length * S.bodyLH, 0) + (s.length - 1) * sc(g, 36);
          expect(h).toBeLessThanOrEqual(g.height - sc(g, 74) - (sc(g, 120) + sc(g, 58)));
        }
        parts.forEach((p, i) => {
          const all = p.body ? breakLines(p.body, g.width - 2 * sc(g, 26), tm.fn(font(S.body))).map((l) => l.text) : [];
          expect(screens.flatMap((s) => s[i]!.lines)).toEqual(all);
        });
        // One still screen whenever the smaller steps could not do better; two when that keeps the larger text.
        if (screens.length > 2) expect(step).toBe(3);
      },
    ), { numRuns: 150 });
  });

  it('keeps the largest type when everything fits one screen', () => {
    const { step, screens } = emergencyScreens(g, tm, [{ lang: 'zh', title: '暴雨红色预警', body: '请远离江滩。' }, { lang: 'en', title: 'Red rainstorm warning', body: 'Keep away from the riverside.' }]);
    expect(step).toBe(0);
    expect(screens).toEqual([[
      { lang: 'zh', title: ['暴雨红色预警'], lines: ['请远离江滩。'] },
      { lang: 'en', title: ['Red rainstorm', 'warning'], lines: ['Keep away from the riverside.'] },
    ]]);
  });
});
