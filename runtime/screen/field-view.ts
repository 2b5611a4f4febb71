/**
 * What the screen shows of the pole's field-bus services (EV charging, phone pads, the
 * lamp), as plain data behind one small interface. The lead wires the field-bus services to it
 * (runtime/field/module.ts `screenStatus` → runtime/screen/module.ts → ScreenService.setFieldStatus). Each getter returns null when that service is
 * absent or down; the screen then says "暂不可用 Unavailable" instead of guessing.
 */
import type { OcppStatus } from '../../protocols/fieldbus/ocpp-status.js';

/** One port of a ChargingOffer. */
export interface ChargingPortOffer {
  /** Connector id as the charge controller knows it, e.g. "1". */
  id: string;
  /** As printed on the pole, e.g. {zh: "1号桩", en: "Port 1"}. */
  label: { zh: string; en?: string };
  /** e.g. "GB/T AC" */
  connector: string;
  /** OCPP 1.6 connector status (docs/charging.md §Connector status). */
  status: OcppStatus;
  maxKw: number;
  /** While charging. */
  powerKw?: number;
  energyKwh?: number;
  /** What the QR code to start a session on this port encodes (the operator's URL); absent: no QR. */
  startUrl?: string;
}

/**
 * What the pole offers a driver right now: its ports as a driver sees them, and the price. Made
 * from the charging service's ChargingStatus (runtime/charging/charging-status.ts, the service's
 * own truth) by runtime/field-to-screen.ts; the charging page's cards (display ChargingPortCard)
 * are this, worded and laid out.
 */
export interface ChargingOffer {
  ports: ChargingPortOffer[];
  price: { energyYuanPerKwh: number; serviceYuanPerKwh: number };
}

export interface PadStatus {
  id: string;
  state: 'free' | 'in-use' | 'fault' | 'off';
  powerW?: number;
}

export interface LampStatus {
  on: boolean;
  levelPct: number;
}

export interface FieldStatusProvider {
  charging(): ChargingOffer | null;
  pads(): PadStatus[] | null;
  lamp(): LampStatus | null;
  /** Called when anything above changes, so the screen redraws at once; returns an unsubscribe. */
  subscribe?(onChange: () => void): () => void;
}
