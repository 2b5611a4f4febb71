/**
 * The simulated SDM-style energy meter on the charging connector: integrates V × I of whatever
 * flows through the contactor into its import register (float32 kWh, protocols/fieldbus/sdm-meter.ts).
 * Its energy is kept in a state file, so it survives simulator restarts as a real meter's
 * non-volatile register does; a runtime restart never touches it. Fault `reset` zeroes it.
 */
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { SDM_MAP, kwhToWh } from '../../../protocols/fieldbus/sdm-meter.js';
import { SimSlave } from './sim-slave.js';

export interface SimMeterOptions {
  unit: number;
  /** Current through the meter, A. */
  load: () => number;
  voltageV?: () => number;
  stateFile?: string;
  serial?: number;
}

export class SimMeter extends SimSlave {
  /** Import energy, kWh, full precision; the register holds its float32 rounding. */
  private importKwh = 0;
  private lastSaved = 0;
  resets = 0;

  constructor(private readonly o: SimMeterOptions) {
    super(o.unit, 'meter');
    this.define(SDM_MAP, { serialNumber: o.serial ?? 21_070_123, frequency: 50, powerFactor: 0.99, voltage: 230 });
    // SDM input registers 30001–30080 and 30343–30346 all answer (other phases, demand values).
    this.fill('input', 0x0000, 0x004f);
    this.fill('input', 0x0156, 0x0159);
    if (o.stateFile) {
      try {
        const s = JSON.parse(readFileSync(o.stateFile, 'utf8')) as { importKwh?: number; resets?: number };
        this.importKwh = Number.isFinite(s.importKwh) ? s.importKwh! : 0;
        this.resets = s.resets ?? 0;
      } catch { /* first start */ }
    }
    this.update();
  }

  /** The billing register as the pole reads it, in whole Wh. */
  get registerWh(): number {
    return kwhToWh(this.get(SDM_MAP, 'importEnergy') as number);
  }

  reset(): void {
    this.importKwh = 0;
    this.resets++;
    this.update();
    this.save(true);
  }

  override tick(dt: number): void {
    const v = this.o.voltageV?.() ?? 230;
    const i = this.o.load();
    this.importKwh += (v * i * 0.99 * dt) / 3.6e6;
    this.update();
    this.save(false);
  }

  private update(): void {
    const v = this.o.voltageV?.() ?? 230;
    const i = this.o.load();
    this.set(SDM_MAP, 'voltage', v);
    this.set(SDM_MAP, 'current', i);
    this.set(SDM_MAP, 'activePower', v * i * 0.99);
    this.set(SDM_MAP, 'apparentPower', v * i);
    this.set(SDM_MAP, 'importEnergy', this.importKwh);
    this.set(SDM_MAP, 'totalEnergy', this.importKwh);
  }

  private save(force: boolean): void {
    if (!this.o.stateFile) return;
    const now = performance.now();
    if (!force && now - this.lastSaved < 1000) return;
    this.lastSaved = now;
    const tmp = `${this.o.stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify({ importKwh: this.importKwh, resets: this.resets }));
    renameSync(tmp, this.o.stateFile);
  }

  flush(): void {
    this.save(true);
  }

  state(): Record<string, unknown> {
    return { unit: this.unit, importWh: this.registerWh, importKwh: this.get(SDM_MAP, 'importEnergy'), powerW: Math.round(this.get(SDM_MAP, 'activePower') as number), currentA: this.get(SDM_MAP, 'current'), resets: this.resets };
  }
}
