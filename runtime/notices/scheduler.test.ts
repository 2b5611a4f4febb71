import { describe, expect, it } from 'vitest';
import { NoticePayload } from '../../protocols/notice.js';
import { isoWithOffset } from '../../protocols/time.js';
import type { StoredNotice } from './notice-store.js';
import { inDaypart, selectPlaylist } from './scheduler.js';

const TZ = 'Asia/Shanghai';
// Thursday 2026-11-26 10:00 in Wuhan.
const T0 = Date.parse('2026-11-26T10:00:00+08:00');

function stored(id: string, over: Record<string, unknown> = {}, t = T0): StoredNotice {
  const p = NoticePayload.parse({ type: 'notice', id, audience: 'all', version: 1, issuedAt: isoWithOffset(t - 60_000), title: { zh: id }, body: { zh: id }, ...over });
  return {
    issuer: 'ops', id, version: 1, topic: 't', payload: p, receivedAt: t, validFrom: Date.parse(p.validFrom ?? p.issuedAt),
    expiresAt: p.expiresAt ? Date.parse(p.expiresAt) : null, withdrawnAt: null, firstDisplayedAt: null,
  };
}

describe('scheduler', () => {
  it('plays only the top priority tier; emergency pre-empts', () => {
    const ns = [stored('low', { priority: 'low' }), stored('n1'), stored('n2'), stored('h', { priority: 'high' })];
    expect(selectPlaylist(ns, T0, TZ)).toMatchObject({ tier: 'high', items: [{ id: 'h' }] });
    const withE = [...ns, stored('e', { priority: 'emergency' })];
    expect(selectPlaylist(withE, T0, TZ).tier).toBe('emergency');
    expect(selectPlaylist(ns.slice(0, 3), T0, TZ).items.map((n) => n.id).sort()).toEqual(['n1', 'n2']);
  });

  it('respects validity windows and expiry on a fake clock', () => {
    const later = stored('later', { validFrom: isoWithOffset(T0 + 3_600_000) });
    const exp = stored('exp', { expiresAt: isoWithOffset(T0 + 60_000) });
    expect(selectPlaylist([later, exp], T0, TZ).items.map((n) => n.id)).toEqual(['exp']);
    expect(selectPlaylist([later, exp], T0 + 120_000, TZ).items).toEqual([]);
    expect(selectPlaylist([later, exp], T0 + 3_600_000, TZ).items.map((n) => n.id)).toEqual(['later']);
  });

  it('honours dayparts in local time, including windows across midnight', () => {
    const weekdayMornings = stored('m', { dayparts: [{ days: [1, 2, 3, 4, 5], from: '07:00', to: '11:00' }] });
    expect(inDaypart(weekdayMornings, T0, TZ)).toBe(true); // Thu 10:00
    expect(inDaypart(weekdayMornings, T0 + 2 * 3_600_000, TZ)).toBe(false); // Thu 12:00
    expect(inDaypart(weekdayMornings, T0 + 2 * 86_400_000, TZ)).toBe(false); // Sat 10:00
    const nights = stored('n', { dayparts: [{ days: [4], from: '22:00', to: '06:00' }] });
    expect(inDaypart(nights, Date.parse('2026-11-26T23:00:00+08:00'), TZ)).toBe(true); // Thu 23:00
    expect(inDaypart(nights, Date.parse('2026-11-27T05:00:00+08:00'), TZ)).toBe(true); // Fri 05:00, Thu's night
    expect(inDaypart(nights, Date.parse('2026-11-28T05:00:00+08:00'), TZ)).toBe(false); // Sat 05:00
  });

  it('leaves withdrawn notices out', () => {
    const w = { ...stored('w'), withdrawnAt: T0 - 1 };
    expect(selectPlaylist([w], T0, TZ).items).toEqual([]);
  });
});
