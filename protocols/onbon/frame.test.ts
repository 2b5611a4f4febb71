import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeFrame, OnbonFrameDecoder, type OnbonDecodeResult } from './frame.js';
import { HOST_ADDRESS, PROTOCOL_VERSION } from './header.js';

const H = { dst: 1, src: HOST_ADDRESS, protocol: PROTOCOL_VERSION, deviceType: 0x0174 };
const summary = (rs: OnbonDecodeResult[]) => rs.map((r) => (r.ok ? Array.from(r.frame.data).join(',') : `!${r.error}`));

describe('OnbonFrameDecoder', () => {
  const a = encodeFrame(H, Uint8Array.of(1, 0xa7, 0, 0xa5, 0xa6, 0x5a, 0x5b, 9));
  const b = encodeFrame({ ...H, dst: 0xfffe }, Uint8Array.of(0, 0xa0, 0, 0, 0, 0, 0, 0, 0));
  const stream = Buffer.concat([Uint8Array.of(0x00, 0x5a, 0x11), a, Uint8Array.of(0x77), b]);
  const whole = summary(new OnbonFrameDecoder().push(stream));

  it('finds both frames in a stream with noise between them', () => {
    expect(whole).toEqual(['1,167,0,165,166,90,91,9', '0,160,0,0,0,0,0,0,0']);
  });

  it('gives the same frames for the stream split at every boundary (one and two cuts)', () => {
    for (let i = 0; i <= stream.length; i++) {
      const d = new OnbonFrameDecoder();
      expect(summary([...d.push(stream.subarray(0, i)), ...d.push(stream.subarray(i))])).toEqual(whole);
    }
    for (let i = 0; i <= stream.length; i += 3) {
      for (let j = i; j <= stream.length; j += 5) {
        const d = new OnbonFrameDecoder();
        expect(summary([...d.push(stream.subarray(0, i)), ...d.push(stream.subarray(i, j)), ...d.push(stream.subarray(j))])).toEqual(whole);
      }
    }
  });

  it('reports a flipped byte as a CRC or escape failure and still finds the next frame', () => {
    const bad = Buffer.from(a);
    bad[30] = bad[30]! ^ 0x01;
    const rs = new OnbonFrameDecoder().push(Buffer.concat([bad, b]));
    expect(rs.length).toBe(2);
    expect(rs[0]!.ok).toBe(false);
    expect(rs[1]!.ok).toBe(true);
  });

  it('reports a frame cut by a new start', () => {
    const rs = new OnbonFrameDecoder().push(Buffer.concat([a.subarray(0, 20), b]));
    expect(summary(rs)).toEqual(['!cut', '0,160,0,0,0,0,0,0,0']);
  });

  it('gives up on an over-long frame and hunts again', () => {
    const d = new OnbonFrameDecoder({ maxFrameBytes: 16 });
    expect(summary(d.push(Buffer.concat([a, b])))).toEqual(['!too-long', '!too-long']);
    expect(d.inFrame).toBe(false);
  });

  it('never throws on random bytes, and every frame it returns has a consistent header', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 8 }), (chunks) => {
      const d = new OnbonFrameDecoder({ maxFrameBytes: 400 });
      for (const c of chunks) {
        for (const r of d.push(c)) if (r.ok) expect(r.frame.header.dataLen).toBe(r.frame.data.length);
      }
    }), { numRuns: 500 });
  });

  it('round-trips any data through any chunking', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(400), { maxLength: 6 }), (data, cuts) => {
      const f = encodeFrame(H, data);
      const points = [...new Set(cuts.map((c) => c % (f.length + 1)))].sort((x, y) => x - y);
      const d = new OnbonFrameDecoder();
      const rs: OnbonDecodeResult[] = [];
      let at = 0;
      for (const p of [...points, f.length]) { rs.push(...d.push(f.subarray(at, p))); at = p; }
      expect(rs.length).toBe(1);
      expect(rs[0]!.ok && Array.from(rs[0]!.frame.data)).toEqual(Array.from(data));
    }), { numRuns: 300 });
  });
});
