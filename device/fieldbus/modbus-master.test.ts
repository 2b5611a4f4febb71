/**
 * ModbusMaster on fake timers over an in-process byte port, with scripted slaves that answer
 * after the request's wire time (docs/protocols/field-bus.md): command priority, poller
 * fairness, retries, exceptions, offline units and their probes, t3.5 pacing.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RtuDecoder, encodeAdu } from '../../protocols/modbus/rtu.js';
import { ExceptionCode, FunctionCode, decodeRequest, encodeResponse, type Request, type Response } from '../../protocols/modbus/pdu.js';
import { interFrameMs, wireTimeMs, type LineSettings } from '../../protocols/modbus/timing.js';
import { FakeBytePort } from '../../test/helpers/byte-port.js';
import { testLogger } from '../../test/helpers/logger.js';
import { ModbusMaster, UnitState, type ModbusMasterOptions, type TransactionInfo } from './modbus-master.js';

const LINE: LineSettings = { baudRate: 9600, parity: 'none', stopBits: 1 };
const T35 = interFrameMs(LINE); // 3.65 ms at 9600 8N1

/** What a slave does with one request: answer, answer with a broken CRC, or stay silent. */
type Answer = Response | 'silent' | 'bad-crc';

/** Slaves on the bus: each request is decoded, recorded, and answered after its wire time + 2 ms. */
class ScriptedBus {
  readonly requests: { at: number; unit: number; req: Request; tag: number }[] = [];
  /** When each reply's last byte reached the master. */
  readonly replies: number[] = [];
  private readonly decoder = new RtuDecoder('slave');
  readonly handlers = new Map<number, (req: Request) => Answer>();

  constructor(private readonly port: FakeBytePort) {
    port.onWrite = (bytes) => {
      for (const ev of this.decoder.push(bytes)) {
        if (ev.type !== 'frame') continue;
        const d = decodeRequest(ev.pdu);
        if (!d.ok) continue;
        this.requests.push({ at: performance.now(), unit: ev.unit, req: d.request, tag: 'address' in d.request ? d.request.address : -1 });
        if (ev.unit === 0) continue;
        const answer = (this.handlers.get(ev.unit) ?? (() => 'silent' as const))(d.request);
        if (answer === 'silent') continue;
        const reply: Response = answer === 'bad-crc' ? { fc: d.request.fc, registers: [0, 0] } as Response : answer;
        const adu = Buffer.from(encodeAdu(ev.unit, encodeResponse(reply)));
        if (answer === 'bad-crc') adu[adu.length - 1]! ^= 0xff;
        setTimeout(() => { this.replies.push(performance.now()); this.port.feed(adu); }, Math.ceil(wireTimeMs(bytes.length + adu.length, LINE)) + 2);
      }
    };
  }

  /** Unit answers every read with registers [address, unit]. */
  healthy(unit: number): void {
    this.handlers.set(unit, (r) => ('quantity' in r ? { fc: r.fc, registers: [r.address, unit] } as Response : 'silent'));
  }

  /** Request tags (the register address asked for), in wire order. */
  tags(): number[] {
    return this.requests.map((r) => r.tag);
  }
}

const read = (address: number): Request => ({ fc: FunctionCode.ReadHoldingRegisters, address, quantity: 2 });
const masters: ModbusMaster[] = [];

function rig(o: Partial<ModbusMasterOptions> = {}) {
  const port = new FakeBytePort('/fake/rs485');
  const bus = new ScriptedBus(port);
  const master = new ModbusMaster({ serial: port.asSerial(), line: LINE, logger: testLogger(), timeoutMs: 50, retries: 0, ...o });
  masters.push(master);
  const tx: TransactionInfo[] = [];
  master.on('transaction', (t) => tx.push(t));
  return { port, bus, master, tx };
}

function settle<T>(p: Promise<T>): { readonly result: { ok: true; value: T } | { ok: false; code: string } | null } {
  const s: { result: { ok: true; value: T } | { ok: false; code: string } | null } = { result: null };
  p.then((value) => { s.result = { ok: true, value }; }, (e: { code: string }) => { s.result = { ok: false, code: e.code }; });
  return s;
}

beforeEach(() => { vi.useFakeTimers(); });
afterEach(() => {
  for (const m of masters.splice(0)) m.stop();
  vi.useRealTimers();
});

