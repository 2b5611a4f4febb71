import type { EvChargerReading } from '../../device/fieldbus/units/ev-charger.js';
import type { MeterReading } from '../../device/fieldbus/units/energy-meter.js';
import { IecState } from '../../protocols/fieldbus/ev-cc-ac1-m3.js';
import { STARTABLE, type OcppStatus } from '../../protocols/fieldbus/ocpp-status.js';
import type { ConnectorState } from './connector-store.js';
import { sessionCost, sessionEnergyWh, type SessionRow } from './session-ledger.js';

/**
 * Plain-data snapshots of the charging point for the screen (its field-status provider), the birth
 * message and `charger.status`: plain data, safe to serialize and compare (built by buildChargingStatus).
 */
export interface SessionSnapshot {
  transactionId: string;
  state: string;
  source: string;
  startedAt: string;
  durationSec: number;
  energyWh: number;
  powerW: number | null;
  cost: number;
  limitWh: number | null;
  paymentAmount: number | null;
}

export interface ConnectorSnapshot {
  id: number;
  /** OCPP 1.6 ChargePointStatus. */
  status: OcppStatus;
  /** OCPP ChargePointErrorCode (NoError unless Faulted). */
  errorCode: string;
  /** The controller's IEC 61851 status text, e.g. "C2"; null when it does not answer. */
  iec: string | null;
  plugged: boolean | null;
  /** The pole's number for the car plugged in (docs/charging.md §Which car); null when none is. */
  plugIn: number | null;
  operative: boolean;
  faults: string[];
  authorizedUntil: string | null;
  session: SessionSnapshot | null;
}

export interface ChargingStatus {
  connectors: ConnectorSnapshot[];
  tariff: { currency: string; pricePerKwh: number; energyPerKwh: number; servicePerKwh: number };
  /** A new driver can use the charger now (Available or Preparing). */
  available: boolean;
  meter: { importWh: number; powerW: number; voltageV: number } | null;
}

export interface StatusInputs {
  id: number;
  status: { status: OcppStatus; errorCode: string };
  reading: EvChargerReading | null;
  state: ConnectorState;
  faults: string[];
  session: SessionRow | null;
  meter: MeterReading | null;
  price: number;
  tariff: { currency: string; energyPerKwh: number; servicePerKwh: number };
  now: number;
}

export function buildChargingStatus(i: StatusInputs): ChargingStatus {
  const s = i.session;
  const m = i.meter;
  const energy = s && m ? sessionEnergyWh(s, m.importWh) : null;
  const c: ConnectorSnapshot = {
    id: i.id, status: i.status.status, errorCode: i.status.errorCode, iec: i.reading?.statusText ?? null,
    plugged: i.reading ? i.reading.state !== IecState.A : null, plugIn: i.state.plugged ? i.state.plugIn : null, operative: i.state.operative, faults: i.faults,
    authorizedUntil: i.state.auth ? new Date(i.state.auth.expiresAt).toISOString() : null,
    session: s ? {
      transactionId: s.transactionId, state: s.state, source: s.source, startedAt: new Date(s.startedAt).toISOString(),
      durationSec: Math.round((i.now - s.startedAt) / 1000), energyWh: energy ?? sessionEnergyWh(s, s.lastMeterWh),
      powerW: m ? Math.round(m.powerW) : null, cost: sessionCost(energy ?? 0, s.pricePerKwh), limitWh: s.limitWh, paymentAmount: s.paymentAmount,
    } : null,
  };
  return {
    connectors: [c],
    tariff: { currency: i.tariff.currency, pricePerKwh: i.price, energyPerKwh: i.tariff.energyPerKwh, servicePerKwh: i.tariff.servicePerKwh },
    available: STARTABLE.has(c.status),
    meter: m ? { importWh: m.importWh, powerW: Math.round(m.powerW), voltageV: Math.round(m.voltageV * 10) / 10 } : null,
  };
}
