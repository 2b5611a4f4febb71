/**
 * A simulated Modbus slave: four register tables, the request handling every Modbus device shares
 * (§6: unmapped addresses → exception 02, read-only writes → 02, validation → 03), and hooks for
 * the device model (refresh inputs before a read, react to writes). The bus (sim-bus.ts) owns
 * framing, timing and injected faults.
 */
import { ExceptionCode, FunctionCode, type Request, type Response } from '../../../protocols/modbus/pdu.js';
import { encodeField, decodeField, fieldWords, type FieldValue, type RegisterMap, type Table } from '../../../protocols/fieldbus/register-map.js';

export class SlaveException extends Error {
  constructor(readonly code: ExceptionCode) {
    super(`exception ${code}`);
  }
}

export abstract class SimSlave {
  readonly tables: Record<Table, Map<number, number>> = { coil: new Map(), discrete: new Map(), holding: new Map(), input: new Map() };
  private readonly writable: Record<Table, Set<number>> = { coil: new Set(), discrete: new Set(), holding: new Set(), input: new Set() };
  /** performance.now() of the last request addressed to this unit (lamp watchdog). */
  lastRequestAt = performance.now();

  constructor(readonly unit: number, readonly name: string) {}

  /** Declares every field of `map` with its initial value. */
  protected define(map: RegisterMap, initial: Record<string, FieldValue> = {}): void {
    for (const [name, f] of Object.entries(map)) {
      const words = encodeField(f, initial[name] ?? (f.type === 'bool' ? false : f.type === 'ascii' ? '' : 0));
      words.forEach((w, i) => {
        this.tables[f.table].set(f.address + i, w);
        if (f.access === 'rw') this.writable[f.table].add(f.address + i);
      });
    }
  }

  /**
   * Registers a real device answers but our maps do not name (reserved, other phases): reads that
   * span them succeed with zeros, as on the device, instead of exception 02.
   */
  protected fill(table: Table, from: number, to: number): void {
    for (let a = from; a <= to; a++) if (!this.tables[table].has(a)) this.tables[table].set(a, 0);
  }

  protected set(map: RegisterMap, name: string, value: FieldValue): void {
    const f = map[name]!;
    encodeField(f, value).forEach((w, i) => this.tables[f.table].set(f.address + i, w));
  }

  protected get(map: RegisterMap, name: string): FieldValue {
    const f = map[name]!;
    const words = Array.from({ length: fieldWords(f) }, (_, i) => this.tables[f.table].get(f.address + i) ?? 0);
    return decodeField(f, words);
  }

  /** Brings input registers up to date before a read. */
  protected refresh(): void {}

  /**
   * Called after a write landed in the tables; throw SlaveException to refuse it (the bus
   * answers with the exception, and the device model is expected to restore what it refused).
   */
  protected onWrite(_table: Table, _address: number, _count: number): void {}

  handle(req: Request): Response {
    this.lastRequestAt = performance.now();
    const ex = (code: ExceptionCode): Response => ({ fc: req.fc, exception: code });
    try {
      switch (req.fc) {
        case FunctionCode.ReadCoils: case FunctionCode.ReadDiscreteInputs: {
          this.refresh();
          const t = req.fc === FunctionCode.ReadCoils ? 'coil' : 'discrete';
          const bits: boolean[] = [];
          for (let a = req.address; a < req.address + req.quantity; a++) {
            const v = this.tables[t].get(a);
            if (v === undefined) return ex(ExceptionCode.IllegalDataAddress);
            bits.push(v !== 0);
          }
          return { fc: req.fc, bits };
        }
        case FunctionCode.ReadHoldingRegisters: case FunctionCode.ReadInputRegisters: {
          this.refresh();
          const t = req.fc === FunctionCode.ReadHoldingRegisters ? 'holding' : 'input';
          const registers: number[] = [];
          for (let a = req.address; a < req.address + req.quantity; a++) {
            const v = this.tables[t].get(a);
            if (v === undefined) return ex(ExceptionCode.IllegalDataAddress);
            registers.push(v);
          }
          return { fc: req.fc, registers };
        }
        case FunctionCode.WriteSingleCoil:
          this.write('coil', req.address, [req.value ? 1 : 0]);
          return { fc: req.fc, address: req.address, value: req.value };
        case FunctionCode.WriteSingleRegister:
          this.write('holding', req.address, [req.value]);
          return { fc: req.fc, address: req.address, value: req.value };
        case FunctionCode.WriteMultipleCoils:
          this.write('coil', req.address, req.values.map((v) => (v ? 1 : 0)));
          return { fc: req.fc, address: req.address, quantity: req.values.length };
        case FunctionCode.WriteMultipleRegisters:
          this.write('holding', req.address, req.values);
          return { fc: req.fc, address: req.address, quantity: req.values.length };
      }
    } catch (e) {
      if (e instanceof SlaveException) return ex(e.code);
      return ex(ExceptionCode.ServerDeviceFailure);
    }
  }

  private write(t: Table, address: number, values: number[]): void {
    for (let i = 0; i < values.length; i++) {
      if (!this.writable[t].has(address + i)) throw new SlaveException(ExceptionCode.IllegalDataAddress);
    }
    values.forEach((v, i) => this.tables[t].set(address + i, v));
    this.onWrite(t, address, values.length);
  }

  /** False while the unit is unpowered: the bus gets no answer from it. */
  get responsive(): boolean {
    return true;
  }

  /** Advances the device model by `dtSec` of simulated time (`realSec` of wall time). */
  tick(_dtSec: number, _realSec?: number): void {}

  abstract state(): Record<string, unknown>;
}
