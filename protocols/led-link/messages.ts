/**
 * LED link messages (docs/protocols/led-link.md §3): a frame type plus a little-endian payload.
 * Each message has an encoder and a decoder that returns null for a malformed payload
 * (the receiver answers NAK BAD_PAYLOAD); decoders never throw.
 */
export const MsgType = {
  HELLO: 0x01,
  CAPS: 0x02,
  BLIT: 0x10,
  PRESENT: 0x11,
  BRIGHTNESS: 0x12,
  TEST_PATTERN: 0x13,
  STATUS_REQ: 0x14,
  RESET: 0x15,
  STATUS: 0x20,
  FAULT: 0x21,
  ACK: 0x80,
  NAK: 0x81,
} as const;
export type MsgType = (typeof MsgType)[keyof typeof MsgType];

export const PixelFormat = { RGB565: 1, RGB888: 2 } as const;
export type PixelFormat = (typeof PixelFormat)[keyof typeof PixelFormat];

/** Pixel payload codecs a BLIT may use; the board lists the ones it decodes in CAPS (§4). */
export const Codec = { RAW: 0, RLE16: 1, DEFLATE: 2, PALETTE_DEFLATE: 3, SOLID: 4 } as const;
export type Codec = (typeof Codec)[keyof typeof Codec];

/** CAPS feature bits. */
export const Feature = {
  FEC: 1 << 0,
  VERIFY_CRC: 1 << 1,
  AMBIENT_LIGHT: 1 << 2,
  TEMPERATURE: 1 << 3,
  SUPPLY_VOLTAGE: 1 << 4,
  TEST_PATTERNS: 1 << 5,
  BRIGHTNESS_RAMP: 1 << 6,
} as const;

/**
 * NAK reasons. Below 0x20 the frame was not taken (the sender retransmits); from 0x20 the frame
 * was taken and refused (resending it unchanged cannot help). 0x02–0x04 keep Novastar's
 * ack-code numbers for check error and invalid command (reference/devices.md §2).
 */
export const NakReason = {
  CRC: 0x02,
  TOO_LONG: 0x03,
  WINDOW: 0x10,
  NO_SESSION: 0x11,
  BUSY: 0x12,
  VERSION: 0x13,
  UNKNOWN_TYPE: 0x04,
  BAD_PAYLOAD: 0x20,
  OUT_OF_BOUNDS: 0x21,
  DECODE: 0x22,
  UNSUPPORTED: 0x23,
  INCOMPLETE: 0x24,
  MISMATCH: 0x25,
} as const;
export type NakReason = (typeof NakReason)[keyof typeof NakReason];

/** True if the board did not take the frame, so sending it again may succeed. */
export function nakIsRetryable(reason: number): boolean {
  return reason < 0x20 && reason !== NakReason.UNKNOWN_TYPE;
}

export function nakReasonName(reason: number): string {
  for (const [k, v] of Object.entries(NakReason)) if (v === reason) return k;
  return `0x${reason.toString(16)}`;
}

export const TestPattern = { OFF: 0, SOLID: 1, GREY_RAMP: 2, GRID: 3, MODULE_ID: 4 } as const;
export type TestPattern = (typeof TestPattern)[keyof typeof TestPattern];

/** FAULT codes; STATUS.faults has bit (code − 1) set while a fault is active. */
export const FaultCode = { OVER_TEMPERATURE: 1, SUPPLY: 2, MODULE: 3, LIGHT_SENSOR: 4, DECODER: 5 } as const;
export type FaultCode = (typeof FaultCode)[keyof typeof FaultCode];

export const CapsReason = { HELLO: 0, BOOT: 1 } as const;

export const ResetMode = { REBOOT: 1 } as const;

// --- little helpers -------------------------------------------------------------------------
function view(p: Uint8Array): DataView {
  return new DataView(p.buffer, p.byteOffset, p.byteLength);
}

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

// --- RESET ----------------------------------------------------------------------------------
export function encodeReset(mode: number = ResetMode.REBOOT): Uint8Array {
  return Uint8Array.of(mode);
}

export function decodeReset(p: Uint8Array): { mode: number } | null {
  if (p.length !== 1 || p[0] !== ResetMode.REBOOT) return null;
  return { mode: p[0]! };
}

// --- STATUS ---------------------------------------------------------------------------------
export interface Status {
  bootId: number;
  uptimeS: number;
  /** °C, null without a sensor. */
  temperatureC: number | null;
  /** mV, null without a sensor. */
  supplyMv: number | null;
  /** Ambient light, null without a sensor. */
  ambientLux: number | null;
  brightness: number;
  testPattern: TestPattern;
  lastFrameId: number;
  presents: number;
  blits: number;
  rxFrames: number;
  rxErrors: number;
  fecCorrected: number;
  /** Bit (FaultCode − 1) set while that fault is active. */
  faults: number;
  moduleCount: number;
  /** Indices (row-major) of modules that do not light. */
  failedModules: number[];
}

const STATUS_FIXED = 45;

