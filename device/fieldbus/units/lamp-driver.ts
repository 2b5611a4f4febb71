/** Driver for the D4i-style lamp driver (protocols/fieldbus/lamp-driver.ts). */
import { GEAR_TEMPERATURE_OFFSET, LAMP_MAP, LAMP_POLL_FIELDS, NO_LIGHT_SENSOR, lampStatusNames } from '../../../protocols/fieldbus/lamp-driver.js';
import { encodeField } from '../../../protocols/fieldbus/register-map.js';
import type { Priority } from '../request-queue.js';
import { UnitDriver } from './unit-driver.js';

export interface LampReading {
  at: number;
  actualLevel: number;
  statusBits: number;
  status: string[];
  powerW: number;
  supplyV: number;
  lampCurrentMa: number;
  gearTemperatureC: number;
  energyWh: number;
  operatingTimeS: number;
  startCounter: number;
  lightOnTimeS: number;
  lightStarts: number;
  /** null when no photocell is fitted (register 0xFFFF). */
  lux: number | null;
  supplyLossCount: number;
}

export interface LampFailSafe {
  systemFailureLevel: number;
  powerOnLevel: number;
  commTimeoutSec: number;
}

export class LampDriverUnit extends UnitDriver<LampReading> {
  idString: string | null = null;

  protected async read(priority: Priority): Promise<LampReading> {
    const v = await this.client.readFields(LAMP_MAP, LAMP_POLL_FIELDS, { priority });
    const n = (k: string) => v[k] as number;
    return {
      at: this.now(), actualLevel: n('actualLevel'), statusBits: n('status'), status: lampStatusNames(n('status')), powerW: n('activePower'),
      supplyV: n('supplyVoltage'), lampCurrentMa: n('lampCurrent'), gearTemperatureC: n('gearTemperature') - GEAR_TEMPERATURE_OFFSET,
      energyWh: n('activeEnergy'), operatingTimeS: n('operatingTime'), startCounter: n('startCounter'), lightOnTimeS: n('lightOnTime'),
      lightStarts: n('lightStarts'), lux: n('ambientLight') === NO_LIGHT_SENSOR ? null : n('ambientLight'), supplyLossCount: n('supplyLossCount'),
    };
  }

  /** Level and ramp in one transaction (fc 16 over registers 0–1), so the ramp applies to this level. */
  setLevel(levelPct: number, rampSec: number, priority: Priority = 'command'): Promise<void> {
    const words = [...encodeField(LAMP_MAP.targetLevel, levelPct), ...encodeField(LAMP_MAP.fadeTime, rampSec)];
    return this.client.writeRegisters(LAMP_MAP.targetLevel.address, words, priority);
  }

  /** The driver's own fail-safe: failure level, power-on level, master-silence timeout (registers 2–4). */
  configure(f: LampFailSafe): Promise<void> {
    const words = [...encodeField(LAMP_MAP.systemFailureLevel, f.systemFailureLevel), ...encodeField(LAMP_MAP.powerOnLevel, f.powerOnLevel), ...encodeField(LAMP_MAP.commTimeout, f.commTimeoutSec)];
    return this.client.writeRegisters(LAMP_MAP.systemFailureLevel.address, words);
  }

  async identify(): Promise<void> {
    const v = await this.client.readFields(LAMP_MAP, ['idString'], { priority: 'command' });
    this.idString = v.idString as string;
  }
}
