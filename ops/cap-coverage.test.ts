import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { capCoverage, type PoleSite } from './cap-coverage.js';

const CAP = (f: string) => readFileSync(join(import.meta.dirname, '../docs/examples/cap', f), 'utf8');
const POLES: PoleSite[] = [
  { id: 'WH-JA-0001', lat: 30.6043, lon: 114.3012, areaCode: '420102' },   // 澳门路, 江岸区
  { id: 'WH-JA-0002', lat: 30.6300, lon: 114.3300, areaCode: '420102' },   // 江岸区, ~4 km away
  { id: 'WH-WC-0001', lat: 30.5540, lon: 114.3160, areaCode: '420106' },   // 武昌区
  { id: 'SY-MJ-0001', lat: 32.6290, lon: 110.7980, areaCode: '420302' },   // 十堰市茅箭区
  { id: 'WH-XX-0009', lat: 30.6050, lon: 114.3050 },                         // no district code, ~0.5 km from 澳门路
];

describe('capCoverage: which poles an alert covers, as each pole will decide', () => {
  it('a circle (1 km round 澳门路/中山大道) covers the pole inside it only, by great-circle distance', () => {
    const r = capCoverage(CAP('jiangan-gas-leak-circle.xml'), POLES, { now: Date.parse('2026-09-03T08:20:00+08:00') });
    if (!r.ok) throw new Error(r.detail);
    expect(r.coverage.shows).toEqual(['WH-JA-0001', 'WH-XX-0009']);
    expect(r.coverage.poles.find((p) => p.id === 'WH-JA-0002')).toMatchObject({ area: 'outside', action: 'ignore', reason: expect.stringMatching(/^area: /) });
    expect(r.coverage.areas).toEqual([{ areaDesc: '澳门路与中山大道交汇处周边1公里', polygons: [], circles: [{ lat: 30.604, lon: 114.3005, radiusKm: 1 }], geocodes: [] }]);
    expect(r.coverage.alert).toMatchObject({ msgType: 'Alert', headline: '澳门路附近燃气管道泄漏，请立即远离', event: '燃气泄漏' });
  });

  it('a GB/T 2260 geocode (420100 武汉市) covers every Wuhan district, not 十堰; a pole without a code cannot check it and shows it', () => {
    const r = capCoverage(CAP('wuhan-rainstorm-orange.xml'), POLES, { now: Date.parse('2026-07-10T15:00:00+08:00') });
    if (!r.ok) throw new Error(r.detail);
    expect(Object.fromEntries(r.coverage.poles.map((p) => [p.id, p.area]))).toEqual({
      'WH-JA-0001': 'inside', 'WH-JA-0002': 'inside', 'WH-WC-0001': 'inside', 'SY-MJ-0001': 'outside', 'WH-XX-0009': 'unchecked',
    });
    expect(r.coverage.shows).toEqual(['WH-JA-0001', 'WH-JA-0002', 'WH-WC-0001', 'WH-XX-0009']);
    expect(r.coverage.areas[0]!.geocodes).toEqual([{ valueName: 'GB/T 2260', value: '420100' }]);
  });

  it('judges expiry, test status and polygons as the pole does', () => {
    const late = capCoverage(CAP('wuhan-rainstorm-orange.xml'), POLES, { now: Date.parse('2026-07-12T00:00:00+08:00') });
    expect(late.ok && late.coverage.shows).toEqual([]);
    expect(late.ok && late.coverage.poles[0]!.reason).toMatch(/^expired/);
    const test = CAP('wuhan-test.xml');
    const sent = Date.parse(/<sent>([^<]+)<\/sent>/.exec(test)![1]!);
    const t = capCoverage(test, [POLES[0]!, { ...POLES[0]!, id: 'LAB-0001', testMode: true }], { now: sent + 60_000 });
    expect(t.ok && t.coverage.shows).toEqual(['LAB-0001']);
    // A polygon round 江岸区's riverside (lat,lon pairs, closed).
    const poly = CAP('jiangan-gas-leak-circle.xml').replaceAll(/<circle>[^<]+<\/circle>/g, '<polygon>30.59,114.29 30.59,114.32 30.62,114.32 30.62,114.29 30.59,114.29</polygon>');
    const p = capCoverage(poly, POLES, { now: Date.parse('2026-09-03T08:20:00+08:00') });
    if (!p.ok) throw new Error(p.detail);
    expect(p.coverage.shows).toEqual(['WH-JA-0001', 'WH-XX-0009']);
    expect(p.coverage.areas[0]!.polygons[0]).toHaveLength(5);
  });

  it('a Cancel covers every pole that would act on it (no area test)', () => {
    const r = capCoverage(CAP('wuhan-rainstorm-cancel.xml'), POLES, { now: Date.parse('2026-07-11T09:05:00+08:00') });
    expect(r.ok && r.coverage.poles.map((p) => p.action)).toEqual(['cancel', 'cancel', 'cancel', 'cancel', 'cancel']);
    expect(r.ok && r.coverage.covered).toHaveLength(5);
  });

  it('answers malformed XML with SP_CAP_MALFORMED and never throws (property)', () => {
    expect(capCoverage('<alert>', POLES, { now: 0 })).toMatchObject({ ok: false, code: 'SP_CAP_MALFORMED' });
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => { expect(capCoverage(s, POLES, { now: 0 }).ok).toBe(false); }), { numRuns: 200 });
    // Random poles anywhere: every pole gets a verdict, and shows ⊆ covered.
    const xml = CAP('jiangan-gas-leak-circle.xml');
    fc.assert(fc.property(fc.array(fc.record({ id: fc.string({ minLength: 1, maxLength: 8 }), lat: fc.double({ min: -90, max: 90, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }) }), { maxLength: 20 }), (ps) => {
      const r = capCoverage(xml, ps, { now: Date.parse('2026-09-03T08:20:00+08:00') });
      if (!r.ok) throw new Error(r.detail);
      expect(r.coverage.poles).toHaveLength(ps.length);
      expect(r.coverage.shows.every((id) => r.coverage.covered.includes(id))).toBe(true);
    }), { numRuns: 50 });
  });
});
