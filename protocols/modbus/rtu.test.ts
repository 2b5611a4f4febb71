import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RtuDecoder, aduCrcOk, encodeAdu, type RtuEvent } from './rtu.js';
import {
  ExceptionCode, FunctionCode, decodeRequest, decodeResponse, encodeRequest, encodeResponse, type Request, type Response,
} from './pdu.js';
import { interFrameMs, wireTimeMs } from './timing.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const frames = (ev: RtuEvent[]) => ev.filter((e) => e.type === 'frame').map((e) => (e.type === 'frame' ? hex(e.adu) : ''));

describe('Modbus RTU ADU', () => {
  it('matches the specification example: read holding 40108–40110 from unit 0x11', () => {
    // Modbus over serial line v1.02 §2.5.1.2 / well-known vector: 11 03 00 6B 00 03 76 87
    const adu = encodeAdu(0x11, encodeRequest({ fc: FunctionCode.ReadHoldingRegisters, address: 0x6b, quantity: 3 }));
    expect(hex(adu)).toBe('1103006b00037687');
  });

  it('matches a second published vector: unit 1 read 10 holding registers from 0', () => {
    expect(hex(encodeAdu(1, encodeRequest({ fc: FunctionCode.ReadHoldingRegisters, address: 0, quantity: 10 })))).toBe('01030000000ac5cd');
  });

  it('puts the CRC low byte first and rejects a single flipped bit', () => {
    const adu = encodeAdu(2, encodeRequest({ fc: FunctionCode.WriteSingleCoil, address: 20000, value: true }));
    expect(aduCrcOk(adu)).toBe(true);
    for (let i = 0; i < adu.length * 8; i++) {
      const bad = Uint8Array.from(adu);
      bad[i >> 3]! ^= 1 << (i & 7);
      expect(aduCrcOk(bad)).toBe(false);
    }
  });

  it('refuses unit addresses outside 0–247', () => {
    expect(() => encodeAdu(248, Uint8Array.from([3]))).toThrow(RangeError);
  });
});

describe('Modbus PDUs', () => {
  const requests: Request[] = [
    { fc: FunctionCode.ReadCoils, address: 20000, quantity: 4 },
    { fc: FunctionCode.ReadDiscreteInputs, address: 0, quantity: 2000 },
    { fc: FunctionCode.ReadHoldingRegisters, address: 24000, quantity: 26 },
    { fc: FunctionCode.ReadInputRegisters, address: 0x48, quantity: 4 },
    { fc: FunctionCode.WriteSingleCoil, address: 20000, value: true },
    { fc: FunctionCode.WriteSingleRegister, address: 22000, value: 16 },
    { fc: FunctionCode.WriteMultipleCoils, address: 3, values: [true, false, true, true, false, false, false, false, true] },
    { fc: FunctionCode.WriteMultipleRegisters, address: 0, values: [1000, 30, 65535] },
  ];

  it('round-trips every request through a slave decoder', () => {
    for (const r of requests) expect(decodeRequest(encodeRequest(r))).toEqual({ ok: true, request: r });
  });

  it('answers malformed requests with the exception a slave must send', () => {
    expect(decodeRequest(Uint8Array.from([0x2b, 0x0e, 1, 0]))).toMatchObject({ ok: false, exception: ExceptionCode.IllegalFunction });
    expect(decodeRequest(Uint8Array.from([3, 0, 0, 0, 126]))).toMatchObject({ ok: false, exception: ExceptionCode.IllegalDataValue });
    expect(decodeRequest(Uint8Array.from([3, 0xff, 0xff, 0, 2]))).toMatchObject({ ok: false, exception: ExceptionCode.IllegalDataAddress });
    expect(decodeRequest(Uint8Array.from([5, 0, 0, 0x12, 0x34]))).toMatchObject({ ok: false, exception: ExceptionCode.IllegalDataValue });
  });

  it('decodes responses and checks they answer the request', () => {
    const read = requests[2]!;
    const regs = Array.from({ length: 26 }, (_, i) => i * 1000);
    expect(decodeResponse(encodeResponse({ fc: FunctionCode.ReadHoldingRegisters, registers: regs }), read)).toEqual({ ok: true, response: { fc: 3, registers: regs } });
    expect(decodeResponse(encodeResponse({ fc: FunctionCode.ReadHoldingRegisters, registers: regs.slice(1) }), read)).toMatchObject({ ok: false });
    expect(decodeResponse(encodeResponse({ fc: FunctionCode.ReadInputRegisters, registers: regs }), read)).toMatchObject({ ok: false });
    expect(decodeResponse(Uint8Array.from([0x83, 2]), read)).toEqual({ ok: true, response: { fc: 3, exception: ExceptionCode.IllegalDataAddress } });
    const coil = requests[4]!;
    expect(decodeResponse(encodeRequest(coil), coil)).toMatchObject({ ok: true });
    expect(decodeResponse(encodeRequest({ fc: FunctionCode.WriteSingleCoil, address: 20000, value: false }), coil)).toMatchObject({ ok: false });
    const bits = requests[0]!;
    expect(decodeResponse(encodeResponse({ fc: FunctionCode.ReadCoils, bits: [true, false, false, true] }), bits))
      .toEqual({ ok: true, response: { fc: 1, bits: [true, false, false, true] } });
  });

  it('property: encode → decode is the identity for random valid requests', () => {
    const addr = (max: number) => fc.integer({ min: 0, max: 0x10000 - max });
    const req: fc.Arbitrary<Request> = fc.oneof(
      fc.integer({ min: 1, max: 125 }).chain((q) => addr(q).map((a) => ({ fc: FunctionCode.ReadHoldingRegisters, address: a, quantity: q }) as Request)),
      fc.integer({ min: 1, max: 2000 }).chain((q) => addr(q).map((a) => ({ fc: FunctionCode.ReadCoils, address: a, quantity: q }) as Request)),
      fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 123 }).chain((v) => addr(v.length).map((a) => ({ fc: FunctionCode.WriteMultipleRegisters, address: a, values: v }) as Request)),
      fc.array(fc.boolean(), { minLength: 1, maxLength: 1968 }).chain((v) => addr(v.length).map((a) => ({ fc: FunctionCode.WriteMultipleCoils, address: a, values: v }) as Request)),
    );
    fc.assert(fc.property(req, (r) => {
      expect(decodeRequest(encodeRequest(r))).toEqual({ ok: true, request: r });
    }));
  });

  it('property: random bytes never throw in any decoder', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
      decodeRequest(b);
      decodeResponse(b, { fc: FunctionCode.ReadInputRegisters, address: 0, quantity: 3 });
      decodeResponse(b, { fc: FunctionCode.WriteMultipleCoils, address: 0, values: [true] });
      const m = new RtuDecoder('master');
      const s = new RtuDecoder('slave');
      m.push(b); m.gap();
      s.push(b); s.gap();
      expect(m.pending).toBe(0);
      expect(s.pending).toBe(0);
    }));
  });
});

