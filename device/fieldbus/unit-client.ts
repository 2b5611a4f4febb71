/**
 * UnitClient: one Modbus unit seen through the master — typed reads of register-map fields and
 * writes of coils and registers. Drivers for each device (units/*.ts) build on it.
 */
import { FunctionCode, type Request, type Response } from '../../protocols/modbus/pdu.js';
import { decodeFields, encodeField, planReads, type BlockData, type FieldValue, type ReadBlock, type RegisterMap } from '../../protocols/fieldbus/register-map.js';
import type { ModbusMaster } from './modbus-master.js';
import type { Priority } from './request-queue.js';
import { fieldBusError } from './errors.js';

const READ_FC = { coil: FunctionCode.ReadCoils, discrete: FunctionCode.ReadDiscreteInputs, holding: FunctionCode.ReadHoldingRegisters, input: FunctionCode.ReadInputRegisters } as const;

export class UnitClient {
  constructor(readonly master: ModbusMaster, readonly address: number, readonly name: string) {
    master.configureUnit(address, { name });
  }

  private async send(req: Request, priority: Priority): Promise<Response> {
    const r = await this.master.request(this.address, req, { priority, poller: this.name });
    if (!r) throw fieldBusError('SP_MODBUS_BAD_RESPONSE', { unit: this.address, problem: 'no reply to a unicast request' });
    return r;
  }

  async readBlock(block: ReadBlock, priority: Priority = 'poll'): Promise<BlockData> {
    const r = await this.send({ fc: READ_FC[block.table], address: block.address, quantity: block.quantity }, priority);
    if ('bits' in r) return { block, bits: r.bits };
    if ('registers' in r) return { block, words: r.registers };
    throw fieldBusError('SP_MODBUS_BAD_RESPONSE', { unit: this.address, problem: 'read answered without data' });
  }

  /** Reads `names` in as few short blocks as the map allows (one transaction per block). */
  async readFields(map: RegisterMap, names: readonly string[], o: { priority?: Priority; maxGap?: number } = {}): Promise<Record<string, FieldValue>> {
    const data: BlockData[] = [];
    for (const b of planReads(map, names, { maxGap: o.maxGap })) data.push(await this.readBlock(b, o.priority));
    return decodeFields(map, names, data);
  }

  async writeCoil(address: number, value: boolean, priority: Priority = 'command'): Promise<void> {
    await this.send({ fc: FunctionCode.WriteSingleCoil, address, value }, priority);
  }

  async writeRegister(address: number, value: number, priority: Priority = 'command'): Promise<void> {
    await this.send({ fc: FunctionCode.WriteSingleRegister, address, value }, priority);
  }

  async writeRegisters(address: number, values: number[], priority: Priority = 'command'): Promise<void> {
    await this.send({ fc: FunctionCode.WriteMultipleRegisters, address, values }, priority);
  }

  /** Writes one field of a map: a coil, one register (fc 06) or several (fc 16). */
  async writeField(map: RegisterMap, name: string, value: FieldValue, priority: Priority = 'command'): Promise<void> {
    const f = map[name];
    if (!f || f.access !== 'rw') throw new RangeError(`field "${name}" is not writable`);
    if (f.table === 'coil') return this.writeCoil(f.address, Boolean(value), priority);
    const words = encodeField(f, value);
    if (words.length === 1) return this.writeRegister(f.address, words[0]!, priority);
    return this.writeRegisters(f.address, words, priority);
  }
}
