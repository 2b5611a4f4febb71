import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FrameDecoder, PREFIX_BYTES, SYNC, encodeFrame, frameWireLength, type DecodeResult } from './frame.js';

function decodeAll(chunks: Uint8Array[], maxPayload?: number) {
  const d = new FrameDecoder(maxPayload);
  return { out: chunks.flatMap((c) => d.push(c)), d };
}
const good = (out: DecodeResult[]) => out.filter((r) => r.ok).map((r) => r.ok && r.frame);
const fecs = fc.constantFrom(0, 8, 16, 32);

describe('LED link framing v2', () => {
  it('round-trips payloads with and without FEC', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 0xffff }), fecs, (payload, type, seq, fec) => {
      const wire = encodeFrame(type, seq, payload, fec);
      expect(wire.length).toBe(frameWireLength(payload.length, fec));
      expect([...wire.subarray(0, 4)]).toEqual([...SYNC]);
      const { out } = decodeAll([wire]);
      expect(out).toEqual([{ ok: true, frame: { type, seq, fec, payload: Uint8Array.from(payload), corrected: 0 } }]);
    }), { numRuns: 150 });
  });

  it('decodes the same frames however the stream is split', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.uint8Array({ maxLength: 600 }), fecs), { minLength: 1, maxLength: 4 }), fc.uint8Array({ maxLength: 40 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      (frames, noise, cuts) => {
        const wire = Buffer.concat([noise, ...frames.map(([p, fec], i) => encodeFrame(0x10, i + 1, p, fec))]);
        const whole = good(decodeAll([wire]).out);
        const points = [...new Set(cuts.map((c) => c % (wire.length + 1)))].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let at = 0;
        for (const p of points) { chunks.push(wire.subarray(at, p)); at = p; }
        chunks.push(wire.subarray(at));
        expect(good(decodeAll(chunks).out)).toEqual(whole);
        expect(whole.map((f) => f && f.seq)).toEqual(frames.map((_, i) => i + 1));
      }), { numRuns: 200 });
  });

  it('decodes a frame split at every single boundary', () => {
    const wire = Buffer.concat([Buffer.from([0xa5, 0x5a, 0x00]), encodeFrame(0x01, 7, Buffer.from('hello'), 8), encodeFrame(0x11, 8, new Uint8Array(11))]);
    for (let cut = 0; cut <= wire.length; cut++) {
      expect(good(decodeAll([wire.subarray(0, cut), wire.subarray(cut)]).out).map((f) => f && f.seq)).toEqual([7, 8]);
    }
  });

  it('never throws or hangs on random bytes, and its buffer stays bounded', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 2000 }), { maxLength: 8 }), (chunks) => {
      const { out, d } = decodeAll(chunks, 4096);
      for (const r of out) expect(typeof r.ok).toBe('boolean');
      expect(d.stats.frames).toBeLessThanOrEqual(out.length);
    }), { numRuns: 300 });
  });

  it('never throws on random bytes that contain sync words and plausible headers', () => {
    const sync = fc.constant(Uint8Array.from(SYNC));
    fc.assert(fc.property(fc.array(fc.oneof(sync, fc.uint8Array({ maxLength: 64 })), { maxLength: 40 }), (parts) => {
      decodeAll([Buffer.concat(parts)], 1024);
    }), { numRuns: 300 });
  });

  it('detects random corruption without FEC: a corrupted frame is never delivered wrong', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 400 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 6 }), (payload, flips) => {
      const wire = encodeFrame(0x10, 42, payload, 0);
      for (const [p, x] of flips) wire[PREFIX_BYTES + (p % (wire.length - PREFIX_BYTES))]! ^= x;
      for (const f of good(decodeAll([wire]).out)) expect(Buffer.from(f && f.payload).equals(Buffer.from(payload))).toBe(true);
    }), { numRuns: 400 });
  });

  it('repairs scattered corruption with FEC and counts the repairs', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 2000 }), fc.nat(), (payload, seed) => {
      const wire = encodeFrame(0x10, 9, payload, 16);
      // At most 1 error per 64 bytes: never more than 8 in a 255-byte block or 2 in the header.
      let s = seed;
      let hits = 0;
      for (let at = 4; at < wire.length; at += 64) {
        s = (s * 1103515245 + 12345) >>> 0;
        const p = at + (s % Math.min(64, wire.length - at));
        if (p < 16) continue;
        wire[p]! ^= 1 + (s >>> 24) % 255;
        hits++;
      }
      const f = good(decodeAll([wire]).out);
      expect(f).toHaveLength(1);
      expect(Buffer.from(f[0] && f[0].payload).equals(Buffer.from(payload))).toBe(true);
      expect(f[0] && f[0].corrected).toBe(hits);
    }), { numRuns: 150 });
  });

  it('survives a wrong sync byte and up to two header errors', () => {
    const wire = encodeFrame(0x11, 3, Uint8Array.of(1, 2, 3), 0);
    wire[1] = 0x00; // sync byte
    wire[5]! ^= 0xff; // header
    wire[14]! ^= 0x0f; // header parity
    expect(good(decodeAll([wire]).out).map((f) => f && f.seq)).toEqual([3]);
  });

  it('reports a body failure with the header seq so the receiver can NAK it', () => {
    const wire = encodeFrame(0x10, 77, new Uint8Array(100), 0);
    wire[40]! ^= 1;
    const { out } = decodeAll([wire]);
    expect(out).toEqual([{ ok: false, error: 'crc', type: 0x10, seq: 77, fec: 0, bytes: wire.length }]);
  });

  it('finds a frame that follows a truncated one (re-scan after failure)', () => {
    const cut = encodeFrame(0x10, 1, new Uint8Array(300), 0).subarray(0, 120);
    const next = encodeFrame(0x01, 2, Uint8Array.of(2, 0, 0, 0), 0);
    const tail = encodeFrame(0x14, 3, new Uint8Array(0), 0);
    // The truncated frame's announced length swallows `next`; the re-scan finds it anyway.
    const wire = Buffer.concat([cut, next, tail, new Uint8Array(400)]);
    expect(good(decodeAll([wire]).out).map((f) => f && f.seq)).toEqual([2, 3]);
  });

  it('drops a partial frame on request and still finds frames inside it', () => {
    const d = new FrameDecoder();
    const cut = encodeFrame(0x10, 1, new Uint8Array(300), 0).subarray(0, 60);
    const next = encodeFrame(0x14, 2, new Uint8Array(0), 0);
    expect(d.push(Buffer.concat([cut, next]))).toEqual([]);
    expect(d.midFrame).toBe(true);
    expect(good(d.dropPartial()).map((f) => f && f.seq)).toEqual([2]);
    expect(d.midFrame).toBe(false);
  });

  it('refuses a header announcing more than the receiver accepts', () => {
    const { out } = decodeAll([encodeFrame(0x10, 5, new Uint8Array(2000), 0)], 1024);
    expect(out[0]).toMatchObject({ ok: false, error: 'too-long', seq: 5 });
  });
});
