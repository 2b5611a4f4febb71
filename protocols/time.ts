/**
 * Wire timestamps are ISO 8601 with an explicit offset (docs/mqtt-api.md: "Times are ISO 8601 with an offset").
 * Pure helpers: formatting in a fixed offset and parsing with validation.
 */
import { z } from 'zod';
import { dateTimeFormat } from '../lib/intl-format.js';

/** ISO 8601 date-time with seconds and an explicit offset (`Z` or ±hh:mm). */
export const IsoDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/, 'ISO 8601 date-time with offset')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real date-time');

/** Formats epoch ms as ISO 8601 in a fixed offset (minutes east of UTC; Asia/Shanghai is +480). */
export function isoWithOffset(ms: number, offsetMinutes = 480): string {
  const shifted = new Date(ms + offsetMinutes * 60_000);
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  const off = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return shifted.toISOString().replace('Z', off);
}

/** Offset in minutes east of UTC of an IANA zone at an instant (Intl; no I/O). */
export function zoneOffsetMinutes(timeZone: string, ms: number): number {
  const parts = dateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** Local weekday (1 = Monday … 7 = Sunday) and minutes since midnight in `timeZone`. */
export function localWeekMinute(ms: number, timeZone: string): { weekday: number; minute: number } {
  const parts = dateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms));
  const wd = parts.find((p) => p.type === 'weekday')!.value;
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(wd) + 1;
  const minute = Number(parts.find((p) => p.type === 'hour')!.value) * 60 + Number(parts.find((p) => p.type === 'minute')!.value);
  return { weekday, minute };
}

export function isoInZone(ms: number, timeZone: string): string {
  return isoWithOffset(ms, zoneOffsetMinutes(timeZone, ms));
}

/**
 * A formatter for one zone that keeps its Intl.DateTimeFormat and the last offset (valid for the
 * quarter hour it was computed in: zones change offset only on quarter hours), for code that
 * stamps many records: building a DateTimeFormat per call costs ~0.15 ms.
 */
export function zonedIsoFormatter(timeZone: string): (ms: number) => string {
  const fmt = dateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  let slot = NaN;
  let offset = 0;
  return (ms: number) => {
    const q = Math.floor(ms / 900_000);
    if (q !== slot) {
      const parts = fmt.formatToParts(new Date(ms));
      const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
      const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
      offset = Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
      slot = q;
    }
    return isoWithOffset(ms, offset);
  };
}
