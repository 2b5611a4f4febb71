/**
 * Simulated phone-charging pads (protocols/fieldbus/charge-pads.ts): a phone laid on an enabled
 * pad charges at ~10 W, tapering as it fills; the coil warms while charging and cools when idle;
 * above the over-temperature limit the pad's firmware cuts power and flags the fault until it
 * has cooled 5 °C below the limit.
 */
import { PadFault, PadState, chargePadsMap } from '../../../protocols/fieldbus/charge-pads.js';
import type { RegisterMap } from '../../../protocols/fieldbus/register-map.js';
import { SimSlave } from './sim-slave.js';

interface Pad {
  phone: boolean;
  phoneSoc: number;
  temperatureC: number;
  energyWh: number;
  overheated: boolean;
  foreignObject: boolean;
}

const AMBIENT_C = 25;

export class SimPads extends SimSlave {
  private readonly map: RegisterMap;
  private readonly pads: Pad[];

  constructor(unit: number, readonly count: number) {
    super(unit, 'pads');
    this.map = chargePadsMap(count);
    const init: Record<string, number | boolean> = { padCount: count, firmwareVersion: 0x0102, overTempLimit: 60 };
    for (let n = 0; n < count; n++) init[`pad${n}.enabled`] = true;
    this.define(this.map, init);
    this.fill('input', 0, 10 * (count + 1) + 9);
    this.pads = Array.from({ length: count }, () => ({ phone: false, phoneSoc: 0, temperatureC: AMBIENT_C, energyWh: 0, overheated: false, foreignObject: false }));
    this.update();
  }

  private pad(n: number): Pad {
    const p = this.pads[n - 1];
    if (!p) throw new RangeError(`no pad ${n} (have 1–${this.count})`);
    return p;
  }

  /** A phone laid on pad `n` (1-based) at `socPct`. */
  placePhone(n: number, socPct = 20): void {
    Object.assign(this.pad(n), { phone: true, phoneSoc: socPct, energyWh: 0 });
    this.update();
  }

  removePhone(n: number): void {
    Object.assign(this.pad(n), { phone: false, energyWh: 0 });
    this.update();
  }

  /** Fault: heat the coil to `temperatureC` (default 75 °C). */
  overheat(n: number, temperatureC = 75): void {
    this.pad(n).temperatureC = temperatureC;
    this.update();
  }

  foreignObject(n: number, on: boolean): void {
    this.pad(n).foreignObject = on;
    this.update();
  }

  private power(n: number): number {
    const p = this.pads[n]!;
    const enabled = this.get(this.map, `pad${n}.enabled`) as boolean;
    if (!enabled || !p.phone || p.overheated || p.foreignObject || p.phoneSoc >= 100) return 0;
    return p.phoneSoc < 70 ? 10 : 10 * Math.max(0.2, (100 - p.phoneSoc) / 30);
  }

  override tick(dt: number): void {
    const limit = this.get(this.map, 'overTempLimit') as number;
    this.pads.forEach((p, n) => {
      const w = this.power(n);
      // First-order thermal model: heats with power, relaxes to ambient (τ ≈ 10 min).
      p.temperatureC += (w * 0.02 - (p.temperatureC - AMBIENT_C) / 600) * dt;
      p.energyWh += (w * dt) / 3600;
      if (p.phone) p.phoneSoc = Math.min(100, p.phoneSoc + ((w * dt) / 3600 / 15) * 100);
      if (p.temperatureC > limit) p.overheated = true;
      else if (p.overheated && p.temperatureC < limit - 5) p.overheated = false;
    });
    this.update();
  }

  protected override refresh(): void {
    const limit = this.get(this.map, 'overTempLimit') as number;
    for (const p of this.pads) if (p.temperatureC > limit) p.overheated = true;
    this.update();
  }

  protected override onWrite(): void {
    this.update();
  }

  private update(): void {
    this.pads.forEach((p, n) => {
      const enabled = this.get(this.map, `pad${n}.enabled`) as boolean;
      const w = this.power(n);
      const faults = (p.overheated ? PadFault.OverTemperature : 0) | (p.foreignObject ? PadFault.ForeignObject : 0);
      const state = !enabled ? PadState.Off : faults ? PadState.Fault : w > 0 ? PadState.Charging : PadState.Idle;
      this.set(this.map, `pad${n}.state`, state);
      this.set(this.map, `pad${n}.power`, w);
      this.set(this.map, `pad${n}.temperature`, p.temperatureC);
      this.set(this.map, `pad${n}.faults`, faults);
      this.set(this.map, `pad${n}.energy`, Math.floor(p.energyWh));
    });
  }

  state(): Record<string, unknown> {
    return {
      unit: this.unit,
      pads: this.pads.map((p, n) => ({
        pad: n + 1, enabled: this.get(this.map, `pad${n}.enabled`), phone: p.phone, phoneSoc: Math.round(p.phoneSoc),
        powerW: Math.round(this.power(n) * 10) / 10, temperatureC: Math.round(p.temperatureC * 10) / 10, overheated: p.overheated, foreignObject: p.foreignObject,
      })),
    };
  }
}
