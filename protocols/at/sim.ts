/**
 * SIM state: `AT+CPIN?` (27.007 §8.3; docs/background.md §Modem and AT facts: `+CPIN: READY` / `SIM PIN` /
 * `SIM PUK`; `+CPIN: NOT READY` after CFUN=0; no SIM answers `+CME ERROR: 10`) and Quectel
 * `AT+QPINC="SC"` → `+QPINC: "SC",<pin attempts>,<puk attempts>`.
 */
import { badReply } from './errors.js';
import { afterPrefix, requireInt, splitFields } from './params.js';

export type SimStatus =
  | 'READY'
  | 'SIM PIN'
  | 'SIM PUK'
  | 'SIM PIN2'
  | 'SIM PUK2'
  | 'PH-SIM PIN'
  | 'PH-NET PIN'
  | 'PH-NET PUK'
  | 'NOT READY'
  | 'NOT INSERTED';

const KNOWN: readonly string[] = ['READY', 'SIM PIN', 'SIM PUK', 'SIM PIN2', 'SIM PUK2', 'PH-SIM PIN', 'PH-NET PIN', 'PH-NET PUK', 'NOT READY', 'NOT INSERTED'];

export function parseCpin(line: string): SimStatus {
  const v = afterPrefix(line, '+CPIN:').trim().replace(/^"|"$/g, '');
  if (!KNOWN.includes(v)) badReply(line, 'unknown SIM status');
  return v as SimStatus;
}

export interface PinCounters {
  facility: string;
  pinAttempts: number;
  pukAttempts: number;
}

export function parseQpinc(line: string): PinCounters {
  const f = splitFields(afterPrefix(line, '+QPINC:'), line);
  if (f.length < 3) badReply(line, '+QPINC needs facility and two counters');
  return { facility: f[0]!.value, pinAttempts: requireInt(f[1], line, 'pin attempts'), pukAttempts: requireInt(f[2], line, 'puk attempts') };
}
