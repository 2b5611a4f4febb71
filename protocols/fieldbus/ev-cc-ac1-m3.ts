/**
 * Phoenix Contact EV-CC-AC1-M3 AC charge controller, Modbus RTU map (docs/background.md §Field bus devices,
 * after neiderjb/Cargador_carro `phoenixcontact.h`). Addresses are PDU addresses exactly as that
 * driver sends them (register "24000" is PDU address 24000 = 0x5DC0). 8N1; DIP S2-1 picks
 * 9600/19200 baud, S2-2..6 the unit address.
 *
 * Marked (inferred) in docs/protocols/field-bus.md: the meaning of 24002 (PWM duty) and the bits
 * of 24025 (error status) — the source names the registers but not their encoding.
 */
import type { RegisterMap } from './register-map.js';

export const EV_CC_MAP = {
  serialNumber: { table: 'input', address: 1021, type: 'ascii', words: 6, access: 'r', description: 'serial number, 12 ASCII characters' },
  yearOfManufacture: { table: 'input', address: 1027, type: 'u16', access: 'r', description: 'year of manufacture' },
  hardwareVersion: { table: 'input', address: 1030, type: 'u16', access: 'r', description: 'hardware version' },
  firmwareVersion: { table: 'input', address: 1032, type: 'u16', access: 'r', description: 'firmware version number' },
  dipS1: { table: 'holding', address: 2000, type: 'u16', access: 'r', description: 'configuration DIP switch S1' },
  dipS2: { table: 'holding', address: 2001, type: 'u16', access: 'r', description: 'configuration DIP switch S2 (baud, address)' },
  enableSource: { table: 'holding', address: 4000, type: 'u16', access: 'rw', description: 'enable-charging source; 3 = coil 20000' },
  releaseSource: { table: 'holding', address: 4001, type: 'u16', access: 'rw', description: 'external release source; 2 = coil 20001 (0 there forces state F)' },
  lockSource: { table: 'holding', address: 4002, type: 'u16', access: 'rw', description: 'connector lock source; 3 = coil 20002' },
  maxCurrent: { table: 'holding', address: 22000, type: 'u16', unit: 'A', access: 'rw', description: 'maximum permissible charging current (6–32 A)' },
  systemStatus: { table: 'holding', address: 24000, type: 'u16', access: 'r', description: 'IEC 61851 status as two ASCII bytes, e.g. 0x4332 "C2"' },
  cpDuty: { table: 'holding', address: 24002, type: 'u16', scale: 0.1, unit: '%', access: 'r', description: 'control pilot PWM duty cycle (inferred)' },
  cpCurrent: { table: 'holding', address: 24003, type: 'u16', unit: 'A', access: 'r', description: 'charging current signalled on the control pilot' },
  stateCMinSec: { table: 'holding', address: 24017, type: 'u16', access: 'r', description: 'time in state C: minutes (high byte), seconds (low byte)' },
  stateCHours: { table: 'holding', address: 24018, type: 'u16', unit: 'h', access: 'r', description: 'time in state C: hours' },
  errorStatus: { table: 'holding', address: 24025, type: 'u16', access: 'r', description: 'error flags (bits: EvccError, inferred)' },
  cableCapacity: { table: 'holding', address: 24027, type: 'u16', unit: 'A', access: 'r', description: 'current capacity of the plugged cable (PP)' },
  enableCharging: { table: 'coil', address: 20000, type: 'bool', access: 'rw', description: 'enable charging (PWM on when the EV is connected)' },
  systemAvailable: { table: 'coil', address: 20001, type: 'bool', access: 'rw', description: 'system available; 0 = state F (EVSE unavailable)' },
  lock: { table: 'coil', address: 20002, type: 'bool', access: 'rw', description: 'lock the connector' },
  rcmTest: { table: 'coil', address: 20003, type: 'bool', access: 'rw', description: 'EV-RCM test' },
  restart: { table: 'coil', address: 21000, type: 'bool', access: 'rw', description: 'restart the controller' },
} as const satisfies RegisterMap;

/** Values the controller needs in its source registers so that our coils drive it. */
export const EV_CC_MODBUS_CONTROL = { enableSource: 3, releaseSource: 2, lockSource: 3 } as const;

/** IEC 61851-1 control pilot states (docs/background.md §Field bus devices). */
export enum IecState {
  /** +12 V: no vehicle. */
  A = 'A',
  /** 9 V: vehicle connected, not requesting. */
  B = 'B',
  /** 6 V: vehicle requests charging. */
  C = 'C',
  /** 3 V: charging with ventilation. */
  D = 'D',
  /** 0 V: error (short on CP). */
  E = 'E',
  /** −12 V: EVSE not available. */
  F = 'F',
}

export interface EvccStatus {
  state: IecState;
  /** Second character "2": the PWM (charging offer) is on; "1": off. */
  pwm: boolean;
  /** As the controller shows it, e.g. "C2". */
  text: string;
}

/** Decodes register 24000 ("A1".."F"); null for anything that is not a state letter. */
export function decodeEvccStatus(word: number): EvccStatus | null {
  const letter = String.fromCharCode(word >> 8);
  const digit = String.fromCharCode(word & 0xff);
  if (!/^[A-F]$/.test(letter)) return null;
  if (!/^[0-2 \0]$/.test(digit)) return null;
  const text = letter + (digit === '\0' || digit === ' ' ? '' : digit);
  return { state: letter as IecState, pwm: digit === '2', text };
}

export function encodeEvccStatus(state: IecState, pwm: boolean): number {
  const digit = state === IecState.E || state === IecState.F ? '0' : pwm ? '2' : '1';
  return (state.charCodeAt(0) << 8) | digit.charCodeAt(0);
}

/** Register 24025 bits (inferred; docs/protocols/field-bus.md). */
export enum EvccError {
  InvalidCable = 1 << 0,
  LockFailure = 1 << 1,
  UnlockFailure = 1 << 2,
  ResidualCurrent = 1 << 3,
  WeldedContactor = 1 << 4,
  DiodeFault = 1 << 5,
  OverCurrent = 1 << 6,
  OverTemperature = 1 << 7,
  ContactorFailure = 1 << 8,
}

/** OCPP 1.6 ChargePointErrorCode for each error bit, in order of precedence. */
export const EVCC_ERROR_OCPP: readonly [EvccError, string][] = [
  [EvccError.ResidualCurrent, 'GroundFailure'],
  [EvccError.WeldedContactor, 'PowerSwitchFailure'],
  [EvccError.ContactorFailure, 'PowerSwitchFailure'],
  [EvccError.OverCurrent, 'OverCurrentFailure'],
  [EvccError.OverTemperature, 'HighTemperature'],
  [EvccError.LockFailure, 'ConnectorLockFailure'],
  [EvccError.UnlockFailure, 'ConnectorLockFailure'],
  [EvccError.DiodeFault, 'EVCommunicationError'],
  [EvccError.InvalidCable, 'OtherError'],
];

export function evccErrorNames(bits: number): string[] {
  return Object.entries(EvccError).filter(([, v]) => typeof v === 'number' && (bits & v) !== 0).map(([k]) => k);
}

/** Fields read on every poll of the controller. */
export const EV_CC_POLL_FIELDS = ['systemStatus', 'cpDuty', 'cpCurrent', 'stateCMinSec', 'stateCHours', 'errorStatus', 'cableCapacity', 'enableCharging', 'systemAvailable', 'lock'] as const;
