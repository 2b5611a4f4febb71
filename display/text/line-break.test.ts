import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createCanvas } from 'canvas';
import { NO_LINE_END, NO_LINE_START, atoms, breakLines, fitLines } from './line-break.js';

/** Monospace-ish measurer: CJK and full-width marks 10, Latin 6, space 3. */
const W = (s: string) => [...s].reduce((n, c) => n + (c === ' ' ? 3 : c.charCodeAt(0) < 256 ? 6 : 10), 0);
const texts = (t: string, max: number) => breakLines(t, max, W).map((l) => l.text);

describe('clreq basic line breaking', () => {
  it('breaks between Chinese characters', () => {
    expect(texts('武汉市江岸区澳门路', 40)).toEqual(['武汉市江', '岸区澳门', '路']);
  });

  it('squeezes a comma or full stop onto the line first (先挤进)', () => {
    // "一二三四五，" is 60 wide; the comma compresses by 5 → 55 fits a 55 measure.
    expect(texts('一二三四五，六七', 55)).toEqual(['一二三四五，', '六七']);
    expect(texts('一二三四五。', 55)).toEqual(['一二三四五。']);
  });

  it('pushes the previous character down with a mark that cannot be squeezed (后推出)', () => {
    expect(texts('一二三四五，六七', 50)).toEqual(['一二三四', '五，六七']);
    // ：；！？ are centred in mainland fonts: never squeezed.
    expect(texts('一二三四五：六', 55)).toEqual(['一二三四', '五：六']);
    expect(texts('一二三四五！', 55)).toEqual(['一二三四', '五！']);
  });

  it('never starts a line with 、，。：；！？ closing brackets, quotes, 》 or connectors', () => {
    for (const mark of '、，。：；！？）》」』】”’·–～') {
      for (const max of [30, 40, 50]) {
        const lines = texts(`一二三四${mark}五六七八`, max);
        for (const l of lines.slice(1)) expect(NO_LINE_START.has([...l][0]!)).toBe(false);
      }
    }
  });

  it('never ends a line with an opening bracket, quote or 《', () => {
    expect(texts('一二三《四五》', 40)).toEqual(['一二三', '《四五》']);
    for (const mark of '（《「『【“‘') {
      for (const max of [30, 40, 50]) {
        for (const l of texts(`一二三${mark}四五六七`, max)) expect(NO_LINE_END.has([...l].at(-1)!)).toBe(false);
      }
    }
  });

  it('never splits —— or ……', () => {
    expect(texts('一二三——四五', 45)).toEqual(['一二三', '——四五']);
    // At the basic level …… may start a line (the strict level forbids it); it is simply not split.
    expect(texts('一二三……', 45)).toEqual(['一二三', '……']);
    for (const max of [20, 30, 40, 50, 60]) {
      for (const l of texts('前方施工——请绕行……谢谢', max)) {
        expect(l.startsWith('—') && !l.startsWith('——')).toBe(false);
        expect(l.endsWith('—') && !l.endsWith('——')).toBe(false);
        expect(l.startsWith('…') && !l.startsWith('……')).toBe(false);
      }
    }
  });

  it('never splits a number from its unit', () => {
    expect(texts('二〇二六年11月28日', 40)).toEqual(['二〇二六', '年11月', '28日']);
    expect(texts('全程约3.5 km步行', 50)).toEqual(['全程约', '3.5 km步', '行']);
    expect(texts('温度二十5℃', 50)).toEqual(['温度二十', '5℃']);
    expect(texts('票价¥2.80元', 40)).toEqual(['票价', '¥2.80元']);
    expect(texts('乘坐402路公交', 40)).toEqual(['乘坐', '402路公', '交']);
    expect(texts('开放时间9:00–17:00', 50)).toEqual(['开放时间', '9:00–', '17:00']);
    expect(atoms('每隔15分钟一班').map((a) => a.text)).toEqual(['每', '隔', '15', '分钟', '一', '班']);
  });

  it('breaks English at spaces only, and splits a word wider than the line as a last resort', () => {
    expect(texts('Touch to explore the city', 60)).toEqual(['Touch to', 'explore', 'the city']);
    // A URL breaks after a slash; a piece still too wide is split by characters.
    expect(texts('https://zwfw.wuhan.gov.cn/x', 60)).toEqual(['https://', 'zwfw.wuhan', '.gov.cn/x']);
  });

  it('mixes Chinese and English', () => {
    expect(texts('乘地铁7号线 Metro Line 7 到三阳路', 75)).toEqual(['乘地铁7号线', 'Metro Line 7', '到三阳路']);
  });

  it('keeps paragraphs and drops spaces at line edges', () => {
    expect(texts('第一段\n\n第二段', 100)).toEqual(['第一段', '', '第二段']);
    expect(texts('aa bb', 12)).toEqual(['aa', 'bb']);
  });

  it('fits into a number of lines with an ellipsis cut at an atom boundary', () => {
    const r = fitLines('因管道检修，11月30日9:00至17:00澳门路沿线停水，请提前储水。', 60, 2, W);
    expect(r.truncated).toBe(true);
    expect(r.lines).toHaveLength(2);
    expect(r.lines[1]!.text.endsWith('…')).toBe(true);
    expect(r.lines[1]!.width).toBeLessThanOrEqual(60);
    // The ellipsis does not follow a comma, and "30日" or "9:00" is never cut in half.
    expect(r.lines[1]!.text).not.toMatch(/[，、]…$/);
    expect(fitLines('短', 60, 2, W)).toEqual({ lines: [{ text: '短', width: 10 }], truncated: false });
  });

  it('holds its rules on random mixed text (property)', () => {
    const alphabet = [...'武汉江岸区路口公交站市民之家', ...'、，。：；！？）》」（《「“”', '——', '……', ...'0123456789', 'km', '分钟', '月', ' ', 'Line', 'Hankou'];
    fc.assert(fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }), fc.integer({ min: 30, max: 200 }), (parts, max) => {
      const text = parts.join('');
      const lines = breakLines(text, max, W);
      // Nothing is lost but spaces.
      expect(lines.map((l) => l.text).join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
      for (const [i, l] of lines.entries()) {
        const chars = [...l.text];
        // A line may exceed the measure only when it is one unbreakable piece split by force.
        if (l.width > max) expect(atoms(l.text).filter((a) => a.kind !== 'space').length).toBeLessThanOrEqual(1);
        if (i > 0 && chars.length && lines[i - 1]!.text !== '' && !l.forced) expect(NO_LINE_START.has(chars[0]!)).toBe(false);
        if (i < lines.length - 1 && chars.length && !lines[i + 1]!.forced && lines[i + 1]!.text !== '') expect(NO_LINE_END.has(chars.at(-1)!)).toBe(false);
      }
    }), { numRuns: 300 });
  });

  it('measures with the real CJK font through node-canvas', () => {
    const ctx = createCanvas(10, 10).getContext('2d');
    ctx.font = '24px "Noto Sans CJK SC"';
    const lines = breakLines('澳门路段夜间施工通告：11月28日至12月5日每晚22:00至次日6:00进行管网改造，请绕行。', 432, (s) => ctx.measureText(s).width);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.width).toBeLessThanOrEqual(432);
  });
});