describe('RTU decoder', () => {
  const r1 = encodeAdu(1, encodeResponse({ fc: FunctionCode.ReadHoldingRegisters, registers: [0x4332, 16, 0] }));
  const r2 = encodeAdu(1, encodeResponse({ fc: FunctionCode.WriteSingleCoil, address: 20000, value: true }));
  const r3 = encodeAdu(4, encodeResponse({ fc: FunctionCode.ReadInputRegisters, exception: ExceptionCode.ServerDeviceBusy } as Response));

  it('decodes the same frames when the stream is split at every boundary (master)', () => {
    const wire = Buffer.concat([r1, r2, r3]);
    for (let a = 0; a <= wire.length; a++) {
      for (let b = a; b <= wire.length; b += 5) {
        const d = new RtuDecoder('master');
        const ev = [...d.push(wire.subarray(0, a)), ...d.push(wire.subarray(a, b)), ...d.push(wire.subarray(b))];
        expect(frames(ev)).toEqual([hex(r1), hex(r2), hex(r3)]);
      }
    }
  });

  it('decodes requests split at every boundary (slave), including write-multiple', () => {
    const q1 = encodeAdu(3, encodeRequest({ fc: FunctionCode.WriteMultipleRegisters, address: 0, values: [1, 2, 3] }));
    const q2 = encodeAdu(2, encodeRequest({ fc: FunctionCode.ReadInputRegisters, address: 0x48, quantity: 4 }));
    const wire = Buffer.concat([q1, q2]);
    for (let cut = 0; cut <= wire.length; cut++) {
      const d = new RtuDecoder('slave');
      expect(frames([...d.push(wire.subarray(0, cut)), ...d.push(wire.subarray(cut))])).toEqual([hex(q1), hex(q2)]);
    }
  });

  it('counts a CRC error; a master drops the frame, a slave resynchronises on the next one', () => {
    const bad = Uint8Array.from(r1);
    bad[4]! ^= 0x40;
    const m = new RtuDecoder('master');
    expect(m.push(bad).map((e) => e.type)).toEqual(['crc']);
    expect(m.stats.crcErrors).toBe(1);
    expect(frames(m.push(r2))).toEqual([hex(r2)]);

    const q = encodeAdu(1, encodeRequest({ fc: FunctionCode.ReadCoils, address: 20000, quantity: 4 }));
    const s = new RtuDecoder('slave');
    const ev = s.push(Buffer.concat([Uint8Array.from([0x55, 0x01, 0x03]), q]));
    expect(frames(ev)).toEqual([hex(q)]);
    expect(s.stats.crcErrors).toBeGreaterThan(0);
  });

  it('drops an incomplete frame at a silence gap', () => {
    const d = new RtuDecoder('master');
    d.push(r1.subarray(0, 5));
    expect(d.gap()).toEqual([{ type: 'dropped', bytes: 5, reason: 'gap' }]);
    expect(frames(d.push(r1))).toEqual([hex(r1)]);
  });

  it('a slave takes a frame of an unsized function at the gap if its CRC holds', () => {
    const mei = encodeAdu(1, Uint8Array.from([0x2b, 0x0e, 0x01, 0x00]));
    const s = new RtuDecoder('slave');
    expect(s.push(mei)).toEqual([]);
    expect(frames(s.gap())).toEqual([hex(mei)]);
  });

  it('never holds more than one maximum ADU', () => {
    const s = new RtuDecoder('slave');
    const junk = new Uint8Array(1000).fill(0x01).map((_, i) => (i % 2 ? 0x2b : 0x01));
    s.push(junk);
    expect(s.pending).toBeLessThanOrEqual(256);
  });
});

describe('serial timing', () => {
  it('uses 3.5 characters below 19200 baud and 1.75 ms above', () => {
    expect(interFrameMs({ baudRate: 9600, parity: 'none', stopBits: 1 })).toBeCloseTo(3.646, 2);
    expect(interFrameMs({ baudRate: 9600, parity: 'even', stopBits: 1 })).toBeCloseTo(4.01, 2);
    expect(interFrameMs({ baudRate: 115200, parity: 'none', stopBits: 1 })).toBe(1.75);
    expect(wireTimeMs(8, { baudRate: 9600, parity: 'none', stopBits: 1 })).toBeCloseTo(8.333, 2);
  });
});
