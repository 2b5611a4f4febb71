/**
 * A simulated electric car on the connector: plugs in (IEC 61851 state B), asks for charge when
 * the pilot PWM offers current (C), draws a realistic AC current — a soft ramp up, constant
 * current to ~80 % state of charge, then a taper — stops asking when full (back to B: OCPP
 * SuspendedEV) and drops its current within a couple of seconds when the offer is withdrawn.
 */
import { IecState } from '../../../protocols/fieldbus/ev-cc-ac1-m3.js';

export interface EvSpec {
  /** Battery size. Default 60 kWh. */
  capacityKwh?: number;
  /** State of charge at plug-in, %. Default 30. */
  socPct?: number;
  /** Stops asking at this SoC. Default 100. */
  targetSocPct?: number;
  /** On-board charger limit. Default 32 A. */
  maxCurrentA?: number;
  /** Unplugs by itself after this much simulated time plugged in (seconds). */
  unplugAfterSec?: number;
}

export class SimEv {
  plugged = false;
  socPct = 30;
  currentA = 0;
  requesting = false;
  pluggedForSec = 0;
  private spec: Required<Omit<EvSpec, 'unplugAfterSec'>> & { unplugAfterSec?: number } = { capacityKwh: 60, socPct: 30, targetSocPct: 100, maxCurrentA: 32 };
  /** Simulated seconds the PWM has been on since the last request began (S2 closes after ~1 s). */
  private offerSec = 0;
  private noise = 1;

  plugIn(spec: EvSpec = {}): void {
    this.spec = { capacityKwh: 60, socPct: 30, targetSocPct: 100, maxCurrentA: 32, ...spec };
    this.socPct = this.spec.socPct;
    this.plugged = true;
    this.currentA = 0;
    this.requesting = false;
    this.offerSec = 0;
    this.pluggedForSec = 0;
  }

  unplug(): void {
    this.plugged = false;
    this.currentA = 0;
    this.requesting = false;
  }

  get wantsCharge(): boolean {
    return this.plugged && this.socPct < this.spec.targetSocPct;
  }

  /** Pilot state the car presents. */
  get iec(): IecState {
    if (!this.plugged) return IecState.A;
    return this.requesting ? IecState.C : IecState.B;
  }

  /**
   * Advances by `dt` simulated seconds with `offeredA` on the pilot (0 = PWM off). `forced`: a
   * stuck contactor keeps power on whatever the pilot says. Returns true if the car unplugged.
   */
  tick(dt: number, offeredA: number, voltageV: number, forced = false): boolean {
    if (!this.plugged) return false;
    this.pluggedForSec += dt;
    if (this.spec.unplugAfterSec !== undefined && this.pluggedForSec >= this.spec.unplugAfterSec) {
      this.unplug();
      return true;
    }
    if (offeredA > 0 && this.wantsCharge) {
      this.offerSec += dt;
      this.requesting = this.offerSec >= 1;
    } else if (!forced) {
      this.offerSec = 0;
      this.requesting = this.requesting && this.wantsCharge && offeredA > 0;
    }
    let target = 0;
    if (this.requesting && offeredA > 0) target = Math.min(offeredA, this.spec.maxCurrentA) * this.taper();
    if (forced && this.wantsCharge) target = Math.max(target, this.currentA);
    // Ramp up at ~5 A/s, down at ~15 A/s (IEC 61851-1 allows 5 s to follow a lower offer).
    const step = (target > this.currentA ? 5 : 15) * dt;
    this.currentA = target > this.currentA ? Math.min(target, this.currentA + step) : Math.max(target, this.currentA - step);
    if (this.currentA > 0.05) {
      this.noise = 0.995 + ((Math.sin(this.pluggedForSec * 1.7) + 1) / 2) * 0.01;
      const kwh = (voltageV * this.currentA * this.noise * dt) / 3.6e6;
      this.socPct = Math.min(100, this.socPct + (kwh / this.spec.capacityKwh) * 100);
    }
    if (!this.wantsCharge) this.requesting = false;
    return false;
  }

  /** Current actually flowing (what the meter sees). */
  get drawA(): number {
    return this.currentA > 0.05 ? this.currentA * this.noise : 0;
  }

  private taper(): number {
    if (this.socPct < 80) return 1;
    return Math.max(0.15, 1 - ((this.socPct - 80) / 20) * 0.85);
  }

  state(): Record<string, unknown> {
    return {
      plugged: this.plugged, iec: this.iec, socPct: Math.round(this.socPct * 10) / 10, currentA: Math.round(this.drawA * 100) / 100,
      capacityKwh: this.spec.capacityKwh, maxCurrentA: this.spec.maxCurrentA, pluggedForSec: Math.round(this.pluggedForSec),
    };
  }
}
