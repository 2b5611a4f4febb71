import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isoInZone, zonedIsoFormatter } from './time.js';

describe('zoned ISO stamps', () => {
  it('the cached formatter agrees with isoInZone, across DST changes too', () => {
    for (const zone of ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata']) {
      const f = zonedIsoFormatter(zone);
      fc.assert(fc.property(fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2030-01-01T00:00:00Z') }), (ms) => {
        expect(f(ms)).toBe(isoInZone(ms, zone));
      }), { numRuns: 300 });
      // Walk through a spring-forward night minute by minute, in order (the cache's common case).
      for (let ms = Date.parse('2026-03-29T00:00:00Z'); ms < Date.parse('2026-03-29T04:00:00Z'); ms += 60_000) expect(f(ms)).toBe(isoInZone(ms, zone));
    }
    expect(zonedIsoFormatter('Asia/Shanghai')(Date.parse('2026-11-26T10:00:00Z'))).toBe('2026-11-26T18:00:00.000+08:00');
  });
});
