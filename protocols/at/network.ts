/**
 * Operator and access technology: `AT+COPS?` (3GPP TS 27.007 §7.3) and Quectel `AT+QNWINFO`
 * (QNAN §3.2.1), with the 27.007 `<AcT>` values (docs/background.md §Modem and AT facts: 7 = E-UTRAN,
 * 11 = NR on 5GC — what SA reports, 12 = NG-RAN, 13 = EN-DC).
 */
import { badReply } from './errors.js';
import { afterPrefix, intField, requireInt, splitFields, textField } from './params.js';

export enum AccessTech {
  Gsm = 0,
  GsmCompact = 1,
  Utran = 2,
  GsmEgprs = 3,
  UtranHsdpa = 4,
  UtranHsupa = 5,
  UtranHspa = 6,
  Eutran = 7,
  EcGsmIot = 8,
  EutranNbS1 = 9,
  Eutra5gcn = 10,
  Nr5gcn = 11,
  NgRan = 12,
  EutraNrDual = 13,
}

const ACT_LABEL: Record<number, string> = {
  0: '2G', 1: '2G', 2: '3G', 3: '2G', 4: '3G', 5: '3G', 6: '3G', 7: 'LTE', 8: '2G', 9: 'NB-IoT', 10: 'LTE (5GC)',
  11: '5G SA', 12: '5G', 13: '5G NSA',
};

/** A short label for status lines: `5G SA`, `5G NSA`, `LTE`. */
export function accessTechLabel(act: number | null): string {
  return act === null ? '-' : ACT_LABEL[act] ?? `AcT ${act}`;
}

export interface Cops {
  /** 0 automatic, 1 manual, 2 deregistered, 3 format only, 4 manual/automatic. */
  mode: number;
  format: number | null;
  /** Operator name (long/short alphanumeric) or numeric MCC+MNC, depending on format. */
  operator: string | null;
  act: number | null;
}

export function parseCops(line: string): Cops {
  const f = splitFields(afterPrefix(line, '+COPS:'), line);
  if (f.length === 0) badReply(line, '+COPS without mode');
  const mode = requireInt(f[0], line, 'mode');
  if (mode < 0 || mode > 4) badReply(line, 'mode out of range');
  if (f.length === 1) return { mode, format: null, operator: null, act: null };
  const format = intField(f[1], line, 'format', true);
  const operator = textField(f[2]);
  const act = intField(f[3], line, 'AcT', true);
  if (act !== null && (act < 0 || act > 13)) badReply(line, 'AcT out of range');
  return { mode, format, operator, act };
}

export type NetworkInfo =
  | { service: false }
  | { service: true; act: string; operator: string; band: string; channel: number | null };

/** `+QNWINFO: "FDD LTE","46001","LTE BAND 3",1650` or `+QNWINFO: No Service`; NSA gives two lines. */
export function parseQnwinfo(lines: readonly string[]): NetworkInfo[] {
  const out: NetworkInfo[] = [];
  for (const line of lines) {
    const rest = afterPrefix(line, '+QNWINFO:');
    if (/^no service$/i.test(rest)) { out.push({ service: false }); continue; }
    const f = splitFields(rest, line);
    if (f.length < 3) badReply(line, '+QNWINFO needs act, operator, band');
    out.push({ service: true, act: f[0]!.value, operator: f[1]!.value, band: f[2]!.value, channel: intField(f[3], line, 'channel', true) });
  }
  if (out.length === 0) badReply('', 'no +QNWINFO line');
  return out;
}
