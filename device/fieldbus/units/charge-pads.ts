/** Driver for the phone-charging pad board (protocols/fieldbus/charge-pads.ts). */
import { PadFault, PadState, chargePadsMap, padPollFields } from '../../../protocols/fieldbus/charge-pads.js';
import type { RegisterMap } from '../../../protocols/fieldbus/register-map.js';
import type { Priority } from '../request-queue.js';
import type { UnitClient } from '../unit-client.js';
import { UnitDriver } from './unit-driver.js';

export interface PadReading {
  pad: number;
  enabled: boolean;
  state: PadState;
  powerW: number;
  temperatureC: number;
  faults: string[];
  energyWh: number;
}

export interface PadsReading {
  at: number;
  pads: PadReading[];
}

export class ChargePadsUnit extends UnitDriver<PadsReading> {
  private readonly map: RegisterMap;
  private readonly fields: string[];

  constructor(client: UnitClient, readonly count: number, now?: () => number) {
    super(client, now);
    this.map = chargePadsMap(count);
    this.fields = padPollFields(count);
  }

  protected async read(priority: Priority): Promise<PadsReading> {
    const v = await this.client.readFields(this.map, this.fields, { priority, maxGap: 5 });
    const pads: PadReading[] = [];
    for (let n = 0; n < this.count; n++) {
      const bits = v[`pad${n}.faults`] as number;
      pads.push({
        pad: n + 1, enabled: v[`pad${n}.enabled`] as boolean, state: v[`pad${n}.state`] as PadState, powerW: v[`pad${n}.power`] as number,
        temperatureC: v[`pad${n}.temperature`] as number, energyWh: v[`pad${n}.energy`] as number,
        faults: Object.entries(PadFault).filter(([, b]) => typeof b === 'number' && (bits & b) !== 0).map(([k]) => k),
      });
    }
    return { at: this.now(), pads };
  }

  /** `pad` is 1-based, as on the screen and in commands. */
  setPad(pad: number, on: boolean): Promise<void> {
    return this.client.writeField(this.map, `pad${pad - 1}.enabled`, on);
  }

  setOverTempLimit(celsius: number): Promise<void> {
    return this.client.writeField(this.map, 'overTempLimit', celsius);
  }
}
