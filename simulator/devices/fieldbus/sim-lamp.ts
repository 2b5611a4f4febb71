/**
 * The simulated lamp driver (protocols/fieldbus/lamp-driver.ts): ramps its light level to the
 * commanded target over the fade time, draws power that follows the level, counts D4i energy,
 * operating time and starts, applies its system failure level when the master falls silent, and
 * comes back from a mains interruption at its power-on level. The photocell reads daylight from
 * the sun's altitude at the pole (suncalc) unless a storm or a fixed lux value is injected.
 * Faults: lamp failure, stuck dimming, day-burning relay, cycling, supply loss.
 */
import * as SunCalc from 'suncalc';
import { LAMP_MAP, LampStatus, NO_LIGHT_SENSOR, GEAR_TEMPERATURE_OFFSET } from '../../../protocols/fieldbus/lamp-driver.js';
import type { Table } from '../../../protocols/fieldbus/register-map.js';
import { SimSlave } from './sim-slave.js';

const M = LAMP_MAP;

export interface SimLampOptions {
  unit: number;
  ratedPowerW?: number;
  location?: { lat: number; lon: number };
  /** Wall clock for the sun (ms). */
  now?: () => number;
  photocell?: boolean;
}

/** Clear-sky illuminance from the sun's altitude (rough: ~100 klx overhead, ~400 lx at sunset, civil dusk ~3 lx). */
export function clearSkyLux(altitudeRad: number): number {
  const deg = (altitudeRad * 180) / Math.PI;
  if (deg >= 0) return Math.max(400, 100_000 * Math.sin(altitudeRad));
  if (deg >= -6) return 400 * Math.pow(3 / 400, -deg / 6);
  if (deg >= -12) return 3 * Math.pow(0.01 / 3, (-deg - 6) / 6);
  return 0.01;
}

export class SimLamp extends SimSlave {
  readonly ratedPowerW: number;
  actual = 0;
  private rampFrom = 0;
  private rampStart = 0;
  private rampSec = 0;
  private target = 0;
  private energyWh = 0;
  private operatingS = 0;
  private lightOnS = 0;
  private starts = 1;
  private lightStarts = 0;
  private supplyLosses = 0;
  private failureLevelActive = false;
  /** Faults. */
  lampFailed = false;
  dimmingStuck = false;
  dayBurn = false;
  cyclingPeriodSec = 0;
  private cycleClock = 0;
  private unpoweredUntil = 0;
  /** Photocell overrides: fixed lux, or a factor on clear-sky daylight (a storm). */
  luxOverride: number | null = null;
  skyFactor = 1;

  constructor(private readonly o: SimLampOptions) {
    super(o.unit, 'lamp');
    this.ratedPowerW = o.ratedPowerW ?? 120;
    this.define(M, {
      targetLevel: 100, fadeTime: 0, systemFailureLevel: 100, powerOnLevel: 100, commTimeout: 0, supplyVoltage: 220,
      gearTemperature: 35 + GEAR_TEMPERATURE_OFFSET, idString: 'WH-LUM-D4I-0001', ambientLight: o.photocell === false ? NO_LIGHT_SENSOR : 0,
    });
    this.target = 100;
    this.actual = 100;
    this.update();
  }

  /** Answers on the bus only while powered. */
  override get responsive(): boolean {
    return performance.now() >= this.unpoweredUntil;
  }

  supplyLoss(sec: number): void {
    this.unpoweredUntil = performance.now() + sec * 1000;
    this.actual = 0;
  }

  private powerOn(): void {
    this.unpoweredUntil = 0;
    this.starts++;
    this.supplyLosses++;
    this.actual = 0;
    this.setTarget(this.get(M, 'powerOnLevel') as number, 0);
  }

  private setTarget(level: number, fadeSec: number): void {
    this.rampFrom = this.actual;
    this.rampStart = performance.now();
    this.rampSec = fadeSec;
    this.target = level;
  }

  protected override onWrite(t: Table, address: number, count: number): void {
    const touches = (a: number) => t === 'holding' && address <= a && a < address + count;
    if (touches(M.targetLevel.address)) {
      this.failureLevelActive = false;
      if (!this.dimmingStuck) this.setTarget(Math.min(100, this.get(M, 'targetLevel') as number), this.get(M, 'fadeTime') as number);
    }
    this.update();
  }