export function encodeStatus(s: Status): Uint8Array {
  const mapLen = Math.ceil(s.moduleCount / 8);
  const b = new Uint8Array(STATUS_FIXED + mapLen);
  const v = view(b);
  v.setUint32(0, s.bootId >>> 0, true);
  v.setUint32(4, s.uptimeS >>> 0, true);
  v.setInt16(8, s.temperatureC === null ? -0x8000 : Math.round(s.temperatureC * 10), true);
  v.setUint16(10, s.supplyMv ?? 0, true);
  v.setUint32(12, s.ambientLux === null ? 0xffffffff : Math.round(s.ambientLux), true);
  v.setUint8(16, s.brightness);
  v.setUint8(17, s.testPattern);
  v.setUint32(18, s.lastFrameId >>> 0, true);
  v.setUint32(22, s.presents >>> 0, true);
  v.setUint32(26, s.blits >>> 0, true);
  v.setUint32(30, s.rxFrames >>> 0, true);
  v.setUint32(34, s.rxErrors >>> 0, true);
  v.setUint32(38, s.fecCorrected >>> 0, true);
  v.setUint16(42, s.faults, true);
  v.setUint8(44, s.moduleCount);
  for (const m of s.failedModules) if (m < s.moduleCount) b[STATUS_FIXED + (m >> 3)]! |= 1 << (m & 7);
  return b;
}

export function decodeStatus(p: Uint8Array): Status | null {
  if (p.length < STATUS_FIXED) return null;
  const v = view(p);
  const moduleCount = v.getUint8(44);
  if (p.length < STATUS_FIXED + Math.ceil(moduleCount / 8)) return null;
  const failedModules: number[] = [];
  for (let m = 0; m < moduleCount; m++) if (p[STATUS_FIXED + (m >> 3)]! & (1 << (m & 7))) failedModules.push(m);
  const t = v.getInt16(8, true);
  const mv = v.getUint16(10, true);
  const lux = v.getUint32(12, true);
  return {
    bootId: v.getUint32(0, true), uptimeS: v.getUint32(4, true),
    temperatureC: t === -0x8000 ? null : t / 10, supplyMv: mv === 0 ? null : mv, ambientLux: lux === 0xffffffff ? null : lux,
    brightness: v.getUint8(16), testPattern: v.getUint8(17) as TestPattern, lastFrameId: v.getUint32(18, true),
    presents: v.getUint32(22, true), blits: v.getUint32(26, true), rxFrames: v.getUint32(30, true), rxErrors: v.getUint32(34, true),
    fecCorrected: v.getUint32(38, true), faults: v.getUint16(42, true), moduleCount, failedModules,
  };
}

// --- FAULT ----------------------------------------------------------------------------------
export interface Fault {
  code: FaultCode;
  active: boolean;
  /** Module index for MODULE faults, 0xFF otherwise. */
  module: number;
  /** The reading that tripped it: 0.1 °C, mV, or 0. */
  value: number;
}

export function encodeFault(f: Fault): Uint8Array {
  const b = new Uint8Array(7);
  const v = view(b);
  v.setUint8(0, f.code);
  v.setUint8(1, f.active ? 1 : 0);
  v.setUint8(2, f.module);
  v.setInt32(3, f.value, true);
  return b;
}

export function decodeFault(p: Uint8Array): Fault | null {
  if (p.length !== 7) return null;
  const v = view(p);
  const code = v.getUint8(0);
  if (code < 1 || code > FaultCode.DECODER || v.getUint8(1) > 1) return null;
  return { code: code as FaultCode, active: v.getUint8(1) === 1, module: v.getUint8(2), value: v.getInt32(3, true) };
}

// --- ACK / NAK ------------------------------------------------------------------------------
export interface Ack {
  /** Every host seq before this one has been taken (applied or refused with an application NAK). */
  cumSeq: number;
  /** Bit i set: seq cumSeq+i has arrived and waits (to be decoded, or for a gap before it to fill). */
  sack: number;
  /** Bytes repaired by FEC in the frames this ACK covers (the host's channel estimate). */
  corrected: number;
}

export function encodeAck(a: Ack): Uint8Array {
  const b = new Uint8Array(8);
  const v = view(b);
  v.setUint16(0, a.cumSeq & 0xffff, true);
  v.setUint32(2, a.sack >>> 0, true);
  v.setUint16(6, Math.min(0xffff, a.corrected), true);
  return b;
}

export function decodeAck(p: Uint8Array): Ack | null {
  if (p.length !== 8) return null;
  const v = view(p);
  return { cumSeq: v.getUint16(0, true), sack: v.getUint32(2, true), corrected: v.getUint16(6, true) };
}

export interface Nak extends Ack {
  /** The refused frame (0xFFFF: unknown). */
  seq: number;
  reason: number;
}

export function encodeNak(n: Nak): Uint8Array {
  const b = new Uint8Array(11);
  const v = view(b);
  v.setUint16(0, n.seq & 0xffff, true);
  v.setUint8(2, n.reason);
  b.set(encodeAck(n), 3);
  return b;
}

export function decodeNak(p: Uint8Array): Nak | null {
  if (p.length !== 11) return null;
  const a = decodeAck(p.subarray(3));
  return a && { seq: view(p).getUint16(0, true), reason: p[2]!, ...a };
}
