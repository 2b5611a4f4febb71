import { describe, expect, it } from 'vitest';
import { AreaId, planSign, type SignContent, type SignGeometry, type Wrapper } from './sign-plan.js';

// Measuring: every character 16 px wide; wrapping: cut every 8 characters (a 128-px sign).
const w: Wrapper = {
  width: (t) => [...t].length * 16,
  wrap: (t, width) => { const n = Math.floor(width / 16); const c = [...t]; const out: string[] = []; for (let i = 0; i < c.length; i += n) out.push(c.slice(i, i + n).join('')); return out; },
};
const g: SignGeometry = { width: 128, height: 48, fontPx: 16, dualColour: true, pageSec: 6, maxPages: 8 };
const base: SignContent = { clock: ['12月7日星期一 19:45', '19:45'], notices: [], emergency: [], idle: '澳门路', test: false };

describe('planSign', () => {
  it('puts the clock on the top row (the shorter form when the long one does not fit) and the idle text below', () => {
    const [clock, notices] = planSign(base, g, w);
    expect(clock).toMatchObject({ id: AreaId.CLOCK, x: 0, y: 0, w: 128, h: 16 });
    expect(clock!.pages[0]!.lines[0]).toMatchObject({ text: '19:45', colour: 2, align: 'center' });
    expect(notices).toMatchObject({ id: AreaId.NOTICES, y: 16, h: 32 });
    expect(notices!.pages[0]!.lines).toEqual([{ text: '澳门路', colour: 3 }]);
  });

  it('pages long notices, two rows a page, title amber and body green', () => {
    const plans = planSign({ ...base, notices: [{ title: '停电通知', body: '一二三四五六七八九十一二三四五六七八' }] }, g, w);
    const n = plans.find((p) => p.id === AreaId.NOTICES)!;
    expect(n.pages.map((p) => p.lines.map((l) => `${l.colour}:${l.text}`))).toEqual([['3:停电通知', '2:一二三四五六七八'], ['2:九十一二三四五六', '2:七八']]);
    expect(n.pages.every((p) => p.stay10ms === 600)).toBe(true);
  });

  it('changes only the clock key when the minute turns', () => {
    const a = planSign({ ...base, notices: [{ title: 'T', body: 'B' }] }, g, w);
    const b = planSign({ ...base, clock: ['19:46'], notices: [{ title: 'T', body: 'B' }] }, g, w);
    expect(a[0]!.key).not.toBe(b[0]!.key);
    expect(a[1]!.key).toBe(b[1]!.key);
  });

  it('an emergency takes the whole sign alone, in red', () => {
    const plans = planSign({ ...base, notices: [{ title: 'N', body: 'n' }], emergency: [{ title: '暴雨红色预警', body: '请勿涉水' }] }, g, w);
    expect(plans.map((p) => p.id)).toEqual([AreaId.EMERGENCY]);
    expect(plans[0]).toMatchObject({ x: 0, y: 0, w: 128, h: 48 });
    expect(plans[0]!.pages[0]!.lines.every((l) => l.colour === 1)).toBe(true);
  });

  it('the test pattern takes the whole sign: each colour then a checkerboard; one colour on a mono sign', () => {
    expect(planSign({ ...base, test: true }, g, w)[0]!.pages.map((p) => `${p.fill}:${p.fillColour}`)).toEqual(['solid:1', 'solid:2', 'solid:3', 'checker:3']);
    expect(planSign({ ...base, test: true }, { ...g, dualColour: false }, w)[0]!.pages.map((p) => `${p.fill}:${p.fillColour}`)).toEqual(['solid:1', 'checker:1']);
  });

  it('a one-row sign has no clock row; pages are capped', () => {
    const plans = planSign({ ...base, notices: Array.from({ length: 20 }, (_, i) => ({ title: `通知${i}`, body: '内容' })) }, { ...g, height: 16, maxPages: 5 }, w);
    expect(plans.map((p) => p.id)).toEqual([AreaId.NOTICES]);
    expect(plans[0]!.pages.length).toBe(5);
  });
});
