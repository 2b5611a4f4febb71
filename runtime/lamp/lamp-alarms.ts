/**
 * The lamp's alarms, as TALQ LampMonitorFunction names them (docs/background.md §Streetlight):
 * lampFailure (should be lit, draws no current), dayBurning (TALQ lampUnexpectedOn: lit when it
 * should be off), cycling (cyclingFailure), dimmingFailure, controlGearCommFailure, supplyLoss.
 * Conditions are judged on driver readings once a commanded level has settled, must hold for
 * `confirmPolls` readings before raising and be gone as long before clearing. Raised alarms are
 * kept in SQLite, so a restart neither forgets nor repeats them.
 */
import type { LampReading } from '../../device/fieldbus/units/lamp-driver.js';
import { LampStatus } from '../../protocols/fieldbus/lamp-driver.js';
import type { LampConfig } from '../config/fieldbus-schema.js';
import type { Db } from '../storage/database.js';

export const LAMP_ALARMS = ['lampFailure', 'dayBurning', 'cycling', 'dimmingFailure', 'controlGearCommFailure', 'supplyLoss'] as const;
export type LampAlarm = (typeof LAMP_ALARMS)[number];

export interface AlarmTransition {
  alarm: LampAlarm;
  state: 'raised' | 'cleared';
  detail: string;
}

export interface AlarmInput {
  t: number;
  online: boolean;
  /** Level last commanded; null before the first command. */
  commanded: number | null;
  /** The ramp to `commanded` is over (plus a grace). */
  settled: boolean;
  reading: LampReading | null;
}

const FAILURE_BITS = LampStatus.LampFailure | LampStatus.OpenCircuit | LampStatus.ShortCircuit;

/** Power an LED driver draws at a level: ~5 % floor plus the rest proportional (the dimming check's model). */
export function expectedPowerW(ratedW: number, level: number): number {
  return level <= 0 ? 0 : ratedW * (0.05 + 0.95 * level / 100);
}

export class LampAlarms {
  private readonly active = new Map<LampAlarm, { since: number; detail: string }>();
  private readonly yes = new Map<LampAlarm, number>();
  private readonly no = new Map<LampAlarm, number>();
  private prev: LampReading | null = null;
  private flips: number[] = [];
  private lastSupplyEvent = 0;

  constructor(private readonly db: Db, private readonly s: LampConfig['alarms'] & { ratedPowerW: number }) {
    for (const r of db.prepare('SELECT name, raised_at, detail FROM lamp_alarms').all() as { name: LampAlarm; raised_at: number; detail: string | null }[]) {
      this.active.set(r.name, { since: r.raised_at, detail: r.detail ?? '' });
    }
  }

  raised(): { alarm: LampAlarm; since: number; detail: string }[] {
    return [...this.active].map(([alarm, v]) => ({ alarm, ...v }));
  }

  update(i: AlarmInput): AlarmTransition[] {
    const out: AlarmTransition[] = [];
    const judge = (a: LampAlarm, cond: boolean | null, detail: string, immediate = false) => {
      if (cond === null) return; // cannot judge now: hold
      const need = immediate ? 1 : this.s.confirmPolls;
      if (cond) {
        this.no.set(a, 0);
        const n = (this.yes.get(a) ?? 0) + 1;
        this.yes.set(a, n);
        if (n >= need && !this.active.has(a)) out.push(this.raise(a, i.t, detail));
      } else {
        this.yes.set(a, 0);
        const n = (this.no.get(a) ?? 0) + 1;
        this.no.set(a, n);
        if (n >= need && this.active.has(a)) out.push(this.clear(a, detail));
      }
    };
    judge('controlGearCommFailure', !i.online, i.online ? 'driver answers again' : 'lamp driver does not answer on the field bus (it falls back to its system failure level)', true);
    const r = i.online ? i.reading : null;
    if (!r) return out;
    const prev = this.prev;
    this.prev = r;
    const threshold = this.s.dayBurningW;
    const lit = r.powerW > threshold;
    const cmd = i.commanded;
    const judgeable = cmd !== null && i.settled;
    const expected = cmd !== null ? expectedPowerW(this.s.ratedPowerW, cmd) : 0;
    const failed = (r.statusBits & FAILURE_BITS) !== 0 || (cmd !== null && cmd > 0 && r.powerW < this.s.lampFailureFraction * expected);
    judge('lampFailure', judgeable ? cmd > 0 && failed : null, `should be lit at ${cmd} % but draws ${r.powerW.toFixed(1)} W${r.status.length ? ` (${r.status.join(', ')})` : ''}`);
    judge('dayBurning', judgeable ? cmd === 0 && lit : null, `should be off but draws ${r.powerW.toFixed(1)} W`);
    const off = expected > 0 ? Math.abs(r.powerW / expected - 1) : 0;
    const dimBad = judgeable && cmd > 0 && cmd < 100 && !failed ? Math.abs(r.actualLevel - cmd) > 5 || off > this.s.dimmingTolerance : judgeable ? false : null;
    judge('dimmingFailure', dimBad, `commanded ${cmd} %, driver at ${r.actualLevel.toFixed(1)} %, ${r.powerW.toFixed(1)} W for ${expected.toFixed(1)} W expected`);
    // Cycling: the light going out again and again while the command holds it on.
    if (prev && prev.powerW > threshold && !lit && judgeable && cmd > 0) this.flips.push(i.t);
    this.flips = this.flips.filter((t) => i.t - t <= this.s.cyclingWindowMin * 60_000);
    const cycling = this.flips.length >= this.s.cyclingCount;
    if (cycling && !this.active.has('cycling')) out.push(this.raise('cycling', i.t, `${this.flips.length} cut-outs in ${this.s.cyclingWindowMin} min`));
    if (this.flips.length === 0 && this.active.has('cycling')) out.push(this.clear('cycling', 'no cut-out for a whole window'));
    // Supply loss: low mains now, or a restart seen through the driver's counters since the last poll.
    const restarted = prev !== null && (r.startCounter > prev.startCounter || r.supplyLossCount > prev.supplyLossCount);
    const low = r.supplyV < this.s.supplyMinV;
    if (restarted || low) this.lastSupplyEvent = i.t;
    if ((restarted || (low && (this.yes.get('supplyLoss') ?? 0) + 1 >= this.s.confirmPolls)) && !this.active.has('supplyLoss')) {
      out.push(this.raise('supplyLoss', i.t, restarted ? `driver restarted (mains interrupted; start counter ${r.startCounter})` : `mains at ${r.supplyV.toFixed(1)} V`));
    }
    this.yes.set('supplyLoss', low ? (this.yes.get('supplyLoss') ?? 0) + 1 : 0);
    if (!low && !restarted && this.active.has('supplyLoss') && i.t - this.lastSupplyEvent >= 60_000) out.push(this.clear('supplyLoss', `mains back at ${r.supplyV.toFixed(1)} V`));
    return out;
  }

  private raise(a: LampAlarm, t: number, detail: string): AlarmTransition {
    this.active.set(a, { since: t, detail });
    this.db.prepare('INSERT OR REPLACE INTO lamp_alarms (name, raised_at, detail) VALUES (?, ?, ?)').run(a, t, detail);
    return { alarm: a, state: 'raised', detail };
  }

  private clear(a: LampAlarm, detail: string): AlarmTransition {
    this.active.delete(a);
    this.db.prepare('DELETE FROM lamp_alarms WHERE name = ?').run(a);
    return { alarm: a, state: 'cleared', detail };
  }
}
