/**
 * The automatic brightness curve (docs/brightness.md): percent from ambient lux on a log scale,
 * because perceived brightness follows the logarithm of luminance (Weber–Fechner) — a screen
 * readable at 100 000 lux noon sun needs full power, and at 10 lux street light a tenth of it
 * already glares. Below `darkLux` the night floor holds; above `brightLux` the maximum.
 */
import { dateTimeFormat } from '../../lib/intl-format.js';

export interface BrightnessCurve {
  /** Lowest automatic level (night), %. */
  nightFloorPercent: number;
  /** Highest automatic level, %. */
  maxPercent: number;
  /** At or below this the floor applies, lux. */
  darkLux: number;
  /** At or above this the maximum applies, lux. */
  brightLux: number;
}

export function autoPercent(lux: number, c: BrightnessCurve): number {
  const lo = Math.log10(Math.max(c.darkLux, 0.01));
  const hi = Math.log10(Math.max(c.brightLux, c.darkLux * 1.01));
  const t = Math.min(1, Math.max(0, (Math.log10(Math.max(lux, 0.01)) - lo) / (hi - lo)));
  // Smoothstep eases both ends, so dusk and noon do not pump the level at the clamps.
  const s = t * t * (3 - 2 * t);
  return c.nightFloorPercent + (c.maxPercent - c.nightFloorPercent) * s;
}

/**
 * Exponential smoothing of log-lux with time constant tauSec: passing clouds and headlights do
 * not flicker the screen, dusk still follows within a minute or two.
 */
export function smoothLogLux(prevLog: number | null, lux: number, dtSec: number, tauSec: number): number {
  const x = Math.log10(Math.max(lux, 0.01));
  if (prevLog === null || tauSec <= 0) return x;
  const a = 1 - Math.exp(-Math.max(0, dtSec) / tauSec);
  return prevLog + a * (x - prevLog);
}

/** "HH:MM" of `ms` in `timeZone`, and the weekday (0 = Sunday). */
export function localTime(ms: number, timeZone: string): { minutes: number; weekday: number } {
  const parts = dateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23' }).formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '0';
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return { minutes: Number(get('hour')) * 60 + Number(get('minute')), weekday };
}

export interface ScheduleEntry {
  /** "HH:MM" local time; an entry may wrap past midnight (from 23:00 to 05:00). */
  from: string;
  to: string;
  percent: number;
  /** Weekdays it applies on (0 = Sunday); all when absent. */
  days?: number[] | undefined;
}

const hm = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

/** The first schedule entry that covers this local time, if any. */
export function scheduled(entries: readonly ScheduleEntry[], minutes: number, weekday: number): ScheduleEntry | null {
  for (const e of entries) {
    const from = hm(e.from);
    const to = hm(e.to);
    const wraps = to <= from;
    const inside = wraps ? minutes >= from || minutes < to : minutes >= from && minutes < to;
    // For a wrapping entry the part after midnight belongs to the day it started on.
    const day = wraps && minutes < to ? (weekday + 6) % 7 : weekday;
    if (inside && (!e.days || e.days.includes(day))) return e;
  }
  return null;
}