describe('ModbusMaster', () => {
  it('answers a read with the decoded registers and paces the next request by t3.5 after the reply', async () => {
    const { bus, master } = rig();
    bus.healthy(3);
    const a = settle(master.request(3, read(10)));
    const b = settle(master.request(3, read(11)));
    await vi.advanceTimersByTimeAsync(200);
    expect(a.result).toEqual({ ok: true, value: { fc: FunctionCode.ReadHoldingRegisters, registers: [10, 3] } });
    expect(b.result).toMatchObject({ ok: true });
    expect(bus.requests).toHaveLength(2);
    // The second request leaves only after the line has been quiet t3.5 since the first reply.
    expect(bus.requests[1]!.at - bus.replies[0]!).toBeGreaterThanOrEqual(T35);
    expect(master.unitState(3)).toBe(UnitState.Online);
  });

  it('puts a command ahead of queued polls (after the transaction already on the wire)', async () => {
    const { bus, master } = rig();
    bus.healthy(1);
    for (const a of [1, 2, 3]) void master.request(1, read(a)).catch(() => {});
    void master.request(1, read(99), { priority: 'command' });
    await vi.advanceTimersByTimeAsync(300);
    expect(bus.tags()).toEqual([1, 99, 2, 3]);
  });

  it('shares the bus round-robin between pollers: a busy poller cannot starve a quiet one', async () => {
    const { bus, master } = rig();
    bus.healthy(1);
    bus.healthy(2);
    for (const a of [1, 2, 3, 4, 5]) void master.request(1, read(a), { poller: 'meter' });
    void master.request(2, read(100), { poller: 'lamp' });
    await vi.advanceTimersByTimeAsync(500);
    expect(bus.tags()).toEqual([1, 2, 100, 3, 4, 5]);
  });

  it('retries a broken CRC and a timeout within the budget, then fails with the last cause', async () => {
    const { bus, master, tx } = rig({ retries: 2 });
    let n = 0;
    bus.handlers.set(4, (r) => (++n === 1 ? 'bad-crc' : n === 2 ? 'silent' : { fc: r.fc, registers: [7, 7] } as Response));
    const ok = settle(master.request(4, read(0)));
    await vi.advanceTimersByTimeAsync(400);
    expect(ok.result).toMatchObject({ ok: true });
    expect(tx.at(-1)).toMatchObject({ unit: 4, ok: true, attempts: 3 });
    expect(master.unitStats().find((u) => u.address === 4)).toMatchObject({ crcErrors: 1, timeouts: 1, retries: 2, ok: 1 });

    bus.handlers.set(4, () => 'silent');
    const bad = settle(master.request(4, read(0)));
    await vi.advanceTimersByTimeAsync(400);
    expect(bad.result).toEqual({ ok: false, code: 'SP_MODBUS_TIMEOUT' });
    expect(bus.requests.filter((r) => r.unit === 4)).toHaveLength(3 + 3);
  });

  it('turns exception replies into typed errors; retries a busy slave after a pause; an exception means alive', async () => {
    const { bus, master } = rig({ retries: 1, busyRetryMs: 40 });
    let busy = true;
    bus.handlers.set(6, (r) => {
      if (r.fc === FunctionCode.WriteSingleRegister) return { fc: r.fc, exception: ExceptionCode.IllegalDataAddress };
      if (busy) { busy = false; return { fc: r.fc, exception: ExceptionCode.ServerDeviceBusy }; }
      return { fc: r.fc, registers: [1, 2] } as Response;
    });
    const read6 = settle(master.request(6, read(0)));
    await vi.advanceTimersByTimeAsync(300);
    expect(read6.result).toMatchObject({ ok: true });
    const [first, second] = bus.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(40);

    const write = master.request(6, { fc: FunctionCode.WriteSingleRegister, address: 9, value: 1 });
    const w = settle(write);
    await vi.advanceTimersByTimeAsync(300);
    expect(w.result).toEqual({ ok: false, code: 'SP_MODBUS_ILLEGAL_ADDRESS' });
    await expect(write).rejects.toMatchObject({ name: 'ModbusExceptionError', exception: ExceptionCode.IllegalDataAddress, unit: 6 });
    expect(bus.requests).toHaveLength(3); // an illegal address is not retried
    expect(master.unitState(6)).toBe(UnitState.Online);
  });

  it('takes a unit offline after offlineAfter failures, refuses its polls without the bus, probes it, and brings it back', async () => {
    const { bus, master } = rig({ offlineAfter: 2, probeIntervalMs: 1000 });
    bus.healthy(2);
    const states: [number, UnitState][] = [];
    master.on('unitState', (u, s) => { if (u === 5) states.push([u, s]); });
    for (let i = 0; i < 2; i++) {
      const r = settle(master.request(5, read(i)));
      await vi.advanceTimersByTimeAsync(200);
      expect(r.result).toEqual({ ok: false, code: 'SP_MODBUS_TIMEOUT' });
    }
    expect(master.unitState(5)).toBe(UnitState.Offline);
    expect(states).toEqual([[5, UnitState.Offline]]);

    // Refused at once, nothing on the wire; the healthy unit is served meanwhile.
    const onWire = bus.requests.length;
    const refused = settle(master.request(5, read(7)));
    const other = settle(master.request(2, read(8)));
    await vi.advanceTimersByTimeAsync(100);
    expect(refused.result).toEqual({ ok: false, code: 'SP_MODBUS_UNIT_OFFLINE' });
    expect(other.result).toMatchObject({ ok: true });
    expect(bus.requests.slice(onWire).map((r) => r.unit)).toEqual([2]);
    expect(master.unitStats().find((u) => u.address === 5)).toMatchObject({ refusedOffline: 1 });

    // After the probe interval one poll goes out as a probe; the unit answers and is back.
    bus.healthy(5);
    await vi.advanceTimersByTimeAsync(1000);
    const probe = settle(master.request(5, read(9)));
    await vi.advanceTimersByTimeAsync(100);
    expect(probe.result).toMatchObject({ ok: true });
    expect(master.unitState(5)).toBe(UnitState.Online);
    expect(states).toEqual([[5, UnitState.Offline], [5, UnitState.Online]]);
  });

  it('sends a command to an offline unit (once, no retries)', async () => {
    const { bus, master } = rig({ offlineAfter: 1, retries: 2 });
    const first = settle(master.request(8, read(0)));
    await vi.advanceTimersByTimeAsync(500);
    expect(first.result).toEqual({ ok: false, code: 'SP_MODBUS_TIMEOUT' });
    expect(master.unitState(8)).toBe(UnitState.Offline);
    const before = bus.requests.length;
    const cmd = settle(master.request(8, { fc: FunctionCode.WriteSingleCoil, address: 1, value: true }, { priority: 'command' }));
    await vi.advanceTimersByTimeAsync(500);
    expect(cmd.result).toEqual({ ok: false, code: 'SP_MODBUS_TIMEOUT' });
    expect(bus.requests.length - before).toBe(1);
  });

  it('fails at once when the bus is down, when the queue is full, and after stop', async () => {
    const { port, bus, master } = rig({ maxQueue: 2 });
    bus.healthy(1);
    const queued = [settle(master.request(1, read(1))), settle(master.request(1, read(2))), settle(master.request(1, read(3)))];
    await vi.advanceTimersByTimeAsync(0);
    // The first left the queue at once; two wait; the fourth finds it full.
    const full = settle(master.request(1, read(4)));
    await vi.advanceTimersByTimeAsync(0);
    expect(full.result).toEqual({ ok: false, code: 'SP_MODBUS_QUEUE_FULL' });
    await vi.advanceTimersByTimeAsync(300);
    expect(queued.every((q) => q.result?.ok)).toBe(true);

    port.close('unplugged');
    const down = settle(master.request(1, read(5)));
    await vi.advanceTimersByTimeAsync(10);
    expect(down.result).toEqual({ ok: false, code: 'SP_MODBUS_BUS_DOWN' });

    master.stop();
    await expect(master.request(1, read(6))).rejects.toMatchObject({ code: 'SP_MODBUS_STOPPED' });
  });

  it('stop() during a transaction fails it and everything queued behind it, and nothing more goes on the wire', async () => {
    const { bus, master } = rig({ timeoutMs: 100 });
    bus.handlers.set(1, () => 'silent');
    const onWire = settle(master.request(1, read(1)));
    const queued = [settle(master.request(1, read(2))), settle(master.request(1, read(3)))];
    await vi.advanceTimersByTimeAsync(10);
    expect(bus.tags()).toEqual([1]);
    master.stop();
    await vi.advanceTimersByTimeAsync(500);
    expect(onWire.result).toEqual({ ok: false, code: 'SP_MODBUS_STOPPED' });
    expect(queued.map((q) => q.result)).toEqual([{ ok: false, code: 'SP_MODBUS_STOPPED' }, { ok: false, code: 'SP_MODBUS_STOPPED' }]);
    expect(bus.tags()).toEqual([1]);
  });

  it('broadcasts to unit 0 without waiting for a reply, then gives the slaves a turnaround', async () => {
    const { bus, master } = rig({ timeoutMs: 20 });
    bus.healthy(1);
    const b = settle(master.request(0, { fc: FunctionCode.WriteSingleCoil, address: 0, value: false }));
    const after = settle(master.request(1, read(1)));
    await vi.advanceTimersByTimeAsync(200);
    expect(b.result).toEqual({ ok: true, value: null });
    expect(after.result).toMatchObject({ ok: true });
    expect(bus.requests[1]!.at - bus.requests[0]!.at).toBeGreaterThanOrEqual(20);
  });
});
