import { describe, expect, it } from 'vitest';
import { dateTimeFormat, dateTimeFormatCount } from './intl-format.js';

describe('dateTimeFormat', () => {
  it('returns the same formatter for the same locale and options, built once', () => {
    const a = dateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'long', day: 'numeric', weekday: 'long' });
    const n = dateTimeFormatCount();
    for (let i = 0; i < 1000; i++) {
      expect(dateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'long', day: 'numeric', weekday: 'long' })).toBe(a);
    }
    expect(dateTimeFormatCount()).toBe(n);
  });

  it('formats as a new Intl.DateTimeFormat with the same arguments would', () => {
    const opts: Intl.DateTimeFormatOptions = { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    const t = Date.parse('2026-12-07T16:05:00Z');
    expect(dateTimeFormat('en-GB', opts).format(t)).toBe(new Intl.DateTimeFormat('en-GB', opts).format(t));
    expect(dateTimeFormat('en-GB', opts).format(t)).toBe('00:05');
  });

  it('keeps different zones, locales and options apart', () => {
    const t = Date.parse('2026-12-07T16:05:00Z');
    const o = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
    expect(dateTimeFormat('en-GB', { ...o, timeZone: 'Asia/Shanghai' }).format(t)).toBe('00:05');
    expect(dateTimeFormat('en-GB', { ...o, timeZone: 'UTC' }).format(t)).toBe('16:05');
    expect(dateTimeFormat('zh-CN', { timeZone: 'UTC', month: 'numeric', day: 'numeric' }).format(t)).toBe('12/7');
  });

  it('stays bounded however many zones it is asked for', () => {
    const zones = Intl.supportedValuesOf('timeZone');
    for (const timeZone of zones) dateTimeFormat('en-US', { timeZone, hour: 'numeric' });
    expect(zones.length).toBeGreaterThan(256);
    expect(dateTimeFormatCount()).toBeLessThanOrEqual(256);
  });
});
