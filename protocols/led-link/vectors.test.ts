/** The test vectors of docs/protocols/led-link.md §5, checked in both directions. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FrameDecoder, encodeFrame } from './frame.js';
import { MsgType, decodeAck, decodeCaps, decodePresent, encodeAck, encodeCaps, encodePresent } from './messages.js';

const doc = readFileSync(join(import.meta.dirname, '../../docs/protocols/led-link.md'), 'utf8');
const vector = (label: string) => {
  const row = doc.split('\n').find((l) => l.startsWith(`| ${label}`));
  if (!row) throw new Error(`vector "${label}" not in the spec`);
  return Buffer.from(row.split('`').at(-2)!.replaceAll(' ', ''), 'hex');
};
const decode = (b: Buffer) => {
  const [r] = new FrameDecoder().push(b);
  if (!r?.ok) throw new Error('vector does not decode');
  return r.frame;
};

describe('LED link spec vectors', () => {
  it('HELLO', () => {
    expect(encodeFrame(MsgType.HELLO, 1, new Uint8Array(0))).toEqual(vector('HELLO seq 1'));
    expect(decode(vector('HELLO seq 1'))).toMatchObject({ type: MsgType.HELLO, seq: 1 });
  });
  it('CAPS', () => {
    const caps = { width: 480, height: 800, pixelFormat: 1 as const, maxPayload: 4096, encodings: 3, firmware: 'sim-board 1.0' };
    expect(encodeFrame(MsgType.CAPS, 0, encodeCaps(caps))).toEqual(vector('CAPS seq 0'));
    expect(decodeCaps(decode(vector('CAPS seq 0')).payload)).toEqual(caps);
  });
  it('ACK with an escaped byte', () => {
    expect(encodeFrame(MsgType.ACK, 7, encodeAck(0x5a))).toEqual(vector('ACK seq 7'));
    expect(decodeAck(decode(vector('ACK seq 7')).payload)).toEqual({ seq: 0x5a });
  });
  it('PRESENT', () => {
    expect(encodeFrame(MsgType.PRESENT, 9, encodePresent(1))).toEqual(vector('PRESENT seq 9'));
    expect(decodePresent(decode(vector('PRESENT seq 9')).payload)).toEqual({ frameId: 1 });
  });
});