  protected override refresh(): void {
    this.update();
  }

  get lux(): number {
    if (this.luxOverride !== null) return this.luxOverride;
    const now = new Date(this.o.now?.() ?? Date.now());
    const loc = this.o.location ?? { lat: 30.6043, lon: 114.3012 };
    return clearSkyLux(SunCalc.getPosition(now, loc.lat, loc.lon).altitude) * this.skyFactor;
  }

  get powerW(): number {
    if (!this.responsive) return 0;
    const level = this.lightLevel();
    if (level <= 0) return 0.4; // driver standby
    return this.ratedPowerW * (0.05 + 0.95 * level / 100);
  }

  /** The light actually produced (what a camera would see), after faults. */
  lightLevel(): number {
    if (!this.responsive || this.lampFailed) return 0;
    if (this.dayBurn) return 100;
    if (this.cyclingPeriodSec > 0 && this.actual > 0 && Math.floor(this.cycleClock / this.cyclingPeriodSec) % 2 === 1) return 0;
    return this.actual;
  }

  override tick(dt: number, realDt = dt): void {
    if (this.unpoweredUntil && !this.responsive) return;
    if (this.unpoweredUntil && this.responsive) this.powerOn();
    const timeout = this.get(M, 'commTimeout') as number;
    if (timeout > 0 && !this.failureLevelActive && performance.now() - this.lastRequestAt > timeout * 1000) {
      this.failureLevelActive = true;
      this.setTarget(this.get(M, 'systemFailureLevel') as number, 0);
    }
    const wasLit = this.lightLevel() > 0;
    const p = this.rampSec > 0 ? Math.min(1, (performance.now() - this.rampStart) / (this.rampSec * 1000)) : 1;
    this.actual = this.rampFrom + (this.target - this.rampFrom) * p;
    this.cycleClock += realDt;
    const power = this.powerW;
    this.energyWh += (power * dt) / 3600;
    this.operatingS += dt;
    if (this.lightLevel() > 0) this.lightOnS += dt;
    if (!wasLit && this.lightLevel() > 0) this.lightStarts++;
    this.update();
  }

  private update(): void {
    const level = this.lightLevel();
    const status = (this.lampFailed ? LampStatus.LampFailure | LampStatus.OpenCircuit : 0)
      | (this.failureLevelActive ? LampStatus.FailureLevelActive : 0)
      | (Math.abs(this.actual - this.target) > 0.05 ? LampStatus.Fading : 0);
    this.set(M, 'actualLevel', this.actual);
    this.set(M, 'status', status);
    this.set(M, 'activePower', this.powerW);
    this.set(M, 'lampCurrent', level > 0 ? (this.powerW / 48) * 1000 : 0);
    this.set(M, 'activeEnergy', Math.floor(this.energyWh));
    this.set(M, 'operatingTime', Math.floor(this.operatingS));
    this.set(M, 'startCounter', this.starts);
    this.set(M, 'lightOnTime', Math.floor(this.lightOnS));
    this.set(M, 'lightStarts', this.lightStarts);
    this.set(M, 'supplyLossCount', this.supplyLosses);
    if (this.o.photocell !== false) this.set(M, 'ambientLight', Math.min(65534, Math.round(this.lux)));
  }

  repair(): void {
    this.lampFailed = false;
    this.dimmingStuck = false;
    this.dayBurn = false;
    this.cyclingPeriodSec = 0;
    this.update();
  }

  state(): Record<string, unknown> {
    return {
      unit: this.unit, responsive: this.responsive, target: this.target, actual: Math.round(this.actual * 10) / 10, light: Math.round(this.lightLevel() * 10) / 10,
      powerW: Math.round(this.powerW * 10) / 10, lux: Math.round(this.lux * 10) / 10, failureLevelActive: this.failureLevelActive,
      faults: { lampFailed: this.lampFailed, dimmingStuck: this.dimmingStuck, dayBurn: this.dayBurn, cyclingPeriodSec: this.cyclingPeriodSec, skyFactor: this.skyFactor, luxOverride: this.luxOverride },
      energyWh: Math.floor(this.energyWh), starts: this.starts, lightStarts: this.lightStarts, supplyLosses: this.supplyLosses,
    };
  }
}
