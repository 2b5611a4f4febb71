/**
 * FieldBus: the RS-485 bus as configured — one SerialLink, one ModbusMaster, a PollScheduler, and
 * a driver per fitted unit (EV charge controller, energy meter, pads, lamp driver). Services in
 * runtime/ (charging, pads, lamp) listen to the drivers' readings and call their commands.
 */
import type { BindingInterface } from '@serialport/bindings-interface';
import type { Logger } from 'pino';
import { SerialLink } from '../serial/serial-link.js';
import { ModbusMaster, UnitState, type UnitStats } from './modbus-master.js';
import { PollScheduler } from './poll-scheduler.js';
import { UnitClient } from './unit-client.js';
import { EvChargerUnit } from './units/ev-charger.js';
import { EnergyMeterUnit } from './units/energy-meter.js';
import { ChargePadsUnit } from './units/charge-pads.js';
import { LampDriverUnit } from './units/lamp-driver.js';
import type { UnitDriver } from './units/unit-driver.js';

interface UnitConfig { enabled: boolean; address: number; pollMs: number; timeoutMs?: number; retries?: number }

/** The bus as configured (runtime/config/fieldbus-schema.ts `devices.fieldBus` satisfies it). */
export interface FieldBusConfig {
  path: string;
  baudRate: number;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
  timeoutMs: number;
  retries: number;
  offlineAfter: number;
  probeIntervalSec: number;
  units: { evCharger?: UnitConfig; meter?: UnitConfig; pads?: UnitConfig & { count: number }; lamp?: UnitConfig };
}

export interface FieldBusOptions {
  config: FieldBusConfig;
  logger: Logger;
  binding?: BindingInterface;
  now?: () => number;
}

export interface FieldBusHealth {
  status: 'ok' | 'degraded' | 'down';
  detail?: string;
  path: string;
  baudRate: number;
  utilisation: number;
  queueDepth: number;
  units: UnitStats[];
  master: ModbusMaster['stats'];
}

export class FieldBus {
  readonly serial: SerialLink;
  readonly master: ModbusMaster;
  readonly scheduler: PollScheduler;
  readonly ev: EvChargerUnit | null = null;
  readonly meter: EnergyMeterUnit | null = null;
  readonly pads: ChargePadsUnit | null = null;
  readonly lamp: LampDriverUnit | null = null;
  private readonly drivers: UnitDriver<unknown>[] = [];

  constructor(private readonly o: FieldBusOptions) {
    const c = o.config;
    const now = o.now ?? Date.now;
    this.serial = new SerialLink({ path: c.path, baudRate: c.baudRate, name: 'fieldbus', logger: o.logger, binding: o.binding });
    this.master = new ModbusMaster({
      serial: this.serial, line: { baudRate: c.baudRate, parity: c.parity, stopBits: c.stopBits }, logger: o.logger,
      timeoutMs: c.timeoutMs, retries: c.retries, offlineAfter: c.offlineAfter, probeIntervalMs: c.probeIntervalSec * 1000,
    });
    this.scheduler = new PollScheduler(o.logger.child({ device: 'fieldbus' }));
    const u = c.units;
    const client = (cfg: { address: number; timeoutMs?: number; retries?: number }, name: string) => {
      const cl = new UnitClient(this.master, cfg.address, name);
      this.master.configureUnit(cfg.address, { name, timeoutMs: cfg.timeoutMs, retries: cfg.retries });
      return cl;
    };
    const add = <D extends UnitDriver<unknown>>(d: D, pollMs: number): D => {
      this.drivers.push(d);
      this.scheduler.add({ name: d.name, intervalMs: pollMs, run: async () => { await d.poll(); } });
      return d;
    };
    if (u.evCharger?.enabled) this.ev = add(new EvChargerUnit(client(u.evCharger, 'ev'), now), u.evCharger.pollMs);
    if (u.meter?.enabled) this.meter = add(new EnergyMeterUnit(client(u.meter, 'meter'), now), u.meter.pollMs);
    if (u.pads?.enabled) this.pads = add(new ChargePadsUnit(client(u.pads, 'pads'), u.pads.count, now), u.pads.pollMs);
    if (u.lamp?.enabled) this.lamp = add(new LampDriverUnit(client(u.lamp, 'lamp'), now), u.lamp.pollMs);
  }

  start(): void {
    this.serial.on('open', () => this.scheduler.pollNow());
    this.serial.start();
    this.scheduler.start();
  }

  async stop(): Promise<void> {
    this.scheduler.stop();
    this.master.stop();
    await this.serial.stop();
  }

  health(): FieldBusHealth {
    const units = this.master.unitStats().filter((s) => this.drivers.some((d) => d.address === s.address));
    const offline = units.filter((s) => s.state === UnitState.Offline);
    const base = {
      path: this.serial.path, baudRate: this.o.config.baudRate, utilisation: Math.round(this.master.utilisation() * 1000) / 1000,
      queueDepth: this.master.queueDepth, units, master: this.master.stats,
    };
    if (!this.serial.isOpen) return { status: 'down', detail: `serial device ${this.serial.path} unavailable: ${this.serial.stats.lastError ?? this.serial.state}`, ...base };
    if (offline.length) return { status: 'degraded', detail: `unit${offline.length > 1 ? 's' : ''} offline: ${offline.map((s) => `${s.name} (${s.address}) ${s.lastError ?? ''}`.trim()).join('; ')}`, ...base };
    return { status: 'ok', ...base };
  }
}
