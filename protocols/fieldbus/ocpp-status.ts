/**
 * OCPP 1.6 connector status (ChargePointStatus, docs/background.md §Field bus devices) derived from what the
 * charge controller reports (IEC 61851 state, PWM on/off, error bits) and what the pole knows
 * (a session running or just stopped, an authorization waiting, the connector set inoperative).
 * Pure; runtime/charging calls it on every poll and reports a StatusNotification on change.
 */
import { EVCC_ERROR_OCPP, IecState } from './ev-cc-ac1-m3.js';

/**
 * OCPP 1.6 ChargePointStatus: the one type for a connector's status across protocols, the runtime
 * and the page model (which carries it as plain JSON): `OcppStatus.Charging` and `'Charging'` are
 * the same value.
 */
export const OcppStatus = {
  Available: 'Available',
  Preparing: 'Preparing',
  Charging: 'Charging',
  SuspendedEVSE: 'SuspendedEVSE',
  SuspendedEV: 'SuspendedEV',
  Finishing: 'Finishing',
  Reserved: 'Reserved',
  Unavailable: 'Unavailable',
  Faulted: 'Faulted',
} as const;
export type OcppStatus = (typeof OcppStatus)[keyof typeof OcppStatus];

/** Statuses under which a new driver can start a session. */
export const STARTABLE: ReadonlySet<OcppStatus> = new Set<OcppStatus>([OcppStatus.Available, OcppStatus.Preparing]);

export interface ConnectorFacts {
  /** null: the controller does not answer on the bus. */
  iec: IecState | null;
  pwm: boolean;
  errorBits: number;
  /** 'active': a transaction runs; 'finished': it stopped and the cable is still plugged. */
  session: 'none' | 'active' | 'finished';
  /** An authorization (command or payment) waits for the cable. */
  authorized: boolean;
  /** charger.enable/disable (OCPP ChangeAvailability Operative/Inoperative). */
  operative: boolean;
  /** Faults the pole found itself, as OCPP error codes (e.g. PowerMeterFailure, PowerSwitchFailure). */
  faults: readonly string[];
}

export interface ConnectorStatus {
  status: OcppStatus;
  /** OCPP ChargePointErrorCode: NoError unless Faulted. */
  errorCode: string;
}

export function connectorStatus(f: ConnectorFacts): ConnectorStatus {
  const fault = (errorCode: string): ConnectorStatus => ({ status: OcppStatus.Faulted, errorCode });
  if (f.iec === null) return fault('InternalError');
  const bit = EVCC_ERROR_OCPP.find(([b]) => (f.errorBits & b) !== 0);
  if (bit) return fault(bit[1]);
  if (f.faults.length > 0) return fault(f.faults[0]!);
  if (f.iec === IecState.E) return fault('EVCommunicationError');
  // Inoperative takes effect once no transaction runs (OCPP 1.6 §5.2 "Scheduled").
  if (!f.operative && f.session !== 'active') return { status: OcppStatus.Unavailable, errorCode: 'NoError' };
  if (f.iec === IecState.F) return f.operative ? fault('OtherError') : { status: OcppStatus.Unavailable, errorCode: 'NoError' };
  const ok = (status: OcppStatus): ConnectorStatus => ({ status, errorCode: 'NoError' });
  if (f.iec === IecState.A) return ok(f.authorized && f.session !== 'active' ? OcppStatus.Preparing : OcppStatus.Available);
  // B, C or D: a vehicle is connected.
  if (f.session === 'finished') return ok(OcppStatus.Finishing);
  if (f.session === 'none') return ok(OcppStatus.Preparing);
  const requesting = f.iec === IecState.C || f.iec === IecState.D;
  if (requesting) return ok(f.pwm ? OcppStatus.Charging : OcppStatus.SuspendedEVSE);
  return ok(f.pwm ? OcppStatus.SuspendedEV : OcppStatus.SuspendedEVSE);
}
