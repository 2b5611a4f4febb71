/**
 * Interoperability with Modbus code that is not ours, over socat PTYs:
 * - Debian's `mbpoll` (libmodbus) reads and writes our simulated slaves;
 * - our master and meter driver read a pymodbus 3.0 RTU server (Debian python3-pymodbus, run with
 *   /usr/bin/python3) serving an SDM-style meter.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialLink } from '../../device/serial/serial-link.js';
import { ModbusMaster } from '../../device/fieldbus/modbus-master.js';
import { UnitClient } from '../../device/fieldbus/unit-client.js';
import { EnergyMeterUnit } from '../../device/fieldbus/units/energy-meter.js';
import { FunctionCode } from '../../protocols/modbus/pdu.js';
import { PtyPair } from '../../simulator/serial/pty-pair.js';
import { SimFieldBus } from '../../simulator/devices/fieldbus/sim-fieldbus.js';
import { testLogger } from '../helpers/logger.js';
import { until } from '../helpers/sim-process.js';

const stops: (() => Promise<unknown> | void)[] = [];
afterEach(async () => { for (const s of stops.splice(0).reverse()) await s(); });

const ptyPair = async (): Promise<PtyPair> => {
  const p = new PtyPair('fieldbus', mkdtempSync(join(tmpdir(), 'sp-interop-')));
  await p.start();
  stops.push(() => p.stop());
  return p;
};

/** Runs mbpoll once (async: the simulated slaves answer from this process's event loop). */
function mbpoll(path: string, args: string[], writes: number[] = []): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn('mbpoll', ['-m', 'rtu', '-b', '19200', '-P', 'none', '-0', '-1', '-o', '1', ...args, path, ...writes.map(String)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    const timer = setTimeout(() => p.kill('SIGKILL'), 20_000);
    p.once('error', (e) => { clearTimeout(timer); resolve({ code: null, out: `mbpoll did not start (${e.message}): install Debian package mbpoll` }); });
    p.once('exit', (code) => { clearTimeout(timer); resolve({ code, out }); });
  });
}

/** mbpoll prints one `[ref]: value` line per value read. */
const values = (out: string): Map<number, string> => new Map([...out.matchAll(/^\[(\d+)\]:\s+(\S+)/gm)].map((m) => [Number(m[1]), m[2]!]));

describe('mbpoll (libmodbus) against the simulated slaves', () => {
  it('reads holding, input (float) and coils, writes coils and registers, and gets exceptions', async () => {
    const pair = await ptyPair();
    const sim = new SimFieldBus({ pair, logger: testLogger(), baudRate: 19200 });
    sim.start();
    stops.push(() => sim.stop());
    await until(() => sim.bus.isOpen, 5000, 'sim bus open');

    // EV controller status register 24000 = "A1" (0x4131), max current 16 A.
    let r = await mbpoll(pair.hostPath, ['-a', '1', '-t', '4', '-r', '24000', '-c', '4']);
    expect(r.code, r.out).toBe(0);
    expect(values(r.out).get(24000)).toBe(String(0x4131));
    r = await mbpoll(pair.hostPath, ['-a', '1', '-t', '4', '-r', '22000']);
    expect(values(r.out).get(22000)).toBe('16');

    // Meter: float32, big-endian word order (-B), the import energy register 0x48.
    sim.charger.plugIn();
    r = await mbpoll(pair.hostPath, ['-a', '2', '-t', '3:float', '-B', '-r', '0', '-c', '1']);
    expect(r.code, r.out).toBe(0);
    expect(Number(values(r.out).get(0))).toBeCloseTo(230, 3);
    r = await mbpoll(pair.hostPath, ['-a', '2', '-t', '3:float', '-B', '-r', String(0x48), '-c', '2']);
    expect(Number(values(r.out).get(0x48))).toBeCloseTo(Number(sim.meter.state().importKwh), 5);

    // Coils: write the lock coil (20002) and read the three control coils back.
    r = await mbpoll(pair.hostPath, ['-a', '1', '-t', '0', '-r', '20002'], [1]);
    expect(r.code, r.out).toBe(0);
    expect(sim.charger.state().locked).toBe(true);
    r = await mbpoll(pair.hostPath, ['-a', '1', '-t', '0', '-r', '20000', '-c', '3']);
    expect([...values(r.out).values()]).toEqual(['0', '1', '1']);

    // Lamp: write the target level (0.1 %) and read the D4i block.
    r = await mbpoll(pair.hostPath, ['-a', '4', '-t', '4', '-r', '0'], [555]);
    expect(r.code, r.out).toBe(0);
    expect(sim.lamp.state().target).toBeCloseTo(55.5);
    r = await mbpoll(pair.hostPath, ['-a', '4', '-t', '3', '-r', '0', '-c', '18']);
    expect(values(r.out).size).toBe(18);

    // Pads: count and the first pad's state block.
    r = await mbpoll(pair.hostPath, ['-a', '3', '-t', '3', '-r', '0', '-c', '1']);
    expect(values(r.out).get(0)).toBe('2');

    // Exceptions: an unmapped address, an out-of-range value, a read-only register.
    r = await mbpoll(pair.hostPath, ['-a', '2', '-t', '3', '-r', '768', '-c', '2']);
    expect(r.out).toMatch(/Illegal data address/i);
    r = await mbpoll(pair.hostPath, ['-a', '1', '-t', '4', '-r', '22000'], [99]);
    expect(r.out).toMatch(/Illegal data value/i);
    r = await mbpoll(pair.hostPath, ['-a', '1', '-t', '4', '-r', '24000'], [1]);
    expect(r.out).toMatch(/Illegal data address/i);
    // A silent unit times out.
    sim.bus.faults.get(4)!.silent = true;
    r = await mbpoll(pair.hostPath, ['-a', '4', '-t', '3', '-r', '0']);
    expect(r.out).toMatch(/timed out/i);
    expect(sim.bus.stats.crcErrors).toBe(0);
  });
});

