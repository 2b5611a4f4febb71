/**
 * Eastron SDM120/SDM630-style energy meter (a separate Modbus meter on the
 * same bus, docs/background.md §Field bus devices). Input registers (function 04) hold IEEE-754 float32 values, high word first;
 * the addresses below are the SDM120/SDM630 phase-1 ones as public integrations use them
 * (30001 → PDU 0x0000, 30073 → PDU 0x0048 …). The serial number at holding 0xFC00 is (inferred).
 */
import type { RegisterMap } from './register-map.js';

export const SDM_MAP = {
  voltage: { table: 'input', address: 0x0000, type: 'f32', unit: 'V', access: 'r', description: 'line to neutral voltage (30001)' },
  current: { table: 'input', address: 0x0006, type: 'f32', unit: 'A', access: 'r', description: 'current (30007)' },
  activePower: { table: 'input', address: 0x000c, type: 'f32', unit: 'W', access: 'r', description: 'active power (30013)' },
  apparentPower: { table: 'input', address: 0x0012, type: 'f32', unit: 'VA', access: 'r', description: 'apparent power (30019)' },
  powerFactor: { table: 'input', address: 0x001e, type: 'f32', access: 'r', description: 'power factor (30031)' },
  frequency: { table: 'input', address: 0x0046, type: 'f32', unit: 'Hz', access: 'r', description: 'frequency (30071)' },
  importEnergy: { table: 'input', address: 0x0048, type: 'f32', unit: 'kWh', access: 'r', description: 'import active energy (30073): the billing register' },
  exportEnergy: { table: 'input', address: 0x004a, type: 'f32', unit: 'kWh', access: 'r', description: 'export active energy (30075)' },
  totalEnergy: { table: 'input', address: 0x0156, type: 'f32', unit: 'kWh', access: 'r', description: 'total active energy (30343)' },
  serialNumber: { table: 'holding', address: 0xfc00, type: 'u32', access: 'r', description: 'meter serial number (inferred)' },
} as const satisfies RegisterMap;

/** Read on every poll: two short blocks (0x0000–0x000D and 0x0046–0x004B). */
export const SDM_POLL_FIELDS = ['voltage', 'current', 'activePower', 'frequency', 'importEnergy', 'exportEnergy'] as const;

/**
 * The billing value in watt-hours. The register is float32 kWh: at 10,000 kWh its resolution is
 * about 1 Wh, so rounding to whole Wh is exact for a pole's lifetime of charging and both the
 * pole and the simulated meter agree on it bit for bit.
 */
export function kwhToWh(kwh: number): number {
  return Math.round(kwh * 1000);
}
