/**
 * Modem identity: `ATI` (V.250 §6.1.3; Quectel prints manufacturer, model, `Revision: …`),
 * `AT+CGSN` (IMEI, 27.007 §5.4; bare digits or `+CGSN: "…"`), `AT+QCCID` (ICCID, 19–20 digits,
 * an `F` pad allowed) and `AT+CIMI` (IMSI).
 */
import { badReply } from './errors.js';

export interface Identity {
  manufacturer: string;
  model: string;
  revision: string | null;
}

export function parseAti(lines: readonly string[]): Identity {
  const text = lines.map((l) => l.trim()).filter(Boolean);
  const rev = text.find((l) => /^Revision:/i.test(l));
  const rest = text.filter((l) => l !== rev);
  if (rest.length < 2) badReply(text.join(' | '), 'ATI needs manufacturer and model');
  return { manufacturer: rest[0]!, model: rest[1]!, revision: rev ? rev.replace(/^Revision:\s*/i, '') : null };
}

/** Luhn check digit (ISO/IEC 7812), which every IMEI and ICCID carries. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum % 10 === 0;
}

function oneValue(lines: readonly string[], prefixes: string[], what: string): string {
  for (const raw of lines) {
    let l = raw.trim();
    for (const p of prefixes) if (l.startsWith(p)) l = l.slice(p.length).trim();
    l = l.replace(/^"|"$/g, '');
    if (l) return l;
  }
  return badReply(lines.join(' | '), `no ${what}`);
}

export function parseImei(lines: readonly string[]): { imei: string; valid: boolean } {
  const v = oneValue(lines, ['+CGSN:'], 'IMEI');
  if (!/^\d{14,16}$/.test(v)) badReply(v, 'IMEI must be 14–16 digits');
  return { imei: v, valid: v.length === 15 ? luhnValid(v) : true };
}

export function parseIccid(lines: readonly string[]): string {
  const v = oneValue(lines, ['+QCCID:', '+ICCID:', '+CCID:'], 'ICCID').toUpperCase();
  if (!/^\d{18,20}F?$/.test(v)) badReply(v, 'ICCID must be 18–20 digits');
  return v.replace(/F$/, '');
}

export function parseImsi(lines: readonly string[]): string {
  const v = oneValue(lines, ['+CIMI:'], 'IMSI');
  if (!/^\d{6,15}$/.test(v)) badReply(v, 'IMSI must be 6–15 digits');
  return v;
}
