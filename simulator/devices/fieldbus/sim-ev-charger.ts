/**
 * The simulated Phoenix Contact EV-CC-AC1-M3 (protocols/fieldbus/ev-cc-ac1-m3.ts) with a car on
 * its connector. Like the real controller, our coils only act once the source registers hand
 * control to Modbus (4000 = 3, 4001 = 2, 4002 = 3); the PWM comes on when a car is connected,
 * the system is available, the connector is locked and charging is enabled.
 */
import { EV_CC_MAP, EvccError, IecState, encodeEvccStatus } from '../../../protocols/fieldbus/ev-cc-ac1-m3.js';
import { ExceptionCode } from '../../../protocols/modbus/pdu.js';
import type { Table } from '../../../protocols/fieldbus/register-map.js';
import { SimEv, type EvSpec } from './sim-ev.js';
import { SimSlave, SlaveException } from './sim-slave.js';

const M = EV_CC_MAP;

export class SimEvCharger extends SimSlave {
  readonly ev = new SimEv();
  /** Contactor welded: power flows whatever the pilot says (fault `relay-stuck`). */
  relayStuck = false;
  private stateCSec = 0;
  private plugCycles = 0;
  /** Voltage the meter measures; the car's power uses it. */
  voltageV = 230;
  /** Called when the car is plugged in or leaves (by command or by itself). */
  onPlug: ((plugged: boolean) => void) | null = null;

  constructor(unit: number, serial = 'PXC-1628345') {
    super(unit, 'ev');
    this.define(M, {
      serialNumber: serial, yearOfManufacture: 2024, hardwareVersion: 3, firmwareVersion: 112, dipS1: 0, dipS2: (unit << 1),
      enableSource: 1, releaseSource: 0, lockSource: 0, maxCurrent: 16, systemStatus: encodeEvccStatus(IecState.A, false),
      cableCapacity: 32, systemAvailable: true,
    });
    this.fill('input', 1021, 1033);
    this.fill('holding', 24000, 24030);
    this.update();
  }

  plugIn(spec?: EvSpec): void {
    if (this.ev.plugged) this.unplug();
    this.ev.plugIn(spec);
    this.plugCycles++;
    this.update();
    this.onPlug?.(true);
  }

  unplug(): void {
    if (!this.ev.plugged) return;
    this.ev.unplug();
    this.update();
    this.onPlug?.(false);
  }

  setErrorBits(bits: number): void {
    this.set(M, 'errorStatus', bits);
    this.update();
  }

  /** Restart coil (21000): coils back to power-on values. */
  private reboot(): void {
    this.set(M, 'enableCharging', false);
    this.set(M, 'lock', false);
    this.set(M, 'systemAvailable', true);
    this.set(M, 'restart', false);
  }

  private coilActive(name: 'enableCharging' | 'systemAvailable' | 'lock', source: 'enableSource' | 'releaseSource' | 'lockSource', modbus: number, fallback: boolean): boolean {
    return this.get(M, source) === modbus ? (this.get(M, name) as boolean) : fallback;
  }

  get available(): boolean {
    return this.coilActive('systemAvailable', 'releaseSource', 2, true);
  }

  /** The offer on the pilot, A (0 = PWM off). */
  get offeredA(): number {
    const enabled = this.coilActive('enableCharging', 'enableSource', 3, false);
    const locked = this.coilActive('lock', 'lockSource', 3, this.ev.plugged);
    const errors = (this.get(M, 'errorStatus') as number) & ~EvccError.InvalidCable;
    if (!this.ev.plugged || !this.available || !enabled || !locked || errors) return 0;
    return Math.min(this.get(M, 'maxCurrent') as number, this.get(M, 'cableCapacity') as number);
  }

  get iec(): IecState {
    if (!this.available) return IecState.F;
    return this.ev.iec;
  }

  /** Current through the contactor: what the meter integrates. */
  get drawA(): number {
    return this.ev.drawA;
  }

  protected override onWrite(t: Table, address: number): void {
    if (t === 'holding' && address === M.maxCurrent.address) {
      const a = this.get(M, 'maxCurrent') as number;
      if (a < 6 || a > 32) { this.set(M, 'maxCurrent', Math.min(32, Math.max(6, a))); throw new SlaveException(ExceptionCode.IllegalDataValue); }
    }
    if (t === 'coil' && address === M.restart.address && this.get(M, 'restart')) this.reboot();
    this.update();
  }

  protected override refresh(): void {
    this.update();
  }

  override tick(dt: number): void {
    const offered = this.offeredA;
    if (this.ev.tick(dt, offered, this.voltageV, this.relayStuck)) this.onPlug?.(false);
    if (this.ev.iec === IecState.C && offered > 0) this.stateCSec += dt;
    if (!this.ev.plugged) this.stateCSec = 0;
    this.update();
  }

  private update(): void {
    const offered = this.offeredA;
    const pwm = offered > 0;
    this.set(M, 'systemStatus', encodeEvccStatus(this.iec, pwm));
    this.set(M, 'cpCurrent', offered);
    this.set(M, 'cpDuty', pwm ? Math.round((offered / 0.6) * 10) / 10 : 100);
    const s = Math.floor(this.stateCSec);
    this.set(M, 'stateCMinSec', ((Math.floor(s / 60) % 60) << 8) | (s % 60));
    this.set(M, 'stateCHours', Math.floor(s / 3600));
  }

  state(): Record<string, unknown> {
    return {
      unit: this.unit, iec: this.iec, pwm: this.offeredA > 0, offeredA: this.offeredA, available: this.available,
      enabled: this.get(M, 'enableCharging'), locked: this.get(M, 'lock'), maxCurrentA: this.get(M, 'maxCurrent'),
      enableSource: this.get(M, 'enableSource'), errorStatus: this.get(M, 'errorStatus'), relayStuck: this.relayStuck,
      plugCycles: this.plugCycles, ev: this.ev.state(),
    };
  }
}
