import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCap, type CapAlert } from './cap.js';
import { capPriority, decideCap, type CapPoleProfile } from './cap-notice.js';
import { areasCover, codeCovers, distanceKm, pointInPolygon } from './cap-area.js';

const SAMPLES = join(import.meta.dirname, '../docs/examples/cap');
function load(f: string): CapAlert {
  const r = parseCap(readFileSync(join(SAMPLES, f), 'utf8'));
  if (!r.ok) throw new Error(r.detail);
  return r.alert;
}
// A pole on 澳门路, 江岸区 (420102), Wuhan.
const POLE: CapPoleProfile = { language: 'zh', testMode: false, place: { lat: 30.6043, lon: 114.3012, areaCode: '420102' } };
const JULY10 = Date.parse('2026-07-10T15:00:00+08:00');
const opts = { now: JULY10, skewMs: 120_000 };

describe('CAP → notice on one pole', () => {
  it('shows the orange rainstorm warning as an emergency, in Chinese with the English block alongside', () => {
    const d = decideCap(load('wuhan-rainstorm-orange.xml'), POLE, opts);
    expect(d.action).toBe('show');
    if (d.action !== 'show') return;
    expect(d.content).toMatchObject({
      priority: 'emergency', validFrom: '2026-07-10T14:30:00+08:00', expiresAt: '2026-07-11T14:30:00+08:00', category: 'Met',
      title: { zh: '武汉市气象台发布暴雨橙色预警信号', en: 'Orange rainstorm warning for Wuhan' },
    });
    expect(d.content.body.zh).toMatch(/^武汉市气象台2026年7月10日14时30分.*\n请减少外出/s);
    expect(d.origin).toMatchObject({ sender: '42010041600000', event: '暴雨', severity: 'Severe', language: 'zh-CN', areaDesc: '武汉市', issuerAreaCode: '420100' });
  });

  it('picks the <info> block by the screen language', () => {
    const d = decideCap(load('wuhan-rainstorm-orange.xml'), { ...POLE, language: 'en' }, opts);
    expect(d.action === 'show' && d.origin.language).toBe('en-US');
    // A pole in English still gets the Chinese text as zh (the screen can switch languages).
    expect(d.action === 'show' && d.content.title).toEqual({ zh: '武汉市气象台发布暴雨橙色预警信号', en: 'Orange rainstorm warning for Wuhan' });
  });

  it('an Update supersedes its reference; a Cancel cancels both', () => {
    const u = decideCap(load('wuhan-rainstorm-red-update.xml'), POLE, { ...opts, now: Date.parse('2026-07-10T17:00:00+08:00') });
    expect(u).toMatchObject({ action: 'show', content: { priority: 'emergency' }, supersedes: [{ identifier: '42010041600000_20260710143000_1' }] });
    const c = decideCap(load('wuhan-rainstorm-cancel.xml'), POLE, opts);
    expect(c).toMatchObject({ action: 'cancel' });
    expect(c.supersedes.map((r) => r.identifier)).toEqual(['42010041600000_20260710143000_1', '42010041600000_20260710163000_1']);
  });

  it('skips Test unless the pole is in test mode, and never shows System', () => {
    const t = load('wuhan-test.xml');
    const at = { ...opts, now: Date.parse('2026-11-26T10:05:00+08:00') };
    expect(decideCap(t, POLE, at)).toMatchObject({ action: 'ignore', reason: 'status' });
    expect(decideCap(t, { ...POLE, testMode: true }, at)).toMatchObject({ action: 'show', content: { priority: 'normal', title: { zh: '【测试】预警信息发布系统测试' } } });
    expect(decideCap({ ...t, status: 'System' }, { ...POLE, testMode: true }, at)).toMatchObject({ action: 'ignore', reason: 'status' });
    expect(decideCap({ ...t, status: 'Exercise' }, POLE, at)).toMatchObject({ action: 'ignore', reason: 'status' });
    expect(decideCap({ ...t, status: 'Draft' }, POLE, at)).toMatchObject({ action: 'ignore', reason: 'status' });
  });

  it('ignores alerts for other places, restricted scopes, Ack/Error, and expired ones', () => {
    expect(decideCap(load('shiyan-heat-yellow.xml'), POLE, { ...opts, now: Date.parse('2026-07-15T12:00:00+08:00') })).toMatchObject({ action: 'ignore', reason: 'area' });
    const o = load('wuhan-rainstorm-orange.xml');
    expect(decideCap({ ...o, scope: 'Restricted' }, POLE, opts)).toMatchObject({ action: 'ignore', reason: 'scope' });
    expect(decideCap({ ...o, msgType: 'Ack' }, POLE, opts)).toMatchObject({ action: 'ignore', reason: 'msgType' });
    expect(decideCap(o, POLE, { ...opts, now: Date.parse('2026-07-12T00:00:00+08:00') })).toMatchObject({ action: 'ignore', reason: 'expired' });
    // The envelope's earlier expiry wins over <expires>.
    const d = decideCap(o, POLE, { ...opts, envelopeExpiresAt: '2026-07-10T18:00:00+08:00' });
    expect(d.action === 'show' && d.content.expiresAt).toBe('2026-07-10T18:00:00+08:00');
  });

  it('checks a <circle> against the pole position', () => {
    const g = load('jiangan-gas-leak-circle.xml');
    const at = { ...opts, now: Date.parse('2026-09-03T09:00:00+08:00') };
    expect(decideCap(g, POLE, at)).toMatchObject({ action: 'show', content: { priority: 'emergency' } });
    const farPole = { ...POLE, place: { lat: 30.55, lon: 114.35, areaCode: '420106' } }; // 武昌, ~7 km away
    expect(decideCap(g, farPole, at)).toMatchObject({ action: 'ignore', reason: 'area' });
  });
});

