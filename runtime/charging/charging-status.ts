/**
 * Plain-data snapshots of the charging point for the screen (issue 4's provider), the birth
 * message and `charger.status`. No classes, no functions: safe to serialize and to compare.
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
  status: string;
  /** OCPP ChargePointErrorCode (NoError unless Faulted). */
  errorCode: string;
  /** The controller's IEC 61851 status text, e.g. "C2"; null when it does not answer. */
  iec: string | null;
  plugged: boolean | null;
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
