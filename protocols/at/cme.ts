/**
 * +CME ERROR codes as typed errors. The numbers and meanings are 3GPP TS 27.007 §9.2
 * (the subset ModemManager names in include/ModemManager-errors.h, docs/background.md §Modem and AT facts,
 * plus the GPRS/EPS codes of §9.2.2). With `+CMEE=2` modems print the text instead of the number;
 * `cmeFromText` maps it back. Codes 550–574 are Quectel TCP/IP errors (Quectel TCP/IP AT manual,
 * inferred: not in the shared reference).
 */
import { SmartpoleError } from '../errors.js';

export enum CmeCode {
  PhoneFailure = 0,
  NoConnection = 1,
  LinkReserved = 2,
  NotAllowed = 3,
  NotSupported = 4,
  PhSimPin = 5,
  PhFsimPin = 6,
  PhFsimPuk = 7,
  SimNotInserted = 10,
  SimPin = 11,
  SimPuk = 12,
  SimFailure = 13,
  SimBusy = 14,
  SimWrong = 15,
  IncorrectPassword = 16,
  SimPin2 = 17,
  SimPuk2 = 18,
  MemoryFull = 20,
  InvalidIndex = 21,
  NotFound = 22,
  MemoryFailure = 23,
  TextTooLong = 24,
  InvalidChars = 25,
  DialStringTooLong = 26,
  InvalidDialChars = 27,
  NoNetwork = 30,
  NetworkTimeout = 31,
  EmergencyOnly = 32,
  NetPersPin = 40,
  NetPersPuk = 41,
  NetSubPersPin = 42,
  NetSubPersPuk = 43,
  ProviderPersPin = 44,
  ProviderPersPuk = 45,
  CorpPersPin = 46,
  CorpPersPuk = 47,
  HiddenKey = 48,
  EapNotSupported = 49,
  IncorrectParameters = 50,
  Unknown = 100,
  IllegalMs = 103,
  IllegalMe = 106,
  GprsNotAllowed = 107,
  PlmnNotAllowed = 111,
  LocationAreaNotAllowed = 112,
  RoamingNotAllowed = 113,
  ServiceOptionNotSupported = 132,
  ServiceOptionNotSubscribed = 133,
  ServiceOptionOutOfOrder = 134,
  UnspecifiedGprsError = 148,
  PdpAuthFailure = 149,
  InvalidMobileClass = 150,
  QuectelUnknown = 550,
  QuectelBlocked = 551,
  QuectelInvalidParameters = 552,
  QuectelNoMemory = 553,
  QuectelSocketCreate = 554,
  QuectelNotSupported = 555,
  QuectelPdpOpenFailed = 561,
  QuectelPdpCloseFailed = 562,
  QuectelDnsBusy = 564,
  QuectelDnsFailed = 565,
  QuectelConnectFailed = 566,
  QuectelBusy = 568,
  QuectelTimeout = 569,
  QuectelPdpBroken = 570,
  QuectelNotAllowed = 572,
  QuectelNoApn = 573,
}

/** The 27.007 text for each code, as printed with `+CMEE=2`. */
export const CME_TEXT: Readonly<Record<number, string>> = Object.freeze({
  0: 'phone failure', 1: 'no connection to phone', 2: 'phone-adaptor link reserved', 3: 'operation not allowed',
  4: 'operation not supported', 5: 'PH-SIM PIN required', 6: 'PH-FSIM PIN required', 7: 'PH-FSIM PUK required',
  10: 'SIM not inserted', 11: 'SIM PIN required', 12: 'SIM PUK required', 13: 'SIM failure', 14: 'SIM busy',
  15: 'SIM wrong', 16: 'incorrect password', 17: 'SIM PIN2 required', 18: 'SIM PUK2 required', 20: 'memory full',
  21: 'invalid index', 22: 'not found', 23: 'memory failure', 24: 'text string too long',
  25: 'invalid characters in text string', 26: 'dial string too long', 27: 'invalid characters in dial string',
  30: 'no network service', 31: 'network timeout', 32: 'network not allowed - emergency calls only',
  40: 'network personalization PIN required', 41: 'network personalization PUK required',
  42: 'network subset personalization PIN required', 43: 'network subset personalization PUK required',
  44: 'service provider personalization PIN required', 45: 'service provider personalization PUK required',
  46: 'corporate personalization PIN required', 47: 'corporate personalization PUK required', 48: 'hidden key required',
  49: 'EAP method not supported', 50: 'incorrect parameters', 100: 'unknown', 103: 'illegal MS', 106: 'illegal ME',
  107: 'GPRS services not allowed', 111: 'PLMN not allowed', 112: 'location area not allowed',
  113: 'roaming not allowed in this location area', 132: 'service option not supported',
  133: 'requested service option not subscribed', 134: 'service option temporarily out of order',
  148: 'unspecified GPRS error', 149: 'PDP authentication failure', 150: 'invalid mobile class',
  550: 'unknown error', 551: 'operation blocked', 552: 'invalid parameters', 553: 'memory not enough',
  554: 'create socket failed', 555: 'operation not supported', 561: 'open PDP context failed',
  562: 'close PDP context failed', 564: 'DNS busy', 565: 'DNS parse failed', 566: 'socket connect failed',
  568: 'operation busy', 569: 'operation timeout', 570: 'PDP context broken down', 572: 'operation not allowed',
  573: 'APN not configured',
});

const BY_TEXT = new Map(Object.entries(CME_TEXT).filter(([k]) => Number(k) < 550).map(([k, v]) => [v.toLowerCase(), Number(k)]));

/** Maps a `+CMEE=2` text back to its code; null if unknown. */
export function cmeFromText(text: string): number | null {
  return BY_TEXT.get(text.trim().toLowerCase()) ?? null;
}

/** The enum member's name for a code (`SimNotInserted`), or `cme<n>` for codes outside the table. */
export function cmeName(code: number): string {
  return (CmeCode as unknown as Record<number, string>)[code] ?? `cme${code}`;
}

/** A `+CME ERROR` as a typed error: `e.cme === CmeCode.SimNotInserted`. */
export class CmeError extends SmartpoleError {
  /** What the code means (the 27.007 text), whatever form the modem printed. */
  readonly meaning: string;

  constructor(readonly cme: number | null, readonly text: string, readonly command: string) {
    const known = cme !== null ? CME_TEXT[cme] : undefined;
    super('SP_AT_CME', `${command}: +CME ERROR ${cme ?? ''} ${known ?? text}`.replace(/\s+/g, ' ').trim(), {
      command, cme, name: cme !== null ? cmeName(cme) : null, text: known ?? text,
    });
    this.name = 'CmeError';
    this.meaning = known ?? text;
  }

  /** True for errors that say something about the SIM (10–18, 5–7). */
  get isSimError(): boolean {
    return this.cme !== null && ((this.cme >= 10 && this.cme <= 18) || (this.cme >= 5 && this.cme <= 7));
  }
}
