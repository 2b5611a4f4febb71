import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EGALAX_MAX, EgalaxDecoder, decodeEgalaxPacket, encodeEgalaxPacket, type EgalaxPacket } from './egalax.js';

/**
 * A line-by-line transliteration of egalax_ts_serial.c (egalax_interrupt + egalax_process_data),
 * kept separate from the implementation so the test checks one against the other.
 */
function kernelDriver(bytes: number[]): { touch: number; x: number; y: number }[] {
  const reports: { touch: number; x: number; y: number }[] = [];
  const data = [0, 0, 0, 0, 0, 0];
  let idx = 0;
  for (const byte of bytes) {
    data[idx++] = byte;
    if (data[0]! & 0x80) {
      const pktLen = data[0]! & 0x40 ? 6 : 5;
      if (pktLen === idx) {
        const shift = 3 - ((data[0]! & 0x06) >> 1);
        const mask = (0xff >> (shift + 1)) & 0xff;
        const x = ((((data[1]! & mask) << 7) | (data[2]! & 0x7f)) << shift) & 0xffff;
        const y = ((((data[3]! & mask) << 7) | (data[4]! & 0x7f)) << shift) & 0xffff;
        reports.push({ touch: data[0]! & 0x01, x, y });
        idx = 0;
      }
    } else {
      idx = 0;
    }
  }
  return reports;
}

const asReport = (p: EgalaxPacket) => ({ touch: p.touching ? 1 : 0, x: p.x, y: p.y });

describe('eGalax packets (egalax_ts_serial.c)', () => {
  it('decodes hand-computed packets at every resolution', () => {
    // res 3 (14-bit, shift 0): x = 0x2A5B → hi 0x54, lo 0x5B; y = 0x0123 → hi 0x02, lo 0x23.
    expect(decodeEgalaxPacket([0x87, 0x54, 0x5b, 0x02, 0x23])).toEqual({ touching: true, x: 0x2a5b, y: 0x0123, resolution: 3 });
    // res 0 (11-bit, shift 3, mask 0x0F): b1 = 0x7A → 0x0A; x = (0x0A<<7 | 0x11) << 3 = 0x2888.
    expect(decodeEgalaxPacket([0x81, 0x7a, 0x11, 0x00, 0x7f])).toEqual({ touching: true, x: ((0x0a << 7) | 0x11) << 3, y: 0x7f << 3, resolution: 0 });
    // res 1 (12-bit, shift 2, mask 0x1F), release.
    expect(decodeEgalaxPacket([0x82, 0x3f, 0x7f, 0x10, 0x00])).toEqual({ touching: false, x: ((0x1f << 7) | 0x7f) << 2, y: (0x10 << 7) << 2, resolution: 1 });
    // res 2 (13-bit, shift 1, mask 0x3F), 6-byte packet with pressure.
    expect(decodeEgalaxPacket([0xc5, 0x7f, 0x7f, 0x40, 0x01, 0x55])).toEqual({ touching: true, x: ((0x3f << 7) | 0x7f) << 1, y: 1 << 1, resolution: 2, pressure: 0x55 });
  });

  it('the largest coordinate stays below the driver range 0x4000 at every resolution', () => {
    for (const res of [0, 1, 2, 3]) {
      const p = decodeEgalaxPacket([0x81 | (res << 1), 0x7f, 0x7f, 0x7f, 0x7f]);
      expect(p.x).toBeLessThan(EGALAX_MAX);
      expect(p.x).toBe(EGALAX_MAX - (1 << (3 - res)));
    }
  });

  it('encoder and decoder agree (the simulated panel speaks the driver\'s language)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: EGALAX_MAX - 1 }), fc.integer({ min: 0, max: EGALAX_MAX - 1 }), fc.boolean(),
      fc.constantFrom(0, 1, 2, 3) as fc.Arbitrary<0 | 1 | 2 | 3>, fc.option(fc.integer({ min: 0, max: 127 }), { nil: undefined }),
      (x, y, touching, resolution, pressure) => {
        const bytes = encodeEgalaxPacket({ x, y, touching, resolution, pressure });
        expect(bytes.length).toBe(pressure === undefined ? 5 : 6);
        const step = 1 << (3 - resolution);
        const p = new EgalaxDecoder().push(bytes);
        expect(p).toHaveLength(1);
        expect(p[0]).toMatchObject({ touching, resolution, x: Math.floor(x / step) * step, y: Math.floor(y / step) * step });
        if (pressure !== undefined) expect(p[0]!.pressure).toBe(pressure);
      }));
  });

  it('frames the same packets however the stream is split', () => {
    const wire = [
      ...encodeEgalaxPacket({ touching: true, x: 100, y: 200 }),
      ...encodeEgalaxPacket({ touching: true, x: 300, y: 400, pressure: 12, resolution: 1 }),
      ...encodeEgalaxPacket({ touching: false, x: 300, y: 400, resolution: 0 }),
    ];
    const whole = new EgalaxDecoder().push(wire);
    expect(whole).toHaveLength(3);
    for (let cut = 0; cut <= wire.length; cut++) {
      for (let cut2 = cut; cut2 <= wire.length; cut2++) {
        const d = new EgalaxDecoder();
        const got = [...d.push(wire.slice(0, cut)), ...d.push(wire.slice(cut, cut2)), ...d.push(wire.slice(cut2))];
        expect(got).toEqual(whole);
      }
    }
  });

  it('drops bytes without the start bit at index 0, as the driver does, and counts them', () => {
    const d = new EgalaxDecoder();
    const out = d.push([0x00, 0x13, 0x7f, ...encodeEgalaxPacket({ touching: true, x: 8, y: 8 })]);
    expect(out).toHaveLength(1);
    expect(d.stats.unsynchronizedBytes).toBe(3);
  });

  it('matches the kernel driver on random byte streams, split anywhere, and never buffers more than a packet', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 400 }), fc.integer({ min: 1, max: 17 }), (bytes, chunk) => {
      const d = new EgalaxDecoder();
      const got: EgalaxPacket[] = [];
      for (let i = 0; i < bytes.length; i += chunk) {
        got.push(...d.push(bytes.slice(i, i + chunk)));
        expect(d.pending).toBeLessThan(6);
      }
      expect(got.map(asReport)).toEqual(kernelDriver(bytes));
      for (const p of got) {
        expect(p.x).toBeGreaterThanOrEqual(0);
        expect(p.x).toBeLessThan(EGALAX_MAX);
        expect(p.y).toBeLessThan(EGALAX_MAX);
      }
    }));
  });
});
