/**
 * The lamp driver: an LED driver with D4i data (DALI parts 251–253, as TALQ 2.7 maps them;
 * DALI Alliance; docs/background.md §Streetlight) behind a Modbus RTU interface. D4i is read over DALI; our pole's
 * driver exposes the same data as registers — the project's vendor map, documented in
 * docs/protocols/field-bus.md §Lamp. Levels are in 0.1 % steps; like DALI's SYSTEM FAILURE LEVEL
 * (default 254 = 100 %), the driver goes to `systemFailureLevel` when its master falls silent for
 * `commTimeout` seconds — the fail-safe that keeps a street lit when the controller dies.
 */
import type { RegisterMap } from './register-map.js';

export const LAMP_MAP = {
  targetLevel: { table: 'holding', address: 0, type: 'u16', scale: 0.1, unit: '%', access: 'rw', description: 'commanded light level, 0–100.0 %' },
  fadeTime: { table: 'holding', address: 1, type: 'u16', scale: 0.1, unit: 's', access: 'rw', description: 'ramp time to a new target (TALQ rampToLevelTime)' },
  systemFailureLevel: { table: 'holding', address: 2, type: 'u16', scale: 0.1, unit: '%', access: 'rw', description: 'level on loss of the master (DALI SYSTEM FAILURE LEVEL); default 100.0' },
  powerOnLevel: { table: 'holding', address: 3, type: 'u16', scale: 0.1, unit: '%', access: 'rw', description: 'level after mains returns (DALI POWER ON LEVEL); default 100.0' },
  commTimeout: { table: 'holding', address: 4, type: 'u16', unit: 's', access: 'rw', description: 'master silence before the failure level applies; 0 = never' },
  actualLevel: { table: 'input', address: 0, type: 'u16', scale: 0.1, unit: '%', access: 'r', description: 'actual light level (follows the ramp)' },
  status: { table: 'input', address: 1, type: 'u16', access: 'r', description: 'status bits (LampStatus)' },
  activePower: { table: 'input', address: 2, type: 'u16', scale: 0.1, unit: 'W', access: 'r', description: 'active power (D4i 252 activePower)' },
  supplyVoltage: { table: 'input', address: 3, type: 'u16', scale: 0.1, unit: 'V', access: 'r', description: 'mains voltage (D4i 253)' },
  lampCurrent: { table: 'input', address: 4, type: 'u16', unit: 'mA', access: 'r', description: 'light-source current (D4i 253, 1 mA/LSB)' },
  gearTemperature: { table: 'input', address: 5, type: 'u16', unit: '°C+60', access: 'r', description: 'control-gear temperature, raw value offset by 60 (D4i 253)' },
  activeEnergy: { table: 'input', address: 6, type: 'u32', unit: 'Wh', access: 'r', description: 'active energy (D4i 252 activeEnergy)' },
  operatingTime: { table: 'input', address: 8, type: 'u32', unit: 's', access: 'r', description: 'control-gear operating time (D4i 253)' },
  startCounter: { table: 'input', address: 10, type: 'u32', access: 'r', description: 'control-gear start counter (D4i 253)' },
  lightOnTime: { table: 'input', address: 12, type: 'u32', unit: 's', access: 'r', description: 'light-source on time (D4i 253)' },
  lightStarts: { table: 'input', address: 14, type: 'u32', access: 'r', description: 'light-source starts (D4i 253)' },
  ambientLight: { table: 'input', address: 16, type: 'u16', unit: 'lx', access: 'r', description: 'photocell on the Zhaga socket; 0xFFFF = no sensor' },
  supplyLossCount: { table: 'input', address: 17, type: 'u16', access: 'r', description: 'mains interruptions counted (TALQ supplyLossCount)' },
  idString: { table: 'input', address: 100, type: 'ascii', words: 10, access: 'r', description: 'luminaire identification (D4i 251), 20 ASCII characters' },
} as const satisfies RegisterMap;

/** Input register 1 bits. */
export enum LampStatus {
  LampFailure = 1 << 0,
  OpenCircuit = 1 << 1,
  ShortCircuit = 1 << 2,
  ThermalDerating = 1 << 3,
  ThermalShutdown = 1 << 4,
  UnderVoltage = 1 << 5,
  OverVoltage = 1 << 6,
  GearFailure = 1 << 7,
  /** The driver applies its system failure level (master silent). */
  FailureLevelActive = 1 << 8,
  Fading = 1 << 9,
}

export const NO_LIGHT_SENSOR = 0xffff;
export const GEAR_TEMPERATURE_OFFSET = 60;

export const LAMP_POLL_FIELDS = [
  'actualLevel', 'status', 'activePower', 'supplyVoltage', 'lampCurrent', 'gearTemperature', 'activeEnergy', 'operatingTime',
  'startCounter', 'lightOnTime', 'lightStarts', 'ambientLight', 'supplyLossCount',
] as const;

export function lampStatusNames(bits: number): string[] {
  return Object.entries(LampStatus).filter(([, v]) => typeof v === 'number' && (bits & v) !== 0).map(([k]) => k);
}
