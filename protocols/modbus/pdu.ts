/**
 * Modbus application PDUs (Modbus Application Protocol v1.1b3 §6): requests and responses for the
 * function codes a field bus of meters and controllers needs, encoded and decoded as plain data.
 * Pure: bytes in, typed values out. Both sides use it: the master (device/fieldbus) and the
 * simulated slaves (simulator/devices/fieldbus).
 */

export enum FunctionCode {
  ReadCoils = 0x01,
  ReadDiscreteInputs = 0x02,
  ReadHoldingRegisters = 0x03,
  ReadInputRegisters = 0x04,
  WriteSingleCoil = 0x05,
  WriteSingleRegister = 0x06,
  WriteMultipleCoils = 0x0f,
  WriteMultipleRegisters = 0x10,
}

/** Exception codes (§7). The master turns each into a typed error (device/fieldbus/errors.ts). */
export enum ExceptionCode {
  IllegalFunction = 0x01,
  IllegalDataAddress = 0x02,
  IllegalDataValue = 0x03,
  ServerDeviceFailure = 0x04,
  Acknowledge = 0x05,
  ServerDeviceBusy = 0x06,
  MemoryParityError = 0x08,
  GatewayPathUnavailable = 0x0a,
  GatewayTargetFailedToRespond = 0x0b,
}

/** Quantity limits per request (§6.1–6.12): they keep every ADU within 256 bytes. */
export const LIMITS = { readBits: 2000, readRegisters: 125, writeBits: 1968, writeRegisters: 123 } as const;

export type ReadFc = FunctionCode.ReadCoils | FunctionCode.ReadDiscreteInputs | FunctionCode.ReadHoldingRegisters | FunctionCode.ReadInputRegisters;

export type Request =
  | { fc: ReadFc; address: number; quantity: number }
  | { fc: FunctionCode.WriteSingleCoil; address: number; value: boolean }
  | { fc: FunctionCode.WriteSingleRegister; address: number; value: number }
  | { fc: FunctionCode.WriteMultipleCoils; address: number; values: boolean[] }
  | { fc: FunctionCode.WriteMultipleRegisters; address: number; values: number[] };

export type Response =
  | { fc: FunctionCode.ReadCoils | FunctionCode.ReadDiscreteInputs; bits: boolean[] }
  | { fc: FunctionCode.ReadHoldingRegisters | FunctionCode.ReadInputRegisters; registers: number[] }
  | { fc: FunctionCode.WriteSingleCoil; address: number; value: boolean }
  | { fc: FunctionCode.WriteSingleRegister; address: number; value: number }
  | { fc: FunctionCode.WriteMultipleCoils | FunctionCode.WriteMultipleRegisters; address: number; quantity: number }
  | { fc: number; exception: ExceptionCode };

export type ExceptionResponse = { fc: number; exception: ExceptionCode };

export function isException(r: Response): r is ExceptionResponse {
  return 'exception' in r;
}

const u16 = (b: Uint8Array, i: number): number => (b[i]! << 8) | b[i + 1]!;

function put16(out: Uint8Array, i: number, v: number): void {
  out[i] = (v >>> 8) & 0xff;
  out[i + 1] = v & 0xff;
}

/** The 5-byte PDU `fc, word a, word b` that reads, single writes and their echoes share (Modbus spec §6). */
function fcTwoWords(fc: number, a: number, b: number): Uint8Array {
  const out = new Uint8Array(5);
  out[0] = fc; put16(out, 1, a); put16(out, 3, b);
  return out;
}

function packBits(bits: readonly boolean[]): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  bits.forEach((b, i) => { if (b) out[i >> 3]! |= 1 << (i & 7); });
  return out;
}

function unpackBits(bytes: Uint8Array, count: number): boolean[] {
  const out: boolean[] = [];
  for (let i = 0; i < count; i++) out.push((bytes[i >> 3]! & (1 << (i & 7))) !== 0);
  return out;
}

/** Checks a request against §6 (quantity limits, 16-bit address space). Returns why not, or null. */
export function requestProblem(r: Request): string | null {
  const range = (qty: number, max: number): string | null => {
    if (!Number.isInteger(r.address) || r.address < 0 || r.address > 0xffff) return 'address out of range';
    if (!Number.isInteger(qty) || qty < 1 || qty > max) return `quantity must be 1–${max}`;
    if (r.address + qty > 0x10000) return 'address + quantity past 65535';
    return null;
  };
  switch (r.fc) {
    case FunctionCode.ReadCoils: case FunctionCode.ReadDiscreteInputs: return range(r.quantity, LIMITS.readBits);
    case FunctionCode.ReadHoldingRegisters: case FunctionCode.ReadInputRegisters: return range(r.quantity, LIMITS.readRegisters);
    case FunctionCode.WriteSingleCoil: return range(1, 1);
    case FunctionCode.WriteSingleRegister: return range(1, 1) ?? (Number.isInteger(r.value) && r.value >= 0 && r.value <= 0xffff ? null : 'value must be 0–65535');
    case FunctionCode.WriteMultipleCoils: return range(r.values.length, LIMITS.writeBits);
    case FunctionCode.WriteMultipleRegisters:
      return range(r.values.length, LIMITS.writeRegisters) ?? (r.values.every((v) => Number.isInteger(v) && v >= 0 && v <= 0xffff) ? null : 'values must be 0–65535');
  }
}

