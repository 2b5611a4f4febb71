/**
 * LED link session messages (docs/protocols/led-link.md §3.1 HELLO, §3.2 CAPS, §3.7 RESET): the
 * handshake that opens a session and the board's capabilities. Decoders return null for a
 * malformed payload and never throw.
 */
import { PixelFormat, ResetMode } from './message-codes.js';
import { view } from './message-view.js';

// --- HELLO ----------------------------------------------------------------------------------
export interface Hello {
  /** Highest protocol version the host speaks. */
  version: number;
  /** How often the board sends STATUS unprompted; 0 = only when asked. */
  statusIntervalMs: number;
}

export function encodeHello(h: Hello): Uint8Array {
  const b = new Uint8Array(4);
  const v = view(b);
  v.setUint8(0, h.version);
  v.setUint8(1, 0);
  v.setUint16(2, h.statusIntervalMs, true);
  return b;
}

export function decodeHello(p: Uint8Array): Hello | null {
  if (p.length < 4) return null;
  const v = view(p);
  return { version: v.getUint8(0), statusIntervalMs: v.getUint16(2, true) };
}

// --- CAPS -----------------------------------------------------------------------------------
export interface Caps {
  reason: number;
  /** Seq of the HELLO this answers (0 in a boot announcement). */
  helloSeq: number;
  version: number;
  width: number;
  height: number;
  pixelFormat: PixelFormat;
  maxPayload: number;
  /** Frames the board holds out of order (its receive window). */
  rxWindow: number;
  /** Bit i set = Codec i decoded. */
  codecs: number;
  features: number;
  /** Largest Reed–Solomon parity count per block it decodes (0 = no FEC). */
  maxFec: number;
  moduleCols: number;
  moduleRows: number;
  /** Upper bound on the time it takes to decode and apply one maxPayload frame, ms. */
  decodeMs: number;
  /** Random per power-on; a change means the board rebooted. */
  bootId: number;
  firmware: string;
}

const CAPS_FIXED = 25;

export function encodeCaps(c: Caps): Uint8Array {
  const fw = new TextEncoder().encode(c.firmware).subarray(0, 64);
  const b = new Uint8Array(CAPS_FIXED + fw.length);
  const v = view(b);
  v.setUint8(0, c.reason);
  v.setUint16(1, c.helloSeq, true);
  v.setUint8(3, c.version);
  v.setUint16(4, c.width, true);
  v.setUint16(6, c.height, true);
  v.setUint8(8, c.pixelFormat);
  v.setUint16(9, c.maxPayload, true);
  v.setUint8(11, c.rxWindow);
  v.setUint16(12, c.codecs, true);
  v.setUint16(14, c.features, true);
  v.setUint8(16, c.maxFec);
  v.setUint8(17, c.moduleCols);
  v.setUint8(18, c.moduleRows);
  v.setUint8(19, Math.min(255, c.decodeMs));
  v.setUint32(20, c.bootId >>> 0, true);
  v.setUint8(24, fw.length);
  b.set(fw, CAPS_FIXED);
  return b;
}

export function decodeCaps(p: Uint8Array): Caps | null {
  if (p.length < CAPS_FIXED) return null;
  const v = view(p);
  const fwLen = v.getUint8(24);
  if (p.length < CAPS_FIXED + fwLen) return null;
  const pixelFormat = v.getUint8(8);
  if (pixelFormat !== PixelFormat.RGB565 && pixelFormat !== PixelFormat.RGB888) return null;
  const c: Caps = {
    reason: v.getUint8(0), helloSeq: v.getUint16(1, true), version: v.getUint8(3),
    width: v.getUint16(4, true), height: v.getUint16(6, true), pixelFormat,
    maxPayload: v.getUint16(9, true), rxWindow: v.getUint8(11), codecs: v.getUint16(12, true),
    features: v.getUint16(14, true), maxFec: v.getUint8(16), moduleCols: v.getUint8(17), moduleRows: v.getUint8(18),
    decodeMs: v.getUint8(19), bootId: v.getUint32(20, true),
    firmware: new TextDecoder().decode(p.subarray(CAPS_FIXED, CAPS_FIXED + fwLen)),
  };
  if (c.width === 0 || c.height === 0 || c.maxPayload < 256 || c.rxWindow === 0) return null;
  return c;
}

// --- RESET ----------------------------------------------------------------------------------
export function encodeReset(mode: number = ResetMode.REBOOT): Uint8Array {
  return Uint8Array.of(mode);
}

export function decodeReset(p: Uint8Array): { mode: number } | null {
  if (p.length !== 1 || p[0] !== ResetMode.REBOOT) return null;
  return { mode: p[0]! };
}
