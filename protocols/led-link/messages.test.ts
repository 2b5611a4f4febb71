import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as M from './messages.js';

const decoders = [M.decodeHello, M.decodeCaps, M.decodeBlit, M.decodePresent, M.decodeBrightness, M.decodeTestPattern, M.decodeReset, M.decodeStatus, M.decodeFault, M.decodeAck, M.decodeNak];

describe('LED link message decoders', () => {
  it('never throw on random payloads', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), (p) => {
      for (const d of decoders) d(p);
    }), { numRuns: 1000 });
  });

  it('round-trip random STATUS and NAK values', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 64 }), fc.uniqueArray(fc.nat({ max: 63 })), fc.integer({ min: 0, max: 100 }), (modules, failed, brightness) => {
      const s: M.Status = {
        bootId: 7, uptimeS: 1, temperatureC: -12.5, supplyMv: 4900, ambientLux: null, brightness, testPattern: 0, lastFrameId: 3, presents: 3, blits: 9,
        rxFrames: 12, rxErrors: 0, fecCorrected: 0, faults: 0, moduleCount: modules, failedModules: failed.filter((m) => m < modules).sort((a, b) => a - b),
      };
      expect(M.decodeStatus(M.encodeStatus(s))).toEqual(s);
    }));
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 0xffff }), fc.nat(), (seq, reason, cumSeq, sack) => {
      const n = { seq, reason, cumSeq, sack: sack >>> 0, corrected: 5 };
      expect(M.decodeNak(M.encodeNak(n))).toEqual(n);
    }));
  });

  it('classifies NAK reasons: transport ones are retried, application ones are not', () => {
    for (const r of [M.NakReason.CRC, M.NakReason.TOO_LONG, M.NakReason.WINDOW, M.NakReason.BUSY]) expect(M.nakIsRetryable(r)).toBe(true);
    for (const r of [M.NakReason.UNKNOWN_TYPE, M.NakReason.BAD_PAYLOAD, M.NakReason.DECODE, M.NakReason.MISMATCH, M.NakReason.INCOMPLETE]) expect(M.nakIsRetryable(r)).toBe(false);
  });

  it('refuses a BLIT larger than 65536 pixels or of an unknown codec', () => {
    expect(M.decodeBlit(M.encodeBlit({ frameId: 1, x: 0, y: 0, w: 480, h: 137, codec: M.Codec.SOLID, data: new Uint8Array(2) }))).toBeNull();
    const p = M.encodeBlit({ frameId: 1, x: 0, y: 0, w: 4, h: 4, codec: M.Codec.SOLID, data: new Uint8Array(2) });
    p[12] = 9;
    expect(M.decodeBlit(p)).toBeNull();
  });
});