export function encodeRequest(r: Request): Uint8Array {
  const problem = requestProblem(r);
  if (problem) throw new RangeError(`Modbus request fc ${r.fc}: ${problem}`);
  switch (r.fc) {
    case FunctionCode.ReadCoils: case FunctionCode.ReadDiscreteInputs:
    case FunctionCode.ReadHoldingRegisters: case FunctionCode.ReadInputRegisters: return fcTwoWords(r.fc, r.address, r.quantity);
    case FunctionCode.WriteSingleCoil: return fcTwoWords(r.fc, r.address, r.value ? 0xff00 : 0x0000);
    case FunctionCode.WriteSingleRegister: return fcTwoWords(r.fc, r.address, r.value);
    case FunctionCode.WriteMultipleCoils: {
      const packed = packBits(r.values);
      const out = new Uint8Array(6 + packed.length);
      out[0] = r.fc; put16(out, 1, r.address); put16(out, 3, r.values.length); out[5] = packed.length; out.set(packed, 6);
      return out;
    }
    case FunctionCode.WriteMultipleRegisters: {
      const out = new Uint8Array(6 + 2 * r.values.length);
      out[0] = r.fc; put16(out, 1, r.address); put16(out, 3, r.values.length); out[5] = 2 * r.values.length;
      r.values.forEach((v, i) => put16(out, 6 + 2 * i, v));
      return out;
    }
  }
}

/** A request PDU as a slave reads it: the request, or the exception the slave must answer with. */
export type DecodedRequest = { ok: true; request: Request } | { ok: false; fc: number; exception: ExceptionCode };

export function decodeRequest(pdu: Uint8Array): DecodedRequest {
  const fc = pdu[0] ?? 0;
  const bad = (exception: ExceptionCode): DecodedRequest => ({ ok: false, fc, exception });
  if (pdu.length < 1) return bad(ExceptionCode.IllegalFunction);
  const check = (request: Request): DecodedRequest => {
    const p = requestProblem(request);
    if (!p) return { ok: true, request };
    // Modbus Application Protocol spec §6: a bad quantity is "illegal value", a range past the map is
    // "illegal address".
    return bad(/^(quantity|value)/.test(p) ? ExceptionCode.IllegalDataValue : ExceptionCode.IllegalDataAddress);
  };
  switch (fc) {
    case FunctionCode.ReadCoils: case FunctionCode.ReadDiscreteInputs:
    case FunctionCode.ReadHoldingRegisters: case FunctionCode.ReadInputRegisters:
      if (pdu.length !== 5) return bad(ExceptionCode.IllegalDataValue);
      return check({ fc, address: u16(pdu, 1), quantity: u16(pdu, 3) });
    case FunctionCode.WriteSingleCoil: {
      if (pdu.length !== 5) return bad(ExceptionCode.IllegalDataValue);
      const v = u16(pdu, 3);
      if (v !== 0xff00 && v !== 0x0000) return bad(ExceptionCode.IllegalDataValue);
      return check({ fc, address: u16(pdu, 1), value: v === 0xff00 });
    }
    case FunctionCode.WriteSingleRegister:
      if (pdu.length !== 5) return bad(ExceptionCode.IllegalDataValue);
      return check({ fc, address: u16(pdu, 1), value: u16(pdu, 3) });
    case FunctionCode.WriteMultipleCoils: {
      if (pdu.length < 6) return bad(ExceptionCode.IllegalDataValue);
      const qty = u16(pdu, 3);
      const n = pdu[5]!;
      if (n !== Math.ceil(qty / 8) || pdu.length !== 6 + n) return bad(ExceptionCode.IllegalDataValue);
      return check({ fc, address: u16(pdu, 1), values: unpackBits(pdu.subarray(6), qty) });
    }
    case FunctionCode.WriteMultipleRegisters: {
      if (pdu.length < 6) return bad(ExceptionCode.IllegalDataValue);
      const qty = u16(pdu, 3);
      const n = pdu[5]!;
      if (n !== 2 * qty || pdu.length !== 6 + n) return bad(ExceptionCode.IllegalDataValue);
      const values: number[] = [];
      for (let i = 0; i < qty; i++) values.push(u16(pdu, 6 + 2 * i));
      return check({ fc, address: u16(pdu, 1), values });
    }
    default:
      return bad(ExceptionCode.IllegalFunction);
  }
}

