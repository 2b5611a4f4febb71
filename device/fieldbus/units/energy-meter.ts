/** Driver for the SDM-style energy meter (protocols/fieldbus/sdm-meter.ts): float32 input registers. */
import { SDM_MAP, SDM_POLL_FIELDS, kwhToWh } from '../../../protocols/fieldbus/sdm-meter.js';
import { fieldBusError } from '../errors.js';
import type { Priority } from '../request-queue.js';
import { UnitDriver } from './unit-driver.js';

export interface MeterReading {
  at: number;
  voltageV: number;
  currentA: number;
  powerW: number;
  frequencyHz: number;
  /** Import active energy, whole Wh (the billing register, kwhToWh of the float32). */
  importWh: number;
  exportWh: number;
}

export class EnergyMeterUnit extends UnitDriver<MeterReading> {
  serialNumber: number | null = null;

  protected async read(priority: Priority): Promise<MeterReading> {
    const v = await this.client.readFields(SDM_MAP, SDM_POLL_FIELDS, { priority });
    const imp = v.importEnergy as number;
    if (!Number.isFinite(imp) || imp < 0) throw fieldBusError('SP_MODBUS_BAD_RESPONSE', { unit: this.address, problem: `import energy register holds ${imp}` });
    const num = (x: unknown) => (Number.isFinite(x as number) ? (x as number) : 0);
    return {
      at: this.now(), voltageV: num(v.voltage), currentA: num(v.current), powerW: num(v.activePower), frequencyHz: num(v.frequency),
      importWh: kwhToWh(imp), exportWh: kwhToWh(num(v.exportEnergy)),
    };
  }

  async identify(): Promise<void> {
    const v = await this.client.readFields(SDM_MAP, ['serialNumber'], { priority: 'command' });
    this.serialNumber = v.serialNumber as number;
  }
}