describe('our master against a pymodbus RTU server', () => {
  it('reads an SDM meter served by pymodbus 3.0, writes a coil, and types its exceptions', async () => {
    const pair = await ptyPair();
    const py: ChildProcess = spawn('/usr/bin/python3', [join(import.meta.dirname, '../fixtures/pymodbus_sdm.py'), pair.devicePath, '19200', '7'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let pyOut = '';
    py.once('error', (e) => { pyOut += `could not start /usr/bin/python3: ${e.message} (install Debian packages python3-pymodbus python3-serial python3-serial-asyncio)`; });
    py.stdout!.on('data', (d: Buffer) => { pyOut += d.toString(); });
    py.stderr!.on('data', (d: Buffer) => { pyOut += d.toString(); });
    stops.push(() => new Promise((r) => { if (py.exitCode !== null) return r(null); py.once('exit', r); py.kill('SIGTERM'); }));
    await until(() => pyOut.includes('ready') || py.exitCode !== null, 15_000, () => `pymodbus to start; its output:\n${pyOut}`);
    if (py.exitCode !== null) throw new Error(`pymodbus exited ${py.exitCode} before it was ready; its output:\n${pyOut}`);
    const log = testLogger();
    const serial = new SerialLink({ path: pair.hostPath, baudRate: 19200, name: 'fieldbus', logger: log, backoff: { initialMs: 20, maxMs: 200 } });
    const master = new ModbusMaster({ serial, line: { baudRate: 19200, parity: 'none', stopBits: 1 }, logger: log, timeoutMs: 300 });
    serial.start();
    stops.push(async () => { master.stop(); await serial.stop(); });
    const meter = new EnergyMeterUnit(new UnitClient(master, 7, 'meter'));
    const m = await until(() => meter.poll(), 15_000, () => `a reading from pymodbus; its output:\n${pyOut}`);
    expect(m.voltageV).toBeCloseTo(229.7, 3);
    expect(m.currentA).toBeCloseTo(12.5, 5);
    expect(m.powerW).toBeCloseTo(2871.25, 2);
    expect(m.frequencyHz).toBeCloseTo(49.98, 3);
    expect(m.importWh).toBe(1_234_567);
    expect(m.exportWh).toBe(125);
    await meter.identify();
    expect(meter.serialNumber).toBe(0x01422a3b);
    await master.request(7, { fc: FunctionCode.WriteSingleCoil, address: 3, value: true }, { priority: 'command' });
    expect(await master.request(7, { fc: FunctionCode.ReadCoils, address: 0, quantity: 8 })).toMatchObject({ bits: [false, false, false, true, false, false, false, false] });
    const e = await master.request(7, { fc: FunctionCode.ReadInputRegisters, address: 0x0300, quantity: 2 }).catch((x) => x);
    expect(e.code).toBe('SP_MODBUS_ILLEGAL_ADDRESS');
    expect(master.unitStats().find((u) => u.address === 7)).toMatchObject({ crcErrors: 0, badResponses: 0, state: 'online' });
  });
});
