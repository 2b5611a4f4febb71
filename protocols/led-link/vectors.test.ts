/** The test vectors of docs/protocols/led-link.md §12, checked in both directions. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FrameDecoder, encodeFrame, type RawFrame } from './frame.js';
import * as M from './messages.js';
import { decodePixels } from './pixel-codecs.js';

const doc = readFileSync(join(import.meta.dirname, '../../docs/protocols/led-link.md'), 'utf8');
const vector = (label: string) => {
  const row = doc.split('\n').find((l) => l.startsWith(`| ${label} |`));
  if (!row) throw new Error(`vector "${label}" not in the spec`);
  return Buffer.from(row.split('`').at(-2)!.replaceAll(' ', ''), 'hex');
};
const decode = (b: Uint8Array): RawFrame => {
  const [r] = new FrameDecoder().push(b);
  if (!r?.ok) throw new Error(`vector does not decode: ${JSON.stringify(r)}`);
  return r.frame;
};

/** Each row: its label, the message, how to encode it, how to decode it. */
const cases: { label: string; type: number; seq: number; fec?: number; value: unknown; enc: (v: never) => Uint8Array; dec: (p: Uint8Array) => unknown }[] = [
  { label: 'HELLO seq 1 fec 8', type: M.MsgType.HELLO, seq: 1, fec: 8, value: { version: 2, statusIntervalMs: 5000 }, enc: M.encodeHello, dec: M.decodeHello },
  {
    label: 'CAPS seq 1 fec 8', type: M.MsgType.CAPS, seq: 1, fec: 8, enc: M.encodeCaps, dec: M.decodeCaps,
    value: { reason: 0, helloSeq: 1, version: 2, width: 480, height: 800, pixelFormat: 1, maxPayload: 8192, rxWindow: 16, codecs: 0x1f, features: 0x7e, maxFec: 32, moduleCols: 3, moduleRows: 5, decodeMs: 3, bootId: 0x12345678, firmware: 'sim-board 2.0' },
  },
  { label: 'BLIT seq 2 SOLID', type: M.MsgType.BLIT, seq: 2, enc: M.encodeBlit, dec: M.decodeBlit, value: { frameId: 1, x: 0, y: 0, w: 480, h: 136, codec: M.Codec.SOLID, data: Uint8Array.of(0x00, 0xf8) } },
  {
    label: 'BLIT seq 3 PALETTE_DEFLATE', type: M.MsgType.BLIT, seq: 3, enc: M.encodeBlit, dec: M.decodeBlit,
    value: { frameId: 1, x: 8, y: 4, w: 4, h: 2, codec: M.Codec.PALETTE_DEFLATE, data: Uint8Array.of(1, 0x00, 0xf8, 0xff, 0xff, 0x0b, 0x58, 0x00, 0x00) },
  },
  { label: 'PRESENT seq 4', type: M.MsgType.PRESENT, seq: 4, enc: M.encodePresent, dec: M.decodePresent, value: { frameId: 1, blits: 2, crc: 0xdeadbeef } },
  { label: 'BRIGHTNESS seq 5', type: M.MsgType.BRIGHTNESS, seq: 5, enc: M.encodeBrightness, dec: M.decodeBrightness, value: { percent: 40, rampMs: 2000 } },
  { label: 'TEST_PATTERN seq 6', type: M.MsgType.TEST_PATTERN, seq: 6, enc: M.encodeTestPattern, dec: M.decodeTestPattern, value: { pattern: M.TestPattern.GRID, r: 0, g: 0, b: 0, param: 20 } },
  { label: 'STATUS_REQ seq 7', type: M.MsgType.STATUS_REQ, seq: 7, enc: () => new Uint8Array(0), dec: (p) => (p.length === 0 ? {} : null), value: {} },
  { label: 'RESET seq 8', type: M.MsgType.RESET, seq: 8, enc: () => M.encodeReset(), dec: M.decodeReset, value: { mode: 1 } },
  { label: 'ACK seq 9', type: M.MsgType.ACK, seq: 9, enc: M.encodeAck, dec: M.decodeAck, value: { cumSeq: 5, sack: 0b101, corrected: 3 } },
  { label: 'NAK seq 10', type: M.MsgType.NAK, seq: 10, enc: M.encodeNak, dec: M.decodeNak, value: { seq: 6, reason: M.NakReason.CRC, cumSeq: 6, sack: 0b10, corrected: 0 } },
  {
    label: 'STATUS seq 11', type: M.MsgType.STATUS, seq: 11, enc: M.encodeStatus, dec: M.decodeStatus,
    value: { bootId: 0x12345678, uptimeS: 3600, temperatureC: 41.5, supplyMv: 5020, ambientLux: 12000, brightness: 80, testPattern: 0, lastFrameId: 42, presents: 42, blits: 300, rxFrames: 350, rxErrors: 2, fecCorrected: 17, faults: 0b100, moduleCount: 15, failedModules: [4] },
  },
  { label: 'FAULT seq 12', type: M.MsgType.FAULT, seq: 12, enc: M.encodeFault, dec: M.decodeFault, value: { code: M.FaultCode.MODULE, active: true, module: 4, value: 0 } },
];

describe('LED link spec vectors (docs/protocols/led-link.md §12)', () => {
  for (const c of cases) {
    it(`${c.label}: encodes to the spec bytes and decodes back`, () => {
      const want = vector(c.label);
      expect(encodeFrame(c.type, c.seq, c.enc(c.value as never), c.fec ?? 0).toString('hex')).toBe(want.toString('hex'));
      const f = decode(want);
      expect(f).toMatchObject({ type: c.type, seq: c.seq, fec: c.fec ?? 0, corrected: 0 });
      expect(c.dec(f.payload)).toEqual(c.value);
    });
  }

  it('the PALETTE_DEFLATE vector decodes to the documented checkerboard', () => {
    const b = M.decodeBlit(decode(vector('BLIT seq 3 PALETTE_DEFLATE')).payload)!;
    const out = new Uint16Array(8);
    expect(decodePixels(b.codec, b.data, b.w, b.h, out)).toBe(true);
    const R = 0xf800, Wt = 0xffff;
    expect([...out]).toEqual([R, Wt, R, Wt, Wt, R, Wt, R]);
  });

  it('the HELLO vector survives 2 header and 4 body byte errors', () => {
    const wire = Buffer.from(vector('HELLO seq 1 fec 8'));
    wire[5]! ^= 0x55; wire[13]! ^= 0x0f; // header bytes
    wire[16]! ^= 0xff; wire[19]! ^= 0x01; wire[22]! ^= 0x80; wire[30]! ^= 0x33; // body bytes
    const f = decode(wire);
    expect(f).toMatchObject({ type: M.MsgType.HELLO, seq: 1, corrected: 6 });
    expect(M.decodeHello(f.payload)).toEqual({ version: 2, statusIntervalMs: 5000 });
  });
});
