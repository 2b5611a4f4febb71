/**
 * LampService: the streetlight itself (docs/lamp-schedule.md). Decides the level in TALQ's order —
 * an operator's override (until it expires or `lamp.resume`), else the schedule, raised by the
 * photocell when it is dark (storms), else the default level 100 % — and commands the driver
 * with the ramp of the switch point or command. Re-evaluates at the schedule's next change, at
 * least every minute, and when the photocell flips; re-applies after a driver restart or its
 * fail-safe took over. Alarms and telemetry go through the Reporter; `status()` is plain data.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { LampDriverUnit, LampReading } from '../../device/fieldbus/units/lamp-driver.js';
import { LampStatus } from '../../protocols/fieldbus/lamp-driver.js';
import { UnitState } from '../../device/fieldbus/modbus-master.js';
import { isoInZone } from '../../protocols/time.js';
import type { LampConfig } from '../config/fieldbus-schema.js';
import type { Reporter } from '../uplink/reporter.js';
import type { LampSchedule, ScheduleDecision } from './schedule.js';
import { Photocell, PhotocellState } from './photocell.js';
import type { OverrideStore, LampOverride } from './override-store.js';
import type { LampAlarms } from './lamp-alarms.js';

export type LampReason = 'override' | 'photocell' | 'program' | 'default';

export interface LampDecision {
  level: number;
  reason: LampReason;
  rampSec: number;
  schedule: ScheduleDecision;
  override: LampOverride | null;
}

export interface LampStatusSnapshot {
  online: boolean;
  level: number | null;
  actualLevel: number | null;
  reason: LampReason | null;
  program: string | null;
  rule: string | null;
  point: string | null;
  nextChangeAt: string | null;
  override: { level: number; until: string | null; setAt: string; principal: string | null } | null;
  photocell: { state: PhotocellState; lux: number | null };
  powerW: number | null;
  energyWh: number | null;
  operatingHours: number | null;
  starts: number | null;
  supplyV: number | null;
  alarms: { alarm: string; since: string; detail: string }[];
}

export interface LampServiceOptions {
  config: LampConfig;
  driver: LampDriverUnit | null;
  schedule: LampSchedule;
  overrides: OverrideStore;
  alarms: LampAlarms;
  reporter: Reporter;
  timeZone: string;
  logger: Logger;
  now?: () => number;
  /** Re-evaluation at least this often (photocell, expiry). Default 60 s. */
  recheckMs?: number;
}

const RECHECK_MS = 60_000;
const SETTLE_GRACE_MS = 5000;

/** What the lamp driver holds, as far as the service knows (commands go out on one promise chain). */
export enum DriverSync {
  /** Restarted, fail-safe or offline: configure it, then command the level. */
  Unknown = 'unknown',
  /** The level is commanded; the configure step queued before it has not finished. */
  Configuring = 'configuring',
  /** Configured, but the level must be sent again (a command failed). */
  Stale = 'stale',
  /** Configured and commanded. */
  InSync = 'in-sync',
}

const needsConfigure = (s: DriverSync) => s === DriverSync.Unknown || s === DriverSync.Configuring;
const needsLevel = (s: DriverSync) => s === DriverSync.Unknown || s === DriverSync.Stale;

export class LampService extends EventEmitter<{ change: [LampStatusSnapshot] }> {
  readonly photocell: Photocell;
  private readonly log: Logger;
  private readonly now: () => number;
  private decision: LampDecision | null = null;
  private commanded: number | null = null;
  private commandedAt = 0;
  private commandedRamp = 0;
  private driverSync = DriverSync.Unknown;
  private reading: LampReading | null = null;
  private timer: NodeJS.Timeout | null = null;
  private telemetryTimer: NodeJS.Timeout | null = null;
  private applying: Promise<void> = Promise.resolve();

  constructor(private readonly o: LampServiceOptions) {
    super();
    this.log = o.logger.child({ service: 'lamp' });
    this.now = o.now ?? Date.now;
    this.photocell = new Photocell(o.config.photocell);
    o.driver?.on('reading', (r) => this.onReading(r));
    o.driver?.on('failure', () => this.onFailure());
  }

