import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compose, composeInput, localToIso } from './compose.js';

const base = { title_zh: '停水通知', body_zh: '明日停水。', audience: 'all' };

describe('notice compose form', () => {
  it('makes a draft and a digest; the digest changes with any field', () => {
    const a = compose(composeInput(base, {}));
    expect(a.ok && a.value.draft).toMatchObject({ title: { zh: '停水通知' }, priority: 'normal', durationSec: 10 });
    expect(a.ok && a.value.targets).toEqual([{ scope: 'all' }]);
    const b = compose(composeInput({ ...base, body_zh: '明日停水！' }, {}));
    expect(a.ok && b.ok && a.value.digest !== b.value.digest).toBe(true);
  });
  it('reads local times as UTC+08:00 and dayparts with days', () => {
    expect(localToIso('2026-12-08T09:30')).toBe('2026-12-08T09:30:00.000+08:00');
    expect(localToIso('2026-13-08T09:30')).toBeNull();
    const r = compose(composeInput({ ...base, valid_from: '2026-12-08T09:30', expires_at: '2026-12-09T09:30', dp0_from: '07:00', dp0_to: '09:00' }, { dp0_days: ['1', '5'] }));
    expect(r.ok && r.value.draft).toMatchObject({ validFrom: '2026-12-08T09:30:00.000+08:00', expiresAt: '2026-12-09T09:30:00.000+08:00', dayparts: [{ days: [1, 5], from: '07:00', to: '09:00' }] });
  });
  it('names every problem', () => {
    const r = compose(composeInput({ audience: 'poles', poles: 'ok-1, bad.id', title_en: 'x', valid_from: '2026-12-09T00:00', expires_at: '2026-12-08T00:00', dp1_from: '7' }, {}));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.field).sort()).toEqual(['body_en', 'body_zh', 'dp1_from', 'expires_at', 'poles', 'title_zh']);
  });
  it('several groups become sorted group targets; poles are split on commas and spaces', () => {
    const g = compose(composeInput({ ...base, audience: 'groups' }, { groups: ['street/b', 'district/a', 'street/b'] }));
    expect(g.ok && g.value.targets).toEqual([{ scope: 'group', group: 'district/a' }, { scope: 'group', group: 'street/b' }]);
    const p = compose(composeInput({ ...base, audience: 'poles', poles: 'WH-2，WH-1 WH-2' }, {}));
    expect(p.ok && p.value.targets).toEqual([{ scope: 'pole', poleId: 'WH-1' }, { scope: 'pole', poleId: 'WH-2' }]);
  });
  it('never throws on any form', () => {
    fc.assert(fc.property(fc.dictionary(fc.constantFrom('title_zh', 'body_zh', 'title_en', 'body_en', 'priority', 'duration', 'valid_from', 'expires_at', 'audience', 'poles', 'dp0_from', 'dp0_to', 'category'), fc.string()), (f) => {
      compose(composeInput(f, { groups: [f.poles ?? ''], dp0_days: [f.duration ?? ''] }));
    }), { numRuns: 500 });
  });
});
