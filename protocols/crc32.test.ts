import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32, crc32Table } from './crc32.js';

describe('CRC-32/ISO-HDLC', () => {
  it('has the catalogue check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32Table(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
  it('native and table agree, also when continued over pieces', () => {
    fc.assert(fc.property(fc.uint8Array(), fc.uint8Array(), (a, b) => {
      const whole = Buffer.concat([a, b]);
      expect(crc32Table(whole)).toBe(crc32(whole));
      expect(crc32Table(b, crc32Table(a))).toBe(crc32(whole));
    }));
  });
});
