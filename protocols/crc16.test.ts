import { describe, expect, it } from 'vitest';
import { crc16Arc, crc16Modbus } from './crc16.js';

describe('crc16', () => {
  const check = new TextEncoder().encode('123456789');
  it('matches the catalogued check values', () => {
    expect(crc16Modbus(check)).toBe(0x4b37);
    expect(crc16Arc(check)).toBe(0xbb3d);
  });
  it('matches a real Modbus RTU request (01 03 00 00 00 0A → C5 CD)', () => {
    const req = Uint8Array.from([0x01, 0x03, 0x00, 0x00, 0x00, 0x0a]);
    const crc = crc16Modbus(req);
    expect([crc & 0xff, crc >> 8]).toEqual([0xc5, 0xcd]);
  });
  it('honours a sub-range', () => {
    const padded = Uint8Array.from([9, 9, ...check, 9]);
    expect(crc16Modbus(padded, 2, 11)).toBe(0x4b37);
  });
});
