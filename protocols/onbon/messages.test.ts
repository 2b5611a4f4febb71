import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeBrightness, decodeDeleteAreas, decodeRequest, decodeResponse, encodeResponse, onbonErrorName } from './messages.js';

describe('Onbon message parsers on outside input', () => {
  it('never throw on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
      decodeRequest(b);
      decodeResponse(b);
      decodeBrightness(b);
      decodeDeleteAreas(b);
    }), { numRuns: 2000 });
  });

  it('round-trip any response', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), fc.uint8Array({ maxLength: 40 }), (group, cmd, status, error, data) => {
      expect(decodeResponse(encodeResponse({ group, cmd, status, error, data }))).toEqual({ group, cmd, status, error, data });
    }));
  });

  it('names the card\'s error numbers, and unknown ones by number', () => {
    expect(onbonErrorName(5)).toBe('ERR_CHECKSUM');
    expect(onbonErrorName(18)).toBe('ERR_SCREEN_PARA');
    expect(onbonErrorName(77)).toBe('ERR_77');
  });
});
