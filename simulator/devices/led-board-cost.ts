/**
 * How long the simulated board takes to decode and apply a frame (docs/protocols/led-link.md
 * §8.3): a cost model of a microcontroller-class driver board (Cortex-M7 at ~400 MHz with a
 * hardware CRC unit and a miniz/uzlib-class inflate). The figures are assumptions stated in the
 * spec, not measurements of a part; they make the simulated board no faster than a real one.
 */
import type { RawFrame } from '../../protocols/led-link/frame.js';
import { BLIT_HEADER, Codec, MsgType } from '../../protocols/led-link/messages.js';

export interface DecodeCostModel {
  /** Fixed cost per frame (interrupt, dispatch), µs. */
  perFrameUs: number;
  /** CRC-32 per wire byte (hardware CRC), ns. */
  perWireByteNs: number;
  /** Reed–Solomon syndrome check per wire byte when the frame carries FEC, ns. */
  perFecByteNs: number;
  /** Inflate per output byte, ns. */
  inflatePerByteNs: number;
  /** Writing one pixel into the back buffer (palette look-up or copy), ns. */
  pixelWriteNs: number;
  /** PRESENT: swap at the next refresh plus copying back the blitted rectangles, ms. */
  presentMs: number;
}

export function decodeCostMs(m: DecodeCostModel, f: RawFrame, pixelsOverride?: number): number {
  let ns = m.perFrameUs * 1000 + f.payload.length * m.perWireByteNs + (f.fec ? f.payload.length * m.perFecByteNs : 0);
  if (f.type === MsgType.PRESENT) return ns / 1e6 + m.presentMs;
  if (f.type !== MsgType.BLIT || f.payload.length < BLIT_HEADER) return ns / 1e6;
  const p = f.payload;
  const px = pixelsOverride ?? (p[8]! | (p[9]! << 8)) * (p[10]! | (p[11]! << 8));
  const codec = p[12];
  if (codec === Codec.DEFLATE) ns += px * 2 * m.inflatePerByteNs;
  if (codec === Codec.PALETTE_DEFLATE) ns += px * m.inflatePerByteNs; // ≤ 1 byte of indices per pixel
  return (ns + px * m.pixelWriteNs) / 1e6;
}

/** The cost model's defaults: a Cortex-M7-class board (§8.3). */
export function defaultCost(): DecodeCostModel {
  return { perFrameUs: 20, perWireByteNs: 2, perFecByteNs: 40, inflatePerByteNs: 15, pixelWriteNs: 2, presentMs: 0.3 };
}

/** A maxPayload BLIT of the dearest codec, to announce the worst-case decode time in CAPS. */
export function worstBlit(size: number): Uint8Array {
  const p = new Uint8Array(size);
  p[12] = Codec.DEFLATE;
  return p;
}
