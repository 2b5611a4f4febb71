/**
 * The simulated field bus as `smartpole sim` runs it: the four units (EV charge controller 1,
 * meter 2, pads 3, lamp 4 by default) as Modbus RTU slaves on ONE serial pair, a physics tick,
 * and what /api/devices and /api/faults expose (simulator/devices/sim-device.ts). `timeScale`
 * speeds up charging physics (state of charge, energy, temperatures) so long sessions pass
 * quickly in tests and the bench; wire timing and lamp ramps stay real time.
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Parity } from '../../../protocols/modbus/timing.js';
import type { ExceptionCode } from '../../../protocols/modbus/pdu.js';
import type { SerialPair } from '../../serial/serial-pair.js';
import { cableFaults, type FaultSpec, type SimDevice } from '../sim-device.js';
import { SimBus } from './sim-bus.js';
import { SimEvCharger } from './sim-ev-charger.js';
import { SimMeter } from './sim-meter.js';
import { SimPads } from './sim-pads.js';
import { SimLamp } from './sim-lamp.js';
import type { SimSlave } from './sim-slave.js';

export interface SimFieldBusOptions {
  pair: SerialPair;
  logger: Logger;
  baudRate?: number;
  parity?: Parity;
  stopBits?: 1 | 2;
  addresses?: { evCharger?: number; meter?: number; pads?: number; lamp?: number };
  padCount?: number;
  /** Simulated seconds per real second for charging physics. Default 1. */
  timeScale?: number;
  /** Where the meter keeps its energy between simulator runs. */
  stateDir?: string;
  location?: { lat: number; lon: number };
  lampRatedPowerW?: number;
  tickMs?: number;
}

/** One plug-in of a car, as the meter saw it: the ground truth a charging record must match. */
export interface PlugCycle {
  cycle: number;
  pluggedAt: number;
  unpluggedAt: number | null;
  meterAtPlugWh: number;
  meterAtUnplugWh: number | null;
  energyWh: number | null;
}

const num = (v: unknown, d: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);

