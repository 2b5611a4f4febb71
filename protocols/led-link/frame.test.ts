import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EOF, FrameDecoder, SOF, encodeFrame } from './frame.js';

function decodeAll(chunks: Uint8Array[]) {
  const d = new FrameDecoder();
  return { out: chunks.flatMap((c) => d.push(c)), d };
}

describe('LED link framing', () => {
  it('round-trips a frame whose payload needs every escape', () => {
    const payload = Uint8Array.from([SOF, 0xa6, EOF, 0x5b, 0x00, 0xff]);
    const wire = encodeFrame(0x10, 0x1234, payload);
    expect(wire[0]).toBe(SOF);
    expect(wire.at(-1)).toBe(EOF);
    expect([...wire.subarray(1, -1)]).not.toContain(SOF);
    expect([...wire.subarray(1, -1)]).not.toContain(EOF);
    const [r] = decodeAll([wire]).out;
    expect(r).toEqual({ ok: true, frame: { version: 1, type: 0x10, seq: 0x1234, payload } });
  });

  it('decodes the same frames when the stream is split at every boundary', () => {
    const a = encodeFrame(0x01, 1, new Uint8Array(0));
    const b = encodeFrame(0x10, 2, Uint8Array.from([1, 2, 3, SOF, EOF]));
    const wire = Buffer.concat([Buffer.from([0x00, 0x13]), a, b]);
    for (let cut = 0; cut <= wire.length; cut++) {
      const { out } = decodeAll([wire.subarray(0, cut), wire.subarray(cut)]);
      expect(out.filter((r) => r.ok).map((r) => r.ok && r.frame.seq)).toEqual([1, 2]);
    }
  });

  it('reports CRC errors and resynchronises on the next frame', () => {
    const good = encodeFrame(0x11, 7, Uint8Array.from([9, 9, 9, 9]));
    const bad = Buffer.from(good);
    bad[8] ^= 0x01; // a payload byte
    const { out, d } = decodeAll([bad, good]);
    expect(out[0]).toMatchObject({ ok: false, error: 'crc' });
    expect(out[1]).toMatchObject({ ok: true });
    expect(d.stats.errors.crc).toBe(1);
  });

  it('reports a frame cut short by a new SOF as truncated', () => {
    const good = encodeFrame(0x11, 7, Uint8Array.from([1, 2, 3, 4]));
    const { out } = decodeAll([good.subarray(0, 6), good]);
    expect(out.map((r) => (r.ok ? 'ok' : r.error))).toEqual(['truncated', 'ok']);
  });

  it('bounds its buffer: an endless frame is dropped as too long', () => {
    const d = new FrameDecoder(64);
    const out = d.push(Buffer.concat([Buffer.from([SOF]), Buffer.alloc(1000, 1), Buffer.from([EOF])]));
    expect(out).toEqual([{ ok: false, error: 'too-long', bytes: 1002 }]);
  });

  it('never throws on random bytes and never yields a frame with a bad CRC', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 1, max: 64 }), (bytes, chunk) => {
      const d = new FrameDecoder(256);
      for (let i = 0; i < bytes.length; i += chunk) {
        for (const r of d.push(bytes.subarray(i, i + chunk))) {
          if (r.ok) expect(encodeFrame(r.frame.type, r.frame.seq, r.frame.payload).length).toBeGreaterThan(0);
        }
      }
    }), { numRuns: 300 });
  });

  it('detects random corruption of any single byte', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (payload, pos, flip) => {
      const wire = Buffer.from(encodeFrame(0x10, 42, payload));
      const i = 1 + (pos % (wire.length - 2));
      wire[i] ^= flip;
      const { out } = decodeAll([wire]);
      const same = out.filter((r) => r.ok && r.frame.seq === 42 && Buffer.compare(Buffer.from(r.frame.payload), Buffer.from(payload)) === 0);
      expect(same).toHaveLength(0);
    }), { numRuns: 500 });
  });

  it('round-trips any payload in any chunking', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 5 }), fc.integer({ min: 1, max: 50 }), (payloads, chunk) => {
      const wire = Buffer.concat(payloads.map((p, i) => encodeFrame(0x10, i + 1, p)));
      const d = new FrameDecoder();
      const got: Uint8Array[] = [];
      for (let i = 0; i < wire.length; i += chunk) for (const r of d.push(wire.subarray(i, i + chunk))) if (r.ok) got.push(r.frame.payload);
      expect(got.map((g) => [...g])).toEqual(payloads.map((p) => [...p]));
    }));
  });
});
