/**
 * LED link messages (docs/protocols/led-link.md §3). Each message is a frame type plus a
 * little-endian payload; these functions turn payload bytes into typed values and back.
 */
export const MsgType = {
  HELLO: 0x01,
  CAPS: 0x02,
  BLIT: 0x10,
  PRESENT: 0x11,
  ACK: 0x80,
  NAK: 0x81,
} as const;
export type MsgType = (typeof MsgType)[keyof typeof MsgType];

export const PixelFormat = { RGB565: 1, RGB888: 2 } as const;
export type PixelFormat = (typeof PixelFormat)[keyof typeof PixelFormat];

/** Pixel payload encodings a BLIT may use; the board lists the ones it decodes in CAPS. */
export const BlitEncoding = { RAW: 0, RLE16: 1 } as const;
export type BlitEncoding = (typeof BlitEncoding)[keyof typeof BlitEncoding];

export const NakReason = { CRC: 1, LENGTH: 2, UNKNOWN_TYPE: 3, BAD_PAYLOAD: 4, OUT_OF_BOUNDS: 5, BUSY: 6, DECODE: 7 } as const;
export type NakReason = (typeof NakReason)[keyof typeof NakReason];

export interface Caps {
  width: number;
  height: number;
  pixelFormat: PixelFormat;
  maxPayload: number;
  /** Bit i set = BlitEncoding i supported. */
  encodings: number;
  firmware: string;
}

export interface Blit {
  frameId: number;
  x: number;
  y: number;
  w: number;
  h: number;
  encoding: BlitEncoding;
  data: Uint8Array;
}

export const BLIT_HEADER = 13;

export function encodeCaps(c: Caps): Uint8Array {
  const fw = new TextEncoder().encode(c.firmware.slice(0, 32));
  const b = Buffer.alloc(10 + fw.length);
  b.writeUInt16LE(c.width, 0);
  b.writeUInt16LE(c.height, 2);
  b[4] = c.pixelFormat;
  b.writeUInt16LE(c.maxPayload, 5);
  b.writeUInt16LE(c.encodings, 7);
  b[9] = fw.length;
  b.set(fw, 10);
  return b;
}

export function decodeCaps(p: Uint8Array): Caps | null {
  if (p.length < 10) return null;
  const b = Buffer.from(p.buffer, p.byteOffset, p.length);
  const fwLen = b[9]!;
  if (p.length < 10 + fwLen) return null;
  const pixelFormat = b[4]!;
  if (pixelFormat !== PixelFormat.RGB565 && pixelFormat !== PixelFormat.RGB888) return null;
  return {
    width: b.readUInt16LE(0),
    height: b.readUInt16LE(2),
    pixelFormat,
    maxPayload: b.readUInt16LE(5),
    encodings: b.readUInt16LE(7),
    firmware: new TextDecoder().decode(p.subarray(10, 10 + fwLen)),
  };
}

export function encodeBlit(m: Blit): Uint8Array {
  const b = Buffer.allocUnsafe(BLIT_HEADER + m.data.length);
  b.writeUInt32LE(m.frameId >>> 0, 0);
  b.writeUInt16LE(m.x, 4);
  b.writeUInt16LE(m.y, 6);
  b.writeUInt16LE(m.w, 8);
  b.writeUInt16LE(m.h, 10);
  b[12] = m.encoding;
  b.set(m.data, BLIT_HEADER);
  return b;
}

export function decodeBlit(p: Uint8Array): Blit | null {
  if (p.length < BLIT_HEADER) return null;
  const b = Buffer.from(p.buffer, p.byteOffset, p.length);
  const encoding = b[12]!;
  if (encoding !== BlitEncoding.RAW && encoding !== BlitEncoding.RLE16) return null;
  return {
    frameId: b.readUInt32LE(0),
    x: b.readUInt16LE(4),
    y: b.readUInt16LE(6),
    w: b.readUInt16LE(8),
    h: b.readUInt16LE(10),
    encoding,
    data: p.subarray(BLIT_HEADER),
  };
}

export function encodePresent(frameId: number): Uint8Array {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32LE(frameId >>> 0, 0);
  return b;
}

export function decodePresent(p: Uint8Array): { frameId: number } | null {
  if (p.length !== 4) return null;
  return { frameId: Buffer.from(p.buffer, p.byteOffset, 4).readUInt32LE(0) };
}

export function encodeAck(seq: number): Uint8Array {
  return Uint8Array.of(seq & 0xff, (seq >> 8) & 0xff);
}

export function decodeAck(p: Uint8Array): { seq: number } | null {
  if (p.length !== 2) return null;
  return { seq: p[0]! | (p[1]! << 8) };
}

export function encodeNak(seq: number, reason: NakReason): Uint8Array {
  return Uint8Array.of(seq & 0xff, (seq >> 8) & 0xff, reason);
}

export function decodeNak(p: Uint8Array): { seq: number; reason: number } | null {
  if (p.length !== 3) return null;
  return { seq: p[0]! | (p[1]! << 8), reason: p[2]! };
}
