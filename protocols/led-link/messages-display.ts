/**
 * LED link display messages (docs/protocols/led-link.md §3.3 BLIT, §3.4 PRESENT, §3.5 BRIGHTNESS,
 * §3.6 TEST_PATTERN): what changes the picture. Decoders return null for a malformed payload and
 * never throw.
 */
import { Codec, TestPattern } from './message-codes.js';
import { view } from './message-view.js';

// --- BLIT -----------------------------------------------------------------------------------
export interface Blit {
  frameId: number;
  x: number;
  y: number;
  w: number;
  h: number;
  codec: Codec;
  data: Uint8Array;
}

export const BLIT_HEADER = 13;
/** Largest rectangle one BLIT may carry, so a board's decode scratch is bounded (§4). */
export const MAX_BLIT_PIXELS = 65536;

export function encodeBlit(m: Blit): Uint8Array {
  const b = new Uint8Array(BLIT_HEADER + m.data.length);
  const v = view(b);
  v.setUint32(0, m.frameId >>> 0, true);
  v.setUint16(4, m.x, true);
  v.setUint16(6, m.y, true);
  v.setUint16(8, m.w, true);
  v.setUint16(10, m.h, true);
  v.setUint8(12, m.codec);
  b.set(m.data, BLIT_HEADER);
  return b;
}

export function decodeBlit(p: Uint8Array): Blit | null {
  if (p.length < BLIT_HEADER) return null;
  const v = view(p);
  const codec = v.getUint8(12);
  if (codec > Codec.SOLID) return null;
  const w = v.getUint16(8, true);
  const h = v.getUint16(10, true);
  if (w === 0 || h === 0 || w * h > MAX_BLIT_PIXELS) return null;
  return { frameId: v.getUint32(0, true), x: v.getUint16(4, true), y: v.getUint16(6, true), w, h, codec: codec as Codec, data: p.subarray(BLIT_HEADER) };
}

// --- PRESENT --------------------------------------------------------------------------------
export interface Present {
  frameId: number;
  /** BLITs carrying this frameId since the previous PRESENT. */
  blits: number;
  /** CRC-32 of the whole back buffer (wire pixel format, row-major) after those BLITs; null = not sent. */
  crc: number | null;
}

export function encodePresent(p: Present): Uint8Array {
  const b = new Uint8Array(11);
  const v = view(b);
  v.setUint32(0, p.frameId >>> 0, true);
  v.setUint16(4, p.blits, true);
  v.setUint8(6, p.crc === null ? 0 : 1);
  v.setUint32(7, (p.crc ?? 0) >>> 0, true);
  return b;
}

export function decodePresent(p: Uint8Array): Present | null {
  if (p.length !== 11) return null;
  const v = view(p);
  const flags = v.getUint8(6);
  if (flags > 1) return null;
  return { frameId: v.getUint32(0, true), blits: v.getUint16(4, true), crc: flags & 1 ? v.getUint32(7, true) : null };
}

// --- BRIGHTNESS -----------------------------------------------------------------------------
export interface Brightness { percent: number; rampMs: number }

export function encodeBrightness(b: Brightness): Uint8Array {
  const out = new Uint8Array(3);
  out[0] = Math.max(0, Math.min(100, Math.round(b.percent)));
  view(out).setUint16(1, Math.max(0, Math.min(65535, Math.round(b.rampMs))), true);
  return out;
}

export function decodeBrightness(p: Uint8Array): Brightness | null {
  if (p.length !== 3 || p[0]! > 100) return null;
  return { percent: p[0]!, rampMs: view(p).getUint16(1, true) };
}

// --- TEST_PATTERN ---------------------------------------------------------------------------
export interface TestPatternMsg { pattern: TestPattern; r: number; g: number; b: number; param: number }

export function encodeTestPattern(t: TestPatternMsg): Uint8Array {
  return Uint8Array.of(t.pattern, t.r & 0xff, t.g & 0xff, t.b & 0xff, t.param & 0xff);
}

export function decodeTestPattern(p: Uint8Array): TestPatternMsg | null {
  if (p.length !== 5 || p[0]! > TestPattern.MODULE_ID) return null;
  return { pattern: p[0]! as TestPattern, r: p[1]!, g: p[2]!, b: p[3]!, param: p[4]! };
}
