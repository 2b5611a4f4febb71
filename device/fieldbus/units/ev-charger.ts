/**
 * Driver for the Phoenix Contact EV-CC-AC1-M3 charge controller (protocols/fieldbus/ev-cc-ac1-m3.ts).
 * On (re)connection it puts enabling, release and locking under Modbus control (registers
 * 4000–4002), then each poll reads status, pilot, timers, errors and the three control coils.
 */
import { EV_CC_MAP, EV_CC_MODBUS_CONTROL, EV_CC_POLL_FIELDS, decodeEvccStatus, evccErrorNames, type IecState } from '../../../protocols/fieldbus/ev-cc-ac1-m3.js';
import { fieldBusError } from '../errors.js';
import type { Priority } from '../request-queue.js';
import { UnitDriver } from './unit-driver.js';

export interface EvChargerReading {
  at: number;
  state: IecState;
  pwm: boolean;
  statusText: string;
  cpCurrentA: number;
  cpDutyPct: number;
  errorBits: number;
  errors: string[];
  stateCSec: number;
  cableCapacityA: number;
  enabled: boolean;
  available: boolean;
  locked: boolean;
}

export interface EvChargerIdentity {
  serialNumber: string;
  firmwareVersion: number;
  hardwareVersion: number;
}

export class EvChargerUnit extends UnitDriver<EvChargerReading> {
  identity: EvChargerIdentity | null = null;

  protected async read(priority: Priority): Promise<EvChargerReading> {
    const v = await this.client.readFields(EV_CC_MAP, EV_CC_POLL_FIELDS, { priority, maxGap: 8 });
    const st = decodeEvccStatus(v.systemStatus as number);
    if (!st) throw fieldBusError('SP_MODBUS_BAD_RESPONSE', { unit: this.address, problem: `status word 0x${(v.systemStatus as number).toString(16)} is not an IEC 61851 state` });
    const ms = v.stateCMinSec as number;
    const bits = v.errorStatus as number;
    return {
      at: this.now(), state: st.state, pwm: st.pwm, statusText: st.text, cpCurrentA: v.cpCurrent as number, cpDutyPct: v.cpDuty as number,
      errorBits: bits, errors: evccErrorNames(bits), stateCSec: (v.stateCHours as number) * 3600 + (ms >> 8) * 60 + (ms & 0xff),
      cableCapacityA: v.cableCapacity as number, enabled: v.enableCharging as boolean, available: v.systemAvailable as boolean, locked: v.lock as boolean,
    };
  }

  /** Puts enabling, release and locking under our coils and reads the controller's identity. */
  async configure(): Promise<void> {
    await this.client.writeField(EV_CC_MAP, 'enableSource', EV_CC_MODBUS_CONTROL.enableSource);
    await this.client.writeField(EV_CC_MAP, 'releaseSource', EV_CC_MODBUS_CONTROL.releaseSource);
    await this.client.writeField(EV_CC_MAP, 'lockSource', EV_CC_MODBUS_CONTROL.lockSource);
    const id = await this.client.readFields(EV_CC_MAP, ['serialNumber', 'hardwareVersion', 'firmwareVersion'], { priority: 'command', maxGap: 12 });
    this.identity = { serialNumber: id.serialNumber as string, hardwareVersion: id.hardwareVersion as number, firmwareVersion: id.firmwareVersion as number };
  }

  setEnabled(on: boolean): Promise<void> {
    return this.client.writeField(EV_CC_MAP, 'enableCharging', on);
  }

  setAvailable(on: boolean): Promise<void> {
    return this.client.writeField(EV_CC_MAP, 'systemAvailable', on);
  }

  setLocked(on: boolean): Promise<void> {
    return this.client.writeField(EV_CC_MAP, 'lock', on);
  }

  setMaxCurrent(amps: number): Promise<void> {
    return this.client.writeField(EV_CC_MAP, 'maxCurrent', Math.round(amps));
  }
}
