/**
 * Network registration, read and URC forms (3GPP TS 27.007 §7.2 +CREG, §10.1.22 +CEREG,
 * §10.1.53 +C5GREG; docs/background.md §Modem and AT facts):
 *   read  `+CEREG: <n>,<stat>[,[<tac>],[<ci>],[<AcT>]…]`   e.g. `+CEREG: 2,1,"DE10","5A29C0B",7`
 *   URC   `+CEREG: <stat>[,[<tac>],[<ci>],[<AcT>]…]`       e.g. `+CEREG: 1,"DE10","5A29C0B",7`
 * The URC has no `<n>`. When the caller does not say which form it holds, the form is inferred:
 * the read form starts with two bare integers, the URC with one (its second field, if any, is a
 * quoted or empty location field).
 */
import { badReply } from './errors.js';
import { afterPrefix, intField, requireInt, splitFields, textField, type Field } from './params.js';

export enum RegStatus {
  NotSearching = 0,
  Home = 1,
  Searching = 2,
  Denied = 3,
  Unknown = 4,
  Roaming = 5,
  SmsOnlyHome = 6,
  SmsOnlyRoaming = 7,
  EmergencyOnly = 8,
  CsfbNotPreferredHome = 9,
  CsfbNotPreferredRoaming = 10,
}

/** Which registration a line reports: circuit (+CREG), EPS/LTE (+CEREG), 5GS (+C5GREG). */
export type RegDomain = 'cs' | 'eps' | '5gs';

export const REG_PREFIX: Record<RegDomain, string> = { cs: '+CREG:', eps: '+CEREG:', '5gs': '+C5GREG:' };

export interface Registration {
  domain: RegDomain;
  /** The URC mode `<n>` (read form only). */
  n: number | null;
  stat: RegStatus;
  /** Tracking/location area code, hex text. */
  tac: string | null;
  /** Cell id, hex text. */
  cellId: string | null;
  act: number | null;
  /** EMM/5GMM reject cause when the network refused (n = 3 and above). */
  rejectCause: number | null;
}

export function regStatusLabel(s: RegStatus): string {
  switch (s) {
    case RegStatus.Home: return 'home';
    case RegStatus.Roaming: return 'roaming';
    case RegStatus.Searching: return 'searching';
    case RegStatus.Denied: return 'denied';
    case RegStatus.NotSearching: return 'not searching';
    case RegStatus.Unknown: return 'unknown';
    case RegStatus.EmergencyOnly: return 'emergency only';
    default: return `stat ${s as number}`;
  }
}

/** Registered for data (home or roaming); SMS-only and CSFB states count as registered too. */
export function isRegistered(s: RegStatus): boolean {
  return s === RegStatus.Home || s === RegStatus.Roaming || (s >= 6 && s <= 7) || (s >= 9 && s <= 10);
}

export function isRoaming(s: RegStatus): boolean {
  return s === RegStatus.Roaming || s === RegStatus.SmsOnlyRoaming || s === RegStatus.CsfbNotPreferredRoaming;
}

function domainOf(line: string): RegDomain {
  if (line.startsWith('+C5GREG:')) return '5gs';
  if (line.startsWith('+CEREG:')) return 'eps';
  if (line.startsWith('+CREG:')) return 'cs';
  return badReply(line, 'not a registration line');
}

const bareInt = (f: Field | undefined) => !!f && !f.quoted && /^\d+$/.test(f.value);

/** 'read' when the line starts with two bare integers (`<n>,<stat>`), else 'urc'. */
export function registrationForm(line: string): 'read' | 'urc' {
  const f = splitFields(afterPrefix(line, REG_PREFIX[domainOf(line)]), line);
  return bareInt(f[0]) && bareInt(f[1]) ? 'read' : 'urc';
}

export function parseRegistration(line: string, form?: 'read' | 'urc'): Registration {
  const domain = domainOf(line);
  const f = splitFields(afterPrefix(line, REG_PREFIX[domain]), line);
  const read = (form ?? (bareInt(f[0]) && bareInt(f[1]) ? 'read' : 'urc')) === 'read';
  const base = read ? 1 : 0;
  if (f.length < base + 1) badReply(line, 'registration without <stat>');
  const n = read ? requireInt(f[0], line, 'n') : null;
  const stat = requireInt(f[base], line, 'stat');
  if (stat < 0 || stat > 11) badReply(line, 'stat out of range');
  const loc = (i: number) => {
    const v = textField(f[base + i]) || null;
    if (v !== null && !/^[0-9A-Fa-f]{1,12}$/.test(v)) badReply(line, 'location field is not hexadecimal');
    return v?.toUpperCase() ?? null;
  };
  const act = intField(f[base + 3], line, 'AcT', true);
  // +CEREG n≥3 adds <cause_type>,<reject_cause> after AcT (27.007 §10.1.22).
  const rejectCause = domain !== '5gs' && f.length > base + 5 ? intField(f[base + 5], line, 'reject_cause', true) : null;
  return { domain, n, stat: stat as RegStatus, tac: loc(1), cellId: loc(2), act, rejectCause };
}
