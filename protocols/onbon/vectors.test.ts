/**
 * Test vectors from the vendor's dynamic-area manuals (onbonlab/BX-V-VI, "5th/6th动态区域用户手册",
 * §5.5.1 ping example, §2.3 escaping, appendix 1 CRC; docs/protocols/onbon.md §7), both directions.
 */
import { describe, expect, it } from 'vitest';
import { crc16Arc } from '../crc16.js';
import { escape, unescape } from './escape.js';
import { encodeFrame, OnbonFrameDecoder } from './frame.js';
import { ANY_ADDRESS, ANY_DEVICE, HOST_ADDRESS, PROTOCOL_VERSION, readHeader } from './header.js';
import { decodeRequest, encodePing, Group, Cmd, encodeBrightness, decodeBrightness, encodeDeleteAreas, decodeDeleteAreas, encodeResponse, decodeResponse, ack, nack, isAck, isNack } from './messages.js';

const hex = (s: string) => Uint8Array.from(s.trim().split(/\s+/).map((h) => parseInt(h, 16)));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

// The manual's ping example: wildcard screen (FFFE), source 8000, version F0, wildcard device type.
const PING = 'a5 a5 a5 a5 a5 a5 a5 a5 fe ff 00 80 f0 00 fe ff 00 00 00 00 05 00 00 00 01 A2 00 00 00 C6 86 5a';

describe('Onbon vectors from the vendor manual', () => {
  it('encodes the ping example byte for byte', () => {
    const f = encodeFrame({ dst: ANY_ADDRESS, src: HOST_ADDRESS, protocol: PROTOCOL_VERSION, deviceType: ANY_DEVICE }, encodePing());
    expect(toHex(f)).toBe(toHex(hex(PING)));
  });

  it('decodes the ping example', () => {
    const [r] = new OnbonFrameDecoder().push(hex(PING));
    expect(r?.ok).toBe(true);
    if (!r?.ok) return;
    expect(r.frame.header).toEqual({ dst: 0xfffe, src: 0x8000, protocol: 0xf0, deviceType: 0xfffe, dataLen: 5 });
    const req = decodeRequest(r.frame.data);
    expect(req).toMatchObject({ rtnReq: 1, group: Group.SYSTEM, cmd: Cmd.PING });
    expect(Array.from(req!.body)).toEqual([0, 0]);
  });

  it('the ping CRC is CRC-16/ARC (poly 0x8005 reflected, init 0) of header ‖ data, little-endian', () => {
    const p = hex(PING).subarray(8, 8 + 16 + 5);
    expect(crc16Arc(p)).toBe(0x86c6);
    expect(crc16Arc(new TextEncoder().encode('123456789'))).toBe(0xbb3d);
    expect(readHeader(p).dataLen).toBe(5);
  });

  it('escapes the four special bytes as the manual lists them, and back', () => {
    expect(toHex(escape(hex('a5 a6 5a 5b 00 ff')))).toBe('a6 02 a6 01 5b 02 5b 01 00 ff');
    expect(toHex(unescape(hex('a6 02 a6 01 5b 02 5b 01 00 ff'))!)).toBe('a5 a6 5a 5b 00 ff');
    expect(unescape(hex('a6 03'))).toBeNull();
    expect(unescape(hex('5b'))).toBeNull();
  });

  it('computes the CRC before escaping and escapes the CRC too', () => {
    // Data chosen so the CRC itself contains an escaped byte: the frame must still decode.
    for (let n = 0; n < 300; n++) {
      const data = Uint8Array.of(1, 0xa2, 0, n & 0xff, n >> 8, 0xa5, 0x5a);
      const f = encodeFrame({ dst: 1, src: HOST_ADDRESS, protocol: PROTOCOL_VERSION, deviceType: 0x0154 }, data);
      expect(f.subarray(8, -1).includes(0xa5)).toBe(false);
      expect(f.subarray(8, -1).includes(0x5a)).toBe(false);
      const [r] = new OnbonFrameDecoder().push(f);
      expect(r?.ok && Array.from(r.frame.data)).toEqual(Array.from(data));
    }
  });

  it('brightness A2 07: 49-byte length, mode, 48 half-hour levels', () => {
    const m = encodeBrightness({ mode: 'manual', level: 9 });
    expect(toHex(m.subarray(0, 6))).toBe('01 a2 07 31 00 00');
    expect(m.length).toBe(3 + 2 + 1 + 48);
    expect(m.subarray(6).every((l) => l === 9)).toBe(true);
    expect(decodeBrightness(m.subarray(3))).toEqual({ mode: 'manual', level: 9 });
    const levels = Array.from({ length: 48 }, (_, i) => (i < 12 || i >= 40 ? 1 : 15));
    expect(decodeBrightness(encodeBrightness({ mode: 'table', levels }).subarray(3))).toEqual({ mode: 'table', levels });
    expect(() => encodeBrightness({ mode: 'manual', level: 16 })).toThrow(RangeError);
  });

  it('delete areas A7 01: a list, or FF for all with no ids', () => {
    expect(toHex(encodeDeleteAreas([0, 2]))).toBe('01 a7 01 00 00 02 00 02');
    expect(toHex(encodeDeleteAreas('all'))).toBe('01 a7 01 00 00 ff');
    expect(decodeDeleteAreas(encodeDeleteAreas([0, 2]).subarray(3))).toEqual([0, 2]);
    expect(decodeDeleteAreas(encodeDeleteAreas('all').subarray(3))).toBe('all');
  });

  it('ACK is A0 00 with status bit 0 clear; NACK A0 01 with bit 0 set and the error number', () => {
    expect(toHex(encodeResponse(ack()))).toBe('00 a0 00 00 00 00 00 00 00');
    expect(toHex(encodeResponse(nack(5)))).toBe('00 a0 01 01 00 05 00 00 00');
    expect(isAck(decodeResponse(hex('00 a0 00 00 00 00 00 00 00'))!)).toBe(true);
    const n = decodeResponse(hex('00 a0 01 01 00 05 00 00 00'))!;
    expect(isNack(n) && n.error).toBe(5);
    expect(decodeResponse(hex('00 a0 00 00 00 00 00 01 00'))).toBeNull();
  });
});
