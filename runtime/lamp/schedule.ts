/**
 * The lamp's TALQ-style schedule (docs/background.md §Streetlight, docs/lamp-schedule.md): for any
 * instant, which level the program asks for and when that changes next.
 *
 * A schedule day runs from local midnight + dayOffset hours (TALQ dayOffset 0 or 12) to the same
 * time the next day; the calendar picks the day's program. Its switch points — fixed local times
 * (FixedTimeControl) and solar events ± minutes (AstroClockTimeControl) — are placed inside the
 * day's window; the level at t is that of the last switch point at or before t, or, before the
 * first, the level the previous day ended on. Dynamic controls (DynamicControl: set, max, min,
 * add, sub, mul over a period) then apply on top. No program: the default level (100 %).
 */
import type { LampConfig, LampProgram, LampTimeSpec } from '../config/fieldbus-schema.js';
import { chooseProgram } from './calendar.js';
import { addDays, localDateOf, localToEpoch, type LocalDate } from './local-time.js';
import type { SunClock } from './sun-clock.js';

export interface ScheduleDecision {
  level: number;
  /** 'program': a switch point or dynamic control set it; 'default': no program applies. */
  reason: 'program' | 'default';
  program: string | null;
  rule: string | null;
  /** The switch point in force, e.g. "sunset-10" or "23:00"; "carry" when it comes from the previous day. */
  point: string | null;
  /** Ramp for the change into this level. */
  rampSec: number;
  /** Dynamic controls applied, e.g. ["min 40"]. */
  dynamic: string[];
  /** When the program's level may change next (epoch ms). */
  next: number;
}

interface Placed {
  at: number;
  level: number;
  rampSec: number | undefined;
  label: string;
}

type ScheduleConfig = LampConfig['schedule'];

export class LampSchedule {
  constructor(
    private readonly cfg: ScheduleConfig,
    private readonly sun: SunClock,
    private readonly timeZone: string,
    private readonly defaults: { level: number; rampSec: number },
  ) {}

  /** The local date whose schedule day contains t. */
  scheduleDay(t: number): LocalDate {
    return localDateOf(t - this.cfg.dayOffset * 3_600_000, this.timeZone);
  }

  windowStart(day: LocalDate): number {
    return localToEpoch(day, this.cfg.dayOffset, 0, this.timeZone);
  }

  /** Instant of a time spec inside the window [start, end) of `day`, or null (e.g. no sunset). */
  place(spec: LampTimeSpec, day: LocalDate, start: number, end: number, after = start): number | null {
    for (const d of [day, addDays(day, 1)]) {
      let at: number;
      if ('time' in spec) {
        const [hh, mm] = spec.time.split(':').map(Number);
        at = localToEpoch(d, hh!, mm!, this.timeZone);
      } else {
        at = this.sun.events(d)[spec.astro] + spec.offsetMin * 60_000;
      }
      if (Number.isFinite(at) && at >= Math.max(start, after) && at < end) return at;
    }
    return null;
  }

  private label(spec: LampTimeSpec): string {
    if ('time' in spec) return spec.time;
    return spec.offsetMin ? `${spec.astro}${spec.offsetMin > 0 ? '+' : ''}${spec.offsetMin}` : spec.astro;
  }

  private points(p: LampProgram, day: LocalDate, start: number, end: number): Placed[] {
    const out: Placed[] = [];
    for (const sp of p.switchPoints) {
      const at = this.place(sp, day, start, end);
      if (at !== null) out.push({ at, level: sp.level, rampSec: sp.rampSec, label: this.label(sp) });
    }
    return out.sort((a, b) => a.at - b.at);
  }

  private program(day: LocalDate): { name: string | null; rule: string | null; p: LampProgram | null } {
    const c = chooseProgram(this.cfg.rules, this.cfg.defaultProgram, day);
    return { name: c.program, rule: c.rule, p: c.program ? this.cfg.programs[c.program] ?? null : null };
  }

  /** The level the previous schedule days ended on (looks back at most a week). */
  private carry(day: LocalDate): Placed | null {
    for (let back = 1; back <= 7; back++) {
      const d = addDays(day, -back);
      const { p } = this.program(d);
      if (!p) return null;
      const start = this.windowStart(d);
      const pts = this.points(p, d, start, this.windowStart(addDays(d, 1)));
      if (pts.length) return pts.at(-1)!;
    }
    return null;
  }

  evaluate(t: number): ScheduleDecision {
    const day = this.scheduleDay(t);
    const start = this.windowStart(day);
    const end = this.windowStart(addDays(day, 1));
    const { name, rule, p } = this.program(day);
    if (!p) return { level: this.defaults.level, reason: 'default', program: name, rule, point: null, rampSec: this.defaults.rampSec, dynamic: [], next: end };
    const pts = this.points(p, day, start, end);
    let current: Placed | null = null;
    let next = end;
    for (const x of pts) {
      if (x.at <= t) current = x;
      else { next = Math.min(next, x.at); break; }
    }
    let point: string | null = current?.label ?? null;
    if (!current) {
      const c = this.carry(day);
      if (c) { current = c; point = 'carry'; }
    }
    let level = current?.level ?? this.defaults.level;
    const reason: ScheduleDecision['reason'] = current ? 'program' : 'default';
    const applied: string[] = [];
    for (const dc of p.dynamic) {
      const from = this.place(dc.from, day, start, end);
      if (from === null) continue;
      // The period ends at the first `to` after `from` (it may run past the window's end).
      const to = this.place(dc.to, day, start, end + 86_400_000, from + 1);
      if (to === null) continue;
      if (from > t) { next = Math.min(next, from); continue; }
      if (t >= to) continue;
      next = Math.min(next, to);
      level = applyOp(level, dc.op, dc.value);
      applied.push(`${dc.op} ${dc.value}`);
    }
    return {
      level: Math.round(level * 10) / 10, reason: applied.length ? 'program' : reason, program: name, rule, point,
      rampSec: current?.rampSec ?? this.defaults.rampSec, dynamic: applied, next,
    };
  }
}

function applyOp(level: number, op: LampProgram['dynamic'][number]['op'], v: number): number {
  const clamp = (x: number) => Math.min(100, Math.max(0, x));
  switch (op) {
    case 'set': return clamp(v);
    case 'max': return clamp(Math.max(level, v));
    case 'min': return clamp(Math.min(level, v));
    case 'add': return clamp(level + v);
    case 'sub': return clamp(level - v);
    case 'mul': return clamp(level * v / 100);
  }
}
