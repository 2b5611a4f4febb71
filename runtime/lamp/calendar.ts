/**
 * TALQ Calendar (docs/background.md §Streetlight): an ordered list of rules, the first that matches a
 * day chooses its program; else the calendar's default program; else none (the lamp's default
 * level applies). Conditions: a date range (TALQ ccDate; absolute or every year, may wrap the new
 * year) and days of the week, optionally the nth of them in the month (ccDay, "first Thursday").
 */
import type { LampCalendarRule } from '../config/fieldbus-schema.js';
import { daysInMonth, weekday, type LocalDate } from './local-time.js';

export interface CalendarChoice {
  program: string | null;
  rule: string | null;
}

function inRange(date: LocalDate, from?: string, to?: string): boolean {
  if (!from && !to) return true;
  const md = date.m * 100 + date.d;
  const full = date.y * 10_000 + md;
  const parse = (s: string) => {
    const p = s.split('-').map(Number);
    return p.length === 3 ? { yearly: false, v: p[0]! * 10_000 + p[1]! * 100 + p[2]! } : { yearly: true, v: p[0]! * 100 + p[1]! };
  };
  const f = from ? parse(from) : null;
  const t = to ? parse(to) : null;
  if ((f && !f.yearly) || (t && !t.yearly)) {
    // Absolute dates (a yearly bound next to an absolute one is read in the day's year).
    const abs = (b: { yearly: boolean; v: number }) => (b.yearly ? date.y * 10_000 + b.v : b.v);
    return (!f || full >= abs(f)) && (!t || full <= abs(t));
  }
  const fv = f?.v ?? 101;
  const tv = t?.v ?? 1231;
  return fv <= tv ? md >= fv && md <= tv : md >= fv || md <= tv;
}

export function ruleMatches(r: LampCalendarRule, date: LocalDate): boolean {
  if (!inRange(date, r.from, r.to)) return false;
  if (r.weekdays && !r.weekdays.includes(weekday(date))) return false;
  if (r.nth !== undefined) {
    const nth = r.nth === -1 ? (date.d + 7 > daysInMonth(date) ? -1 : 0) : Math.ceil(date.d / 7);
    if (nth !== r.nth) return false;
  }
  return true;
}

export function chooseProgram(rules: readonly LampCalendarRule[], defaultProgram: string | undefined, date: LocalDate): CalendarChoice {
  for (const r of rules) if (ruleMatches(r, date)) return { program: r.program, rule: r.name };
  return { program: defaultProgram ?? null, rule: null };
}