export class SimFieldBus extends EventEmitter<{ cycle: [PlugCycle] }> {
  readonly bus: SimBus;
  readonly charger: SimEvCharger;
  readonly meter: SimMeter;
  readonly pads: SimPads;
  readonly lamp: SimLamp;
  readonly cycles: PlugCycle[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastTick = 0;
  timeScale: number;

  constructor(private readonly o: SimFieldBusOptions) {
    super();
    const a = { evCharger: 1, meter: 2, pads: 3, lamp: 4, ...o.addresses };
    this.timeScale = o.timeScale ?? 1;
    this.bus = new SimBus({ pair: o.pair, line: { baudRate: o.baudRate ?? 9600, parity: o.parity ?? 'none', stopBits: o.stopBits ?? 1 }, logger: o.logger });
    this.charger = new SimEvCharger(a.evCharger);
    this.meter = new SimMeter({ unit: a.meter, load: () => this.charger.drawA, voltageV: () => this.charger.voltageV, stateFile: o.stateDir ? join(o.stateDir, 'sim-meter.json') : undefined });
    this.pads = new SimPads(a.pads, o.padCount ?? 2);
    this.lamp = new SimLamp({ unit: a.lamp, ratedPowerW: o.lampRatedPowerW, location: o.location });
    for (const s of [this.charger, this.meter, this.pads, this.lamp]) this.bus.add(s);
    this.charger.onPlug = (plugged) => this.onPlug(plugged);
  }

  start(): void {
    this.bus.start();
    this.lastTick = performance.now();
    this.timer = setInterval(() => this.tick(), this.o.tickMs ?? 100);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.meter.flush();
    await this.bus.stop();
  }

  private tick(): void {
    const now = performance.now();
    const real = (now - this.lastTick) / 1000;
    this.lastTick = now;
    const dt = real * this.timeScale;
    this.charger.tick(dt);
    this.meter.tick(dt);
    this.pads.tick(dt);
    this.lamp.tick(dt, real);
  }

  private onPlug(plugged: boolean): void {
    const wh = this.meter.registerWh;
    if (plugged) {
      this.cycles.push({ cycle: this.cycles.length + 1, pluggedAt: Date.now(), unpluggedAt: null, meterAtPlugWh: wh, meterAtUnplugWh: null, energyWh: null });
      if (this.cycles.length > 10_000) this.cycles.splice(0, this.cycles.length - 10_000);
      return;
    }
    const c = this.cycles.at(-1);
    if (!c || c.unpluggedAt !== null) return;
    // The meter integrates on the next tick; what flowed before the car left is in the register once this tick ran.
    this.meter.tick(0);
    Object.assign(c, { unpluggedAt: Date.now(), meterAtUnplugWh: this.meter.registerWh, energyWh: this.meter.registerWh - c.meterAtPlugWh });
    this.emit('cycle', c);
  }

  private unitFaults(s: SimSlave): Record<string, FaultSpec> {
    const f = () => this.bus.faults.get(s.unit)!;
    return {
      silent: { describe: 'the unit stops answering (args: {on: false} to end)', run: (a) => { f().silent = a.on !== false; } },
      crc: { describe: 'corrupt the CRC of the next replies (args: {count}, default all until clear)', run: (a) => { f().crcErrors = num(a.count, -1); } },
      exception: { describe: 'answer with a Modbus exception (args: {code: 1–11, default 4; count, default until clear})', run: (a) => { f().exception = { code: num(a.code, 4) as ExceptionCode, remaining: num(a.count, -1) }; } },
      clear: { describe: 'end silent/crc/exception faults', run: () => { Object.assign(f(), { silent: false, crcErrors: 0, exception: null }); } },
    };
  }

  /** The units as the simulator API lists them; all share the one bus pair. */
  devices(): SimDevice[] {
    const pair = this.o.pair;
    const c = this.charger;
    const padArg = (a: Record<string, unknown>) => num(a.pad, 1);
    return [
      {
        name: 'fieldbus', kind: 'RS-485 Modbus RTU bus', pair,
        state: () => ({ open: this.bus.isOpen, line: this.bus.line, timeScale: this.timeScale, ...this.bus.stats, utilisation: this.bus.utilisation() }),
        faults: {
          ...cableFaults(pair),
          garbage: {
            describe: 'line noise on the RS-485 pair: {"bytes": 32} random bytes the master must drop',
            run: (a) => this.bus.garbage(Math.max(1, Math.min(4096, num(a.bytes, 32)))),
          },
        },
      },
      {
        name: 'ev', kind: `EV charge controller (Phoenix Contact EV-CC-AC1-M3), unit ${c.unit}`, pair,
        state: () => ({ ...c.state(), lastCycle: this.cycles.at(-1) ?? null, cycles: this.cycles.length }),
        faults: {
          ...this.unitFaults(c),
          plug: {
            describe: 'a car plugs in (args: {socPct, capacityKwh, maxCurrentA, targetSocPct, unplugAfterSec})',
            run: (a) => c.plugIn({
              socPct: num(a.socPct, 30), capacityKwh: num(a.capacityKwh, 60), maxCurrentA: num(a.maxCurrentA, 32), targetSocPct: num(a.targetSocPct, 100),
              unplugAfterSec: typeof a.unplugAfterSec === 'number' ? a.unplugAfterSec : undefined,
            }),
          },
          unplug: { describe: 'the driver unplugs the car', run: () => c.unplug() },
          'relay-stuck': { describe: 'the contactor welds: current flows whatever the pilot says (args: {on: false} to repair)', run: (a) => { c.relayStuck = a.on !== false; } },
          error: { describe: 'set the controller error register 24025 (args: {bits}, 0 clears)', run: (a) => c.setErrorBits(num(a.bits, 0)) },
        },
      },
      {
        name: 'meter', kind: `energy meter (Eastron SDM-style), unit ${this.meter.unit}`, pair, state: () => this.meter.state(),
        faults: { ...this.unitFaults(this.meter), reset: { describe: 'the meter is reset/replaced: its import register returns to 0', run: () => this.meter.reset() } },
      },
      {
        name: 'pads', kind: `phone-charging pads ×${this.pads.count}, unit ${this.pads.unit}`, pair, state: () => this.pads.state(),
        faults: {
          ...this.unitFaults(this.pads),
          'phone-on': { describe: 'a phone is laid on a pad (args: {pad, socPct})', run: (a) => this.pads.placePhone(padArg(a), num(a.socPct, 20)) },
          'phone-off': { describe: 'the phone is lifted (args: {pad})', run: (a) => this.pads.removePhone(padArg(a)) },
          overheat: { describe: 'a pad coil overheats (args: {pad, temperatureC})', run: (a) => this.pads.overheat(padArg(a), num(a.temperatureC, 75)) },
          'foreign-object': { describe: 'metal on a pad (args: {pad, on})', run: (a) => this.pads.foreignObject(padArg(a), a.on !== false) },
        },
      },
      {
        name: 'lamp', kind: `lamp driver (D4i-style), unit ${this.lamp.unit}`, pair, state: () => this.lamp.state(),
        faults: {
          ...this.unitFaults(this.lamp),
          'lamp-failure': { describe: 'the light source fails open: no current, no light', run: () => { this.lamp.lampFailed = true; } },
          'dimming-stuck': { describe: 'the driver ignores new levels', run: () => { this.lamp.dimmingStuck = true; } },
          'day-burn': { describe: 'a welded bypass relay keeps the lamp at full power', run: () => { this.lamp.dayBurn = true; } },
          cycling: { describe: 'the lamp cuts out and back every periodSec (args: {periodSec}, default 5)', run: (a) => { this.lamp.cyclingPeriodSec = num(a.periodSec, 5); } },
          'supply-loss': { describe: 'mains lost for sec seconds (args: {sec}, default 5); the driver restarts at its power-on level', run: (a) => this.lamp.supplyLoss(num(a.sec, 5)) },
          repair: { describe: 'end lamp-failure, dimming-stuck, day-burn and cycling', run: () => this.lamp.repair() },
          storm: { describe: 'a storm darkens the sky (args: {factor}, default 0.0003 of clear-sky light)', run: (a) => { this.lamp.skyFactor = num(a.factor, 0.0003); } },
          lux: { describe: 'the photocell reads a fixed value (args: {value}; null returns to daylight)', run: (a) => { this.lamp.luxOverride = typeof a.value === 'number' ? a.value : null; } },
          'clear-sky': { describe: 'end storm and fixed lux', run: () => { this.lamp.skyFactor = 1; this.lamp.luxOverride = null; } },
        },
      },
    ];
  }
}
