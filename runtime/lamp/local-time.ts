/**
 * Local calendar arithmetic in an IANA zone (Intl only, no I/O): the lamp schedule speaks in local
 * dates and wall-clock times (TALQ FixedTimeControl is local time including DST).
 */
import { zoneOffsetMinutes } from '../../protocols/time.js';

export interface LocalDate {
  y: number;
  m: number;
  d: number;
}

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export function localDateOf(ms: number, timeZone: string): LocalDate {
  const t = new Date(ms + zoneOffsetMinutes(timeZone, ms) * 60_000);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** Epoch ms of local wall time y-m-d hh:mm in the zone (the earlier instant in a DST overlap). */
export function localToEpoch(date: LocalDate, hh: number, mm: number, timeZone: string): number {
  const naive = Date.UTC(date.y, date.m - 1, date.d, hh, mm);
  let t = naive - zoneOffsetMinutes(timeZone, naive) * 60_000;
  t = naive - zoneOffsetMinutes(timeZone, t) * 60_000;
  return t;
}

export function addDays(date: LocalDate, n: number): LocalDate {
  const t = new Date(Date.UTC(date.y, date.m - 1, date.d + n));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export function weekday(date: LocalDate): (typeof WEEKDAYS)[number] {
  return WEEKDAYS[new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay()]!;
}

export function daysInMonth(date: LocalDate): number {
  return new Date(Date.UTC(date.y, date.m, 0)).getUTCDate();
}

export function dateKey(date: LocalDate): string {
  return `${date.y}-${String(date.m).padStart(2, '0')}-${String(date.d).padStart(2, '0')}`;
}