  start(): void {
    this.refresh();
    this.telemetryTimer = setInterval(() => this.telemetry(), this.o.config.alarms.telemetrySec * 1000);
    this.telemetryTimer.unref?.();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.telemetryTimer) clearInterval(this.telemetryTimer);
    this.timer = this.telemetryTimer = null;
  }

  /** What the lamp should do at t (no side effects besides dropping an expired override). */
  decide(t: number): LampDecision {
    const schedule = this.o.schedule.evaluate(t);
    const override = this.o.overrides.active(t);
    if (override) return { level: override.level, reason: 'override', rampSec: override.rampSec ?? this.o.config.rampSec, schedule, override };
    const pc = this.o.config.photocell;
    if (pc.enabled && this.photocell.state === PhotocellState.Dark && schedule.level < pc.level) {
      return { level: pc.level, reason: 'photocell', rampSec: this.o.config.rampSec, schedule, override: null };
    }
    return { level: schedule.level, reason: schedule.reason, rampSec: schedule.rampSec, schedule, override: null };
  }

  /** Re-evaluates now, commands the driver if the level changed, and re-arms the timer. */
  refresh(): LampDecision {
    const t = this.now();
    const before = this.decision;
    const d = this.decide(t);
    if (before?.override?.until && before.override.until <= t && !d.override) {
      this.o.reporter.event({ code: 'lamp.override', severity: 'info', message: 'override expired; schedule resumed', state: 'expired' });
    }
    this.decision = d;
    if (d.level !== this.commanded || needsLevel(this.driverSync)) this.apply(d);
    if (!before || before.level !== d.level || before.reason !== d.reason) {
      this.log.info({ levelPct: d.level, reason: d.reason, program: d.schedule.program, point: d.schedule.point, rampSec: d.rampSec }, 'lamp level');
      this.emit('change', this.status());
    }
    this.arm(t, d);
    return d;
  }

  private arm(t: number, d: LampDecision): void {
    if (this.timer) clearTimeout(this.timer);
    let at = Math.min(d.schedule.next, t + (this.o.recheckMs ?? RECHECK_MS));
    if (d.override?.until) at = Math.min(at, d.override.until);
    this.timer = setTimeout(() => { this.timer = null; this.refresh(); }, Math.max(50, at - t + 20));
    this.timer.unref?.();
  }

  private apply(d: LampDecision): void {
    // Re-asserting the same level (driver restart, first reading) does not restart the settle time:
    // the driver's Fading bit covers a ramp it really does.
    if (d.level !== this.commanded) {
      this.commandedAt = this.now();
      this.commandedRamp = d.rampSec;
    }
    this.commanded = d.level;
    this.driverSync = this.driverSync === DriverSync.Unknown ? DriverSync.Configuring : this.driverSync === DriverSync.Stale ? DriverSync.InSync : this.driverSync;
    const driver = this.o.driver;
    if (!driver) return;
    this.applying = this.applying.then(async () => {
      try {
        if (needsConfigure(this.driverSync)) {
          await driver.configure(this.o.config.failSafe);
          this.driverSync = this.driverSync === DriverSync.Unknown ? DriverSync.Stale : DriverSync.InSync;
        }
        await driver.setLevel(d.level, d.rampSec);
      } catch (e) {
        this.driverSync = needsConfigure(this.driverSync) ? DriverSync.Unknown : DriverSync.Stale;
        const quiet = (e as { code?: string }).code === 'SP_MODBUS_BUS_DOWN' || (e as { code?: string }).code === 'SP_MODBUS_STOPPED';
        this.log[quiet ? 'debug' : 'warn']({ err: (e as Error).message, level: d.level }, 'cannot command the lamp driver; will retry');
      }
    });
  }

  private onReading(r: LampReading): void {
    const prev = this.reading;
    this.reading = r;
    const t = this.now();
    const restarted = prev !== null && r.startCounter !== prev.startCounter;
    if (restarted || !prev || (r.statusBits & LampStatus.FailureLevelActive)) {
      // Driver restarted (power-on level) or its fail-safe took over: configure and command again.
      this.driverSync = DriverSync.Unknown;
    }
    if (this.photocell.update(this.o.config.photocell.enabled ? r.lux : null, t)) {
      this.log.info({ state: this.photocell.state, lux: r.lux }, 'photocell');
      this.o.reporter.event({ code: 'lamp.photocell', severity: 'info', message: `photocell: ${this.photocell.state} at ${r.lux} lx`, state: this.photocell.state, lux: r.lux });
    }
    this.judgeAlarms(t, true);
    const d = this.decide(t);
    if (needsLevel(this.driverSync) || d.level !== this.commanded || d.reason !== this.decision?.reason) this.refresh();
  }

  private onFailure(): void {
    // Only a unit the master has declared offline is a comm failure (not one still starting up).
    if (this.o.driver && this.o.driver.state === UnitState.Offline) {
      this.driverSync = DriverSync.Unknown;
      this.judgeAlarms(this.now(), false);
    }
  }

  private judgeAlarms(t: number, online: boolean): void {
    const r = this.reading;
    const settled = this.commanded !== null && t - this.commandedAt >= this.commandedRamp * 1000 + SETTLE_GRACE_MS && !!r && !(r.statusBits & LampStatus.Fading);
    for (const a of this.o.alarms.update({ t, online, commanded: this.commanded, settled, reading: online ? r : null })) {
      this.log[a.state === 'raised' ? 'warn' : 'info']({ alarm: a.alarm, state: a.state, detail: a.detail }, 'lamp alarm');
      this.o.reporter.event({ code: `lamp.${a.alarm}`, severity: a.state === 'raised' ? 'alarm' : 'info', message: a.detail, alarm: a.alarm, state: a.state });
      this.emit('change', this.status());
    }
  }

  /** lamp.set: an override at `level` until `until` (epoch ms; null = until lamp.resume). */
  set(level: number, until: number | null, rampSec: number | null, source: string, principal: string | null): LampStatusSnapshot {
    this.o.overrides.set({ level, until, rampSec, setAt: this.now(), source, principal }, () => {
      this.o.reporter.event({ code: 'lamp.override', severity: 'info', message: `override ${level} %${until ? ` until ${isoInZone(until, this.o.timeZone)}` : ''}`, state: 'set', level, until: until ? isoInZone(until, this.o.timeZone) : null, principal });
    });
    this.refresh();
    return this.status();
  }

  /** lamp.resume: back to the schedule. */
  resume(): LampStatusSnapshot {
    const had = this.o.overrides.clear();
    if (had) this.o.reporter.event({ code: 'lamp.override', severity: 'info', message: 'override cleared; schedule resumed', state: 'cleared' });
    this.refresh();
    return this.status();
  }

  /** Waits until queued driver commands have been sent (tests, shutdown). */
  flush(): Promise<void> {
    return this.applying;
  }

  private telemetry(): void {
    const s = this.status();
    this.o.reporter.telemetry('lamp', {
      level: s.level, actualLevel: s.actualLevel, reason: s.reason, powerW: s.powerW, energyWh: s.energyWh, operatingHours: s.operatingHours,
      starts: s.starts, supplyV: s.supplyV, lux: s.photocell.lux, photocell: s.photocell.state, alarms: s.alarms.map((a) => a.alarm),
    });
  }

  status(): LampStatusSnapshot {
    const d = this.decision;
    const r = this.o.driver?.online ? this.reading : null;
    const iso = (ms: number) => isoInZone(ms, this.o.timeZone);
    return {
      online: this.o.driver?.online ?? false,
      level: d?.level ?? null, actualLevel: r?.actualLevel ?? null, reason: d?.reason ?? null,
      program: d?.schedule.program ?? null, rule: d?.schedule.rule ?? null, point: d?.schedule.point ?? null,
      nextChangeAt: d ? iso(d.override?.until ? Math.min(d.override.until, d.schedule.next) : d.schedule.next) : null,
      override: d?.override ? { level: d.override.level, until: d.override.until ? iso(d.override.until) : null, setAt: iso(d.override.setAt), principal: d.override.principal } : null,
      photocell: { state: this.photocell.state, lux: this.photocell.lux },
      powerW: r?.powerW ?? null, energyWh: r?.energyWh ?? null, operatingHours: r ? Math.round(r.operatingTimeS / 36) / 100 : null,
      starts: r?.startCounter ?? null, supplyV: r?.supplyV ?? null,
      alarms: this.o.alarms.raised().map((a) => ({ alarm: a.alarm, since: iso(a.since), detail: a.detail })),
    };
  }
}