describe('urgency/severity/certainty → priority (docs/mqtt-api.md §CAP)', () => {
  it.each([
    ['Immediate', 'Extreme', 'Observed', 'emergency'],
    ['Expected', 'Severe', 'Likely', 'emergency'],
    ['Future', 'Severe', 'Likely', 'high'],
    ['Immediate', 'Extreme', 'Possible', 'high'],
    ['Immediate', 'Moderate', 'Observed', 'high'],
    ['Future', 'Moderate', 'Likely', 'normal'],
    ['Immediate', 'Minor', 'Observed', 'normal'],
    ['Unknown', 'Unknown', 'Unknown', 'normal'],
    ['Past', 'Extreme', 'Observed', 'low'],
    ['Immediate', 'Extreme', 'Unlikely', 'low'],
  ] as const)('%s / %s / %s → %s', (urgency, severity, certainty, want) => {
    expect(capPriority({ urgency, severity, certainty })).toBe(want);
  });
});

describe('CAP areas', () => {
  it('GB/T 2260 codes cover their hierarchy', () => {
    expect(codeCovers('420100', '420102')).toBe(true); // 武汉市 ⊃ 江岸区
    expect(codeCovers('420000', '420102')).toBe(true); // 湖北省
    expect(codeCovers('000000', '420102')).toBe(true);
    expect(codeCovers('420102', '420102')).toBe(true);
    expect(codeCovers('420106', '420102')).toBe(false); // 武昌区
    expect(codeCovers('420300', '420102')).toBe(false); // 十堰市
    expect(codeCovers('420102003', '420102')).toBe(true); // a street in 江岸区
    expect(codeCovers('abc', '420102')).toBe(false);
  });

  it('polygons and circles', () => {
    const square: [number, number][] = [[30.5, 114.2], [30.7, 114.2], [30.7, 114.4], [30.5, 114.4], [30.5, 114.2]];
    expect(pointInPolygon(30.6043, 114.3012, square)).toBe(true);
    expect(pointInPolygon(30.8, 114.3, square)).toBe(false);
    expect(distanceKm(30.6043, 114.3012, 30.6043, 114.3012)).toBe(0);
    expect(distanceKm(30.5928, 114.3055, 39.9042, 116.4074)).toBeGreaterThan(1000); // Wuhan–Beijing ≈ 1050 km
    const place = { lat: 30.6043, lon: 114.3012 };
    expect(areasCover([{ areaDesc: 'x', polygon: ['30.5,114.2 30.7,114.2 30.7,114.4 30.5,114.4 30.5,114.2'], circle: [], geocode: [] }], place)).toBe('inside');
    expect(areasCover([{ areaDesc: 'x', polygon: ['garbage'], circle: ['also garbage'], geocode: [] }], place)).toBe('unchecked');
    expect(areasCover([{ areaDesc: 'only words', polygon: [], circle: [], geocode: [] }], place)).toBe('unchecked');
    // A pole without an area code cannot check geocodes: unchecked, not outside.
    expect(areasCover([{ areaDesc: 'x', polygon: [], circle: [], geocode: [{ valueName: 'GB/T 2260', value: '420300' }] }], place)).toBe('unchecked');
  });
});
