/**
 * Final result codes (V.250 §5.7, 3GPP TS 27.007 §9.2): the line that ends a command's response.
 * These are the same lines ModemManager's src/mm-serial-parsers.c recognises (docs/background.md §Modem and AT facts).
 */
import { SmartpoleError } from '../errors.js';
import { atError } from './errors.js';
import { CmeError, cmeFromText } from './cme.js';

export type FinalResult =
  | { kind: 'ok' }
  | { kind: 'error' }
  | { kind: 'cme'; code: number | null; text: string }
  | { kind: 'cms'; code: number | null; text: string }
  | { kind: 'no-carrier' | 'busy' | 'no-answer' | 'no-dialtone' }
  | { kind: 'connect'; text: string };

const SIMPLE: Record<string, FinalResult> = {
  OK: { kind: 'ok' },
  ERROR: { kind: 'error' },
  'NO CARRIER': { kind: 'no-carrier' },
  BUSY: { kind: 'busy' },
  'NO ANSWER': { kind: 'no-answer' },
  'NO DIALTONE': { kind: 'no-dialtone' },
};

/** Classifies one complete line; null when it is not a final result. */
export function parseFinal(line: string): FinalResult | null {
  const simple = SIMPLE[line];
  if (simple) return simple;
  const m = /^\+(CME|CMS) ERROR:\s*(.*)$/.exec(line);
  if (m) {
    const rest = m[2]!.trim();
    const code = /^\d{1,4}$/.test(rest) ? Number(rest) : m[1] === 'CME' ? cmeFromText(rest) : null;
    return { kind: m[1] === 'CME' ? 'cme' : 'cms', code, text: rest };
  }
  if (line === 'CONNECT' || line.startsWith('CONNECT ')) return { kind: 'connect', text: line.slice(7).trim() };
  return null;
}

/** The typed error a non-OK final result stands for; null for OK/CONNECT. */
export function finalError(r: FinalResult, command: string): SmartpoleError | null {
  switch (r.kind) {
    case 'ok':
    case 'connect':
      return null;
    case 'cme':
      return new CmeError(r.code, r.text, command);
    case 'cms':
      return atError('SP_AT_CMS', { command, cms: r.code, text: r.text }, { message: `${command}: +CMS ERROR ${r.text}` });
    default:
      return atError('SP_AT_ERROR', { command, result: r.kind }, { message: `${command}: ${r.kind === 'error' ? 'ERROR' : r.kind.toUpperCase().replace('-', ' ')}` });
  }
}
