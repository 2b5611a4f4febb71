/**
 * The Modbus master against the simulated bus (all four units as RTU slaves on one serial pair,
 * with emulated wire time): typed exceptions, CRC errors counted and retried, a dead unit reported
 * without stalling the others, command priority, poller fairness, bus loss and return.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BindingInterface } from '@serialport/bindings-interface';
import { InProcessSerialHub } from '../../device/serial/in-process-binding.js';
import { SerialLink } from '../../device/serial/serial-link.js';
import { ModbusMaster, UnitState, type TransactionInfo } from '../../device/fieldbus/modbus-master.js';
import { ModbusExceptionError } from '../../device/fieldbus/errors.js';
import { UnitClient } from '../../device/fieldbus/unit-client.js';
import { EnergyMeterUnit } from '../../device/fieldbus/units/energy-meter.js';
import { EvChargerUnit } from '../../device/fieldbus/units/ev-charger.js';
import { LampDriverUnit } from '../../device/fieldbus/units/lamp-driver.js';
import { ExceptionCode, FunctionCode } from '../../protocols/modbus/pdu.js';
import { IecState } from '../../protocols/fieldbus/ev-cc-ac1-m3.js';
import { InProcessPair } from '../../simulator/serial/in-process-pair.js';
import { PtyPair } from '../../simulator/serial/pty-pair.js';
import { SimFieldBus } from '../../simulator/devices/fieldbus/sim-fieldbus.js';
import type { SerialPair } from '../../simulator/serial/serial-pair.js';
import { testLogger } from '../helpers/logger.js';
import { until } from '../helpers/sim-process.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const s of stops.splice(0).reverse()) await s(); });

async function rig(o: { pty?: boolean; baudRate?: number; offlineAfter?: number; probeIntervalMs?: number } = {}) {
  const log = testLogger();
  let pair: SerialPair;
  let binding: BindingInterface | undefined;
  if (o.pty) {
    pair = new PtyPair('fieldbus', mkdtempSync(join(tmpdir(), 'sp-fb-')));
  } else {
    const hub = new InProcessSerialHub();
    pair = new InProcessPair('fieldbus', '/sim', hub);
    binding = hub.binding as unknown as BindingInterface;
  }
  await pair.start();
  stops.push(() => pair.stop());
  const baudRate = o.baudRate ?? 19200;
  const sim = new SimFieldBus({ pair, logger: log, baudRate });
  sim.start();
  stops.push(() => sim.stop());
  const serial = new SerialLink({ path: pair.hostPath, baudRate, name: 'fieldbus', logger: log, binding: binding ?? pair.binding, backoff: { initialMs: 20, maxMs: 100 } });
  const master = new ModbusMaster({ serial, line: { baudRate, parity: 'none', stopBits: 1 }, logger: log, offlineAfter: o.offlineAfter ?? 2, probeIntervalMs: o.probeIntervalMs ?? 500, timeoutMs: 60 });
  serial.start();
  stops.push(async () => { master.stop(); await serial.stop(); });
  await until(() => serial.isOpen && sim.bus.isOpen, 5000, 'serial open');
  const ev = new EvChargerUnit(new UnitClient(master, 1, 'ev'));
  const meter = new EnergyMeterUnit(new UnitClient(master, 2, 'meter'));
  const lamp = new LampDriverUnit(new UnitClient(master, 4, 'lamp'));
  return { sim, master, serial, pair, ev, meter, lamp };
}

describe('Modbus master on the simulated bus', () => {
  it('reads and writes every unit, and the EV controller obeys its coils once configured', async () => {
    const { sim, ev, meter, lamp } = await rig();
    expect((await ev.poll())?.state).toBe(IecState.A);
    await ev.configure();
    expect(ev.identity?.serialNumber).toBe('PXC-1628345');
    sim.charger.plugIn({ socPct: 50 });
    await ev.setLocked(true);
    await ev.setEnabled(true);
    const r = await ev.poll();
    expect(r).toMatchObject({ state: IecState.B, pwm: true, enabled: true, locked: true, cpCurrentA: 16 });
    await until(async () => (await ev.poll())?.state === IecState.C, 5000, 'car to request charge');
    await until(async () => ((await meter.poll())?.currentA ?? 0) > 5, 10_000, 'current to flow');
    const m = (await meter.poll())!;
    expect(m.voltageV).toBeCloseTo(230, 3);
    expect(m.powerW).toBeGreaterThan(1000);
    await lamp.setLevel(40, 0);
    await until(async () => Math.abs(((await lamp.poll())?.actualLevel ?? 0) - 40) < 0.2, 3000, 'lamp at 40 %');
    expect(sim.lamp.state().target).toBe(40);
  });

  it('turns exception replies into typed errors without marking the unit dead', async () => {
    const { sim, master } = await rig();
    const err = await master.request(2, { fc: FunctionCode.ReadInputRegisters, address: 0x0300, quantity: 2 }).catch((e) => e);
    expect(err).toBeInstanceOf(ModbusExceptionError);
    expect(err.code).toBe('SP_MODBUS_ILLEGAL_ADDRESS');
    expect(err.exception).toBe(ExceptionCode.IllegalDataAddress);
    const w = await master.request(1, { fc: FunctionCode.WriteSingleRegister, address: 22000, value: 99 }, { priority: 'command' }).catch((e) => e);
    expect(w.code).toBe('SP_MODBUS_ILLEGAL_VALUE');
    sim.bus.faults.get(4)!.exception = { code: ExceptionCode.ServerDeviceFailure, remaining: -1 };
    const f = await master.request(4, { fc: FunctionCode.ReadInputRegisters, address: 0, quantity: 1 }).catch((e) => e);
    expect(f.code).toBe('SP_MODBUS_DEVICE_FAILURE');
    expect(master.unitState(4)).toBe(UnitState.Online);
    // Busy (06) is retried: the second attempt succeeds.
    sim.bus.faults.get(4)!.exception = { code: ExceptionCode.ServerDeviceBusy, remaining: 1 };
    await expect(master.request(4, { fc: FunctionCode.ReadInputRegisters, address: 0, quantity: 1 })).resolves.toMatchObject({ registers: [expect.any(Number)] });
  });

  it('counts CRC errors and recovers by retrying', async () => {
    const { sim, master, meter } = await rig();
    sim.bus.faults.get(2)!.crcErrors = 2;
    expect(await meter.poll()).not.toBeNull();
    const s = master.unitStats().find((u) => u.address === 2)!;
    expect(s.crcErrors).toBe(2);
    expect(s.retries).toBe(2);
    expect(master.stats.crcErrors).toBe(2);
    sim.bus.faults.get(2)!.crcErrors = -1;
    const e = await master.request(2, { fc: FunctionCode.ReadInputRegisters, address: 0, quantity: 2 }).catch((x) => x);
    expect(e.code).toBe('SP_MODBUS_CRC');
  });

  it('reports a silent unit offline, probes it rarely, and keeps the others polling at full rate', async () => {
    const { sim, master, meter, lamp } = await rig({ offlineAfter: 2, probeIntervalMs: 400 });
    const states: string[] = [];
    master.on('unitState', (u, s) => { if (u === 4) states.push(s); });
    sim.bus.faults.get(4)!.silent = true;
    const t0 = performance.now();
    let meterPolls = 0;
    let lampErrors = 0;
    const lampCodes = new Set<string>();
    lamp.on('failure', (e) => { lampErrors++; lampCodes.add(e.code); });
    for (let round = 0; round < 40; round++) {
      await Promise.all([meter.poll().then((r) => { if (r) meterPolls++; }), lamp.poll()]);
    }
    const elapsed = performance.now() - t0;
    expect(master.unitState(4)).toBe(UnitState.Offline);
    expect(states).toContain('offline');
    expect(lampCodes).toEqual(new Set(['SP_MODBUS_TIMEOUT', 'SP_MODBUS_UNIT_OFFLINE']));
    const lampStats = master.unitStats().find((u) => u.address === 4)!;
    // Every meter poll went through; the dead lamp cost two failed transactions (3 attempts each)
    // and then one probe per 400 ms, the rest refused without touching the bus.
    expect(meterPolls).toBe(40);
    expect(lampStats.transactions).toBeLessThanOrEqual(6 + Math.ceil(elapsed / 400) + 1);
    expect(lampStats.refusedOffline).toBeGreaterThanOrEqual(40 - lampStats.transactions);
    sim.bus.faults.get(4)!.silent = false;
    await until(async () => (await lamp.poll()) !== null, 3000, 'lamp back');
    expect(master.unitState(4)).toBe(UnitState.Online);
    expect(lampErrors).toBeGreaterThan(0);
  });

  it('sends a command ahead of queued polls and serves pollers in turn', async () => {
    const { master } = await rig({ baudRate: 9600 });
    const order: TransactionInfo[] = [];
    master.on('transaction', (t) => order.push(t));
    const polls: Promise<unknown>[] = [];
    for (let i = 0; i < 6; i++) polls.push(master.request(2, { fc: FunctionCode.ReadInputRegisters, address: 0, quantity: 14 }, { poller: 'greedy' }));
    polls.push(master.request(4, { fc: FunctionCode.ReadInputRegisters, address: 0, quantity: 18 }, { poller: 'modest' }));
    const cmd = master.request(1, { fc: FunctionCode.WriteSingleCoil, address: 20002, value: true }, { priority: 'command' });
    await Promise.all([...polls, cmd]);
    const units = order.map((t) => t.unit);
    // The first poll was already on the wire; the command goes next; the modest poller does not wait for all six greedy ones.
    expect(units[1]).toBe(1);
    expect(units.indexOf(4)).toBeLessThanOrEqual(3);
    expect(order.every((t) => t.ok)).toBe(true);
  });

  it('broadcasts a write to every unit without waiting for a reply', async () => {
    const { sim, master } = await rig();
    const r = await master.request(0, { fc: FunctionCode.WriteSingleRegister, address: 0, value: 555 }, { priority: 'command' });
    expect(r).toBeNull();
    expect(sim.lamp.state().target).toBeCloseTo(55.5);
    expect(sim.bus.stats.broadcasts).toBe(1);
  });

  it('fails fast while the bus cable is out and resumes when it is back (PTY)', async () => {
    const { pair, master, meter, serial } = await rig({ pty: true });
    expect(await meter.poll()).not.toBeNull();
    await pair.unplug();
    // A vanished PTY is noticed on the next read or write (EIO): from then on requests fail at once.
    await until(async () => (await master.request(2, { fc: FunctionCode.ReadInputRegisters, address: 0, quantity: 2 }).catch((x) => x)).code === 'SP_MODBUS_BUS_DOWN', 10_000, 'SP_MODBUS_BUS_DOWN');
    expect(serial.isOpen).toBe(false);
    const e = await master.request(2, { fc: FunctionCode.ReadInputRegisters, address: 0, quantity: 2 }).catch((x) => x);
    expect(e.code).toBe('SP_MODBUS_BUS_DOWN');
    expect(master.unitStats().find((u) => u.address === 2)!.lastError).toMatch(/SP_MODBUS_BUS_DOWN/);
    await pair.replug();
    await until(async () => (await meter.poll()) !== null, 10_000, 'meter after replug');
  });
});
