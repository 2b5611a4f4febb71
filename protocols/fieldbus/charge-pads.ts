/**
 * Phone-charging pads (Qi pads in the pole's base; Wuhan's 江汉路 poles carry two). No public
 * Modbus map exists for such a board, so this is the project's own vendor map, documented in
 * docs/protocols/field-bus.md §Pads: one coil per pad, a block of 5 input registers per pad.
 */
import type { FieldDef, RegisterMap } from './register-map.js';

export const MAX_PADS = 8;

/** Pad state register values. */
export enum PadState {
  Off = 0,
  Idle = 1,
  Charging = 2,
  Fault = 3,
}

/** Pad fault register bits. */
export enum PadFault {
  OverTemperature = 1 << 0,
  ForeignObject = 1 << 1,
  CoilFault = 1 << 2,
}

/** First input register of pad `n` (0-based): 10, 20, 30 … */
export const padBase = (n: number): number => 10 * (n + 1);

export function chargePadsMap(count: number): RegisterMap {
  if (!Number.isInteger(count) || count < 1 || count > MAX_PADS) throw new RangeError(`pad count must be 1–${MAX_PADS}`);
  const m: Record<string, FieldDef> = {
    padCount: { table: 'input', address: 0, type: 'u16', access: 'r', description: 'number of pads fitted' },
    firmwareVersion: { table: 'input', address: 1, type: 'u16', access: 'r', description: 'firmware version (major×256 + minor)' },
    overTempLimit: { table: 'holding', address: 0, type: 'u16', scale: 0.1, unit: '°C', access: 'rw', description: 'pad switches off above this coil temperature (default 60.0)' },
  };
  for (let n = 0; n < count; n++) {
    const b = padBase(n);
    m[`pad${n}.enabled`] = { table: 'coil', address: n, type: 'bool', access: 'rw', description: `pad ${n + 1} enabled` };
    m[`pad${n}.state`] = { table: 'input', address: b, type: 'u16', access: 'r', description: `pad ${n + 1} state: 0 off, 1 idle, 2 charging, 3 fault` };
    m[`pad${n}.power`] = { table: 'input', address: b + 1, type: 'u16', scale: 0.1, unit: 'W', access: 'r', description: `pad ${n + 1} power delivered` };
    m[`pad${n}.temperature`] = { table: 'input', address: b + 2, type: 'i16', scale: 0.1, unit: '°C', access: 'r', description: `pad ${n + 1} coil temperature` };
    m[`pad${n}.faults`] = { table: 'input', address: b + 3, type: 'u16', access: 'r', description: `pad ${n + 1} fault bits: 1 over-temperature, 2 foreign object, 4 coil` };
    m[`pad${n}.energy`] = { table: 'input', address: b + 4, type: 'u16', unit: 'Wh', access: 'r', description: `pad ${n + 1} energy this charge (resets when the phone is lifted)` };
  }
  return Object.freeze(m);
}

export function padPollFields(count: number): string[] {
  const out: string[] = [];
  for (let n = 0; n < count; n++) out.push(`pad${n}.enabled`, `pad${n}.state`, `pad${n}.power`, `pad${n}.temperature`, `pad${n}.faults`, `pad${n}.energy`);
  return out;
}
