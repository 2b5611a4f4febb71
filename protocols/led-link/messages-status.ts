/**
 * LED link board reports (docs/protocols/led-link.md §3.8 STATUS, §3.9 FAULT). Decoders return
 * null for a malformed payload and never throw.
 */
import { FaultCode, TestPattern } from './message-codes.js';
import { view } from './message-view.js';

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
