/**
 * Numbers with units and times with their zone (docs/console.md §Output conventions: units on every
 * number, times in local time with their zone). Pure: the zone arithmetic uses Intl, no clock is read here.
 */
import { isoInZone, zoneOffsetMinutes } from '../time.js';

const group = (n: number): string => Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** "0 ms", "850 ms", "12.3 s", "5 min 03 s", "2 h 03 min", "3 d 04 h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  const neg = ms < 0 ? '-' : '';
  ms = Math.abs(ms);
  if (ms < 1000) return `${neg}${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${neg}${s < 10 ? s.toFixed(1) : Math.floor(s)} s`;
  const two = (n: number) => String(Math.floor(n)).padStart(2, '0');
  const pair = (a: number, ua: string, b: number, ub: string) => (Math.floor(b) === 0 ? `${neg}${a} ${ua}` : `${neg}${a} ${ua} ${two(b)} ${ub}`);
  if (s < 3600) return pair(Math.floor(s / 60), 'min', s % 60, 's');
  if (s < 86400) return pair(Math.floor(s / 3600), 'h', (s % 3600) / 60, 'min');
  return pair(Math.floor(s / 86400), 'd', (s % 86400) / 3600, 'h');
}

/** "512 B", "1.5 KiB", "3.2 MiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${group(n)} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = -1;
  do { v /= 1024; u++; } while (v >= 1024 && u < units.length - 1);
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** "1 record", "1,234 records"; pass the plural when it is not singular + "s". */
export function formatCount(n: number, singular: string, plural = `${singular}s`): string {
  return `${group(n)} ${n === 1 ? singular : plural}`;
}

/** A number with its unit: `formatNumber(-71.5, 'dBm')` → "-71.5 dBm"; "%" attaches without a space. */
export function formatNumber(v: number, unit: string, digits?: number): string {
  const d = digits ?? (Number.isInteger(v) ? 0 : Math.abs(v) < 10 ? 2 : 1);
  const body = Math.abs(v) >= 1000 && d === 0 ? group(v) : v.toFixed(d);
  return unit === '%' ? `${body}%` : `${body} ${unit}`;
}

/** "+08:00" for Asia/Shanghai. */
export function offsetLabel(timeZone: string, ms: number): string {
  const off = zoneOffsetMinutes(timeZone, ms);
  const a = Math.abs(off);
  return `${off >= 0 ? '+' : '-'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** "2026-11-27 14:03:05 +08:00": local wall time with its offset. */
export function formatLocalTime(ms: number, timeZone: string): string {
  const iso = isoInZone(ms, timeZone);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} ${iso.slice(iso.length - 6).replace('Z', '+00:00')}`;
}

/** "14:03:05" (for columns where the zone is given once in the heading). */
export function formatClock(ms: number, timeZone: string): string {
  return isoInZone(ms, timeZone).slice(11, 19);
}

/**
 * Unit inferred from a camelCase field name's suffix, for results of commands the console does not
 * know (other areas' `*.status`): `powerW` → W, `rsrpDbm` → dBm, `uptimeSec` → s, `levelPct` → %.
 * Device services name numeric fields this way (docs/console.md "Units").
 */
const SUFFIX_UNITS: [RegExp, string][] = [
  [/(Pct|Percent)$/, '%'], [/Dbm$/i, 'dBm'], [/Db$/, 'dB'], [/KWh$/i, 'kWh'], [/Wh$/, 'Wh'], [/Kw$/i, 'kW'], [/W$/, 'W'],
  [/Ma$/, 'mA'], [/A$/, 'A'], [/Mv$/, 'mV'], [/V$/, 'V'], [/(Celsius|C)$/, '°C'], [/Lux$/i, 'lx'], [/Hz$/, 'Hz'],
  [/Ms$/, 'ms'], [/(Sec|Seconds|S)$/, 's'], [/(Min|Minutes)$/, 'min'], [/(Hours|H)$/, 'h'], [/Bytes$/, 'B'],
  [/Mm$/, 'mm'], [/Px$/, 'px'], [/Baud$/, 'baud'],
];

export function unitForKey(key: string): string | null {
  for (const [re, unit] of SUFFIX_UNITS) if (re.test(key)) return unit;
  return null;
}

/**
 * Shows any JSON value for a human, with the unit its key implies. A number whose key carries no
 * unit is a count of what the key names (`framesSent: 12`), so the label is its unit.
 */
export function formatValue(key: string, v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') {
    const u = unitForKey(key);
    if (u === 'B') return formatBytes(v);
    if (u === 'ms' && v >= 1000) return formatDuration(v);
    if (u === 's' && v >= 60) return formatDuration(v * 1000);
    if (u) return formatNumber(v, u);
    return Number.isInteger(v) && Math.abs(v) >= 1000 ? group(v) : String(v);
  }
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.every((x) => typeof x !== 'object' || x === null) ? v.join(', ') : JSON.stringify(v);
  return JSON.stringify(v);
}

/** Flattens a nested object into dotted keys with formatted values (generic `* status` output). */
export function flattenForDisplay(obj: Record<string, unknown>, prefix = '', out: [string, string][] = []): [string, string][] {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) flattenForDisplay(v as Record<string, unknown>, key, out);
    else out.push([key, formatValue(k, v)]);
  }
  return out;
}