export function encodeResponse(r: Response): Uint8Array {
  if (isException(r)) return Uint8Array.from([(r.fc | 0x80) & 0xff, r.exception]);
  switch (r.fc) {
    case FunctionCode.ReadCoils: case FunctionCode.ReadDiscreteInputs: {
      const packed = packBits(r.bits);
      return Uint8Array.from([r.fc, packed.length, ...packed]);
    }
    case FunctionCode.ReadHoldingRegisters: case FunctionCode.ReadInputRegisters: {
      const out = new Uint8Array(2 + 2 * r.registers.length);
      out[0] = r.fc; out[1] = 2 * r.registers.length;
      r.registers.forEach((v, i) => put16(out, 2 + 2 * i, v));
      return out;
    }
    case FunctionCode.WriteSingleCoil: return fcTwoWords(r.fc, r.address, r.value ? 0xff00 : 0);
    case FunctionCode.WriteSingleRegister: return fcTwoWords(r.fc, r.address, r.value);
    case FunctionCode.WriteMultipleCoils: case FunctionCode.WriteMultipleRegisters: return fcTwoWords(r.fc, r.address, r.quantity);
  }
  throw new RangeError(`cannot encode response for fc ${(r as { fc: number }).fc}`);
}

/** Why a response does not answer the request it should, or the decoded response. */
export type DecodedResponse = { ok: true; response: Response } | { ok: false; problem: string };

/** Decodes a response PDU and checks it answers `req` (§6: echoed address/value/quantity, byte counts). */
export function decodeResponse(pdu: Uint8Array, req: Request): DecodedResponse {
  const fc = pdu[0];
  const no = (problem: string): DecodedResponse => ({ ok: false, problem });
  if (fc === undefined) return no('empty PDU');
  if (fc === ((req.fc | 0x80) & 0xff)) {
    if (pdu.length !== 2) return no('exception response of wrong length');
    return { ok: true, response: { fc: req.fc, exception: pdu[1]! as ExceptionCode } };
  }
  if (fc !== req.fc) return no(`function code ${fc} answers a request with ${req.fc}`);
  switch (req.fc) {
    case FunctionCode.ReadCoils: case FunctionCode.ReadDiscreteInputs: {
      const n = Math.ceil(req.quantity / 8);
      if (pdu[1] !== n || pdu.length !== 2 + n) return no(`byte count ${pdu[1]} for ${req.quantity} bits`);
      return { ok: true, response: { fc: req.fc, bits: unpackBits(pdu.subarray(2), req.quantity) } };
    }
    case FunctionCode.ReadHoldingRegisters: case FunctionCode.ReadInputRegisters: {
      if (pdu[1] !== 2 * req.quantity || pdu.length !== 2 + 2 * req.quantity) return no(`byte count ${pdu[1]} for ${req.quantity} registers`);
      const registers: number[] = [];
      for (let i = 0; i < req.quantity; i++) registers.push(u16(pdu, 2 + 2 * i));
      return { ok: true, response: { fc: req.fc, registers } };
    }
    case FunctionCode.WriteSingleCoil: case FunctionCode.WriteSingleRegister: {
      if (pdu.length !== 5) return no('write echo of wrong length');
      const echo = encodeRequest(req);
      for (let i = 1; i < 5; i++) if (pdu[i] !== echo[i]) return no('write echo differs from the request');
      return { ok: true, response: req.fc === FunctionCode.WriteSingleCoil
        ? { fc: req.fc, address: req.address, value: req.value }
        : { fc: req.fc, address: req.address, value: req.value } };
    }
    case FunctionCode.WriteMultipleCoils: case FunctionCode.WriteMultipleRegisters: {
      if (pdu.length !== 5) return no('write echo of wrong length');
      if (u16(pdu, 1) !== req.address || u16(pdu, 3) !== req.values.length) return no('write echo differs from the request');
      return { ok: true, response: { fc: req.fc, address: req.address, quantity: req.values.length } };
    }
  }
}

export const EXCEPTION_NAMES: Record<number, string> = {
  [ExceptionCode.IllegalFunction]: 'illegal function',
  [ExceptionCode.IllegalDataAddress]: 'illegal data address',
  [ExceptionCode.IllegalDataValue]: 'illegal data value',
  [ExceptionCode.ServerDeviceFailure]: 'server device failure',
  [ExceptionCode.Acknowledge]: 'acknowledge',
  [ExceptionCode.ServerDeviceBusy]: 'server device busy',
  [ExceptionCode.MemoryParityError]: 'memory parity error',
  [ExceptionCode.GatewayPathUnavailable]: 'gateway path unavailable',
  [ExceptionCode.GatewayTargetFailedToRespond]: 'gateway target failed to respond',
};
