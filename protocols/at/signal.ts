/**
 * `AT+CSQ` → `+CSQ: <rssi>,<ber>` (3GPP TS 27.007 §8.5; docs/background.md §Modem and AT facts).
 * rssi 0 = ≤ -113 dBm, 1 = -111, 2…30 = -109…-53, 31 = ≥ -51, 99 = unknown; Quectel adds
 * 100…191 for TD-SCDMA (-116…-25 dBm). On NR5G-SA the modem answers `99,99` (QNAN §3.3.1:
 * "does not apply to NR5G"), so an unknown CSQ is not by itself a loss of signal.
 */
import { badReply } from './errors.js';
import { afterPrefix, requireInt, splitFields } from './params.js';

export interface Csq {
  rssi: number;
  ber: number;
  /** Received signal strength in dBm, null when unknown (99). */
  rssiDbm: number | null;
  /** Bit error rate class 0–7, null when unknown (99). */
  berClass: number | null;
}

export function csqToDbm(rssi: number): number | null {
  if (rssi === 99 || rssi === 199) return null;
  if (rssi >= 0 && rssi <= 31) return -113 + 2 * rssi;
  if (rssi >= 100 && rssi <= 191) return rssi - 216;
  return null;
}

export function parseCsq(line: string): Csq {
  const f = splitFields(afterPrefix(line, '+CSQ:'), line);
  if (f.length !== 2) badReply(line, '+CSQ needs 2 fields');
  const rssi = requireInt(f[0], line, 'rssi');
  const ber = requireInt(f[1], line, 'ber');
  if (!((rssi >= 0 && rssi <= 31) || rssi === 99 || (rssi >= 100 && rssi <= 191) || rssi === 199)) badReply(line, 'rssi out of range');
  if (!((ber >= 0 && ber <= 7) || ber === 99)) badReply(line, 'ber out of range');
  return { rssi, ber, rssiDbm: csqToDbm(rssi), berClass: ber === 99 ? null : ber };
}
