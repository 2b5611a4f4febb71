/**
 * Tokenizer for AT information-response parameters (3GPP TS 27.007 §4.1, §9.1):
 * `0,0,"CHINA MOBILE",13` → fields. Quoted strings may contain commas; empty fields are kept
 * (`+CEREG: 3,,,,0,15`); Quectel writes `-` for an invalid value (QNAN §3.2.2).
 */
import { badReply } from './errors.js';

export interface Field {
  /** The text without quotes. */
  value: string;
  /** Whether it was written in double quotes (`""` differs from an empty field). */
  quoted: boolean;
}

/** Removes `prefix` and the spaces after it, or raises SP_AT_BAD_REPLY. */
export function afterPrefix(line: string, prefix: string): string {
  if (!line.startsWith(prefix)) badReply(line, `expected ${prefix}`);
  return line.slice(prefix.length).trimStart();
}

export function splitFields(s: string, line = s): Field[] {
  const out: Field[] = [];
  let i = 0;
  const n = s.length;
  if (n === 0) return out;
  while (true) {
    while (i < n && s[i] === ' ') i++;
    if (s[i] === '"') {
      const end = s.indexOf('"', i + 1);
      if (end < 0) badReply(line, 'unterminated quoted string');
      out.push({ value: s.slice(i + 1, end), quoted: true });
      i = end + 1;
      while (i < n && s[i] === ' ') i++;
      if (i < n && s[i] !== ',') badReply(line, 'text after a quoted string');
    } else {
      let end = s.indexOf(',', i);
      if (end < 0) end = n;
      out.push({ value: s.slice(i, end).trim(), quoted: false });
      i = end;
    }
    if (i >= n) return out;
    i++; // the comma
    if (i >= n) { out.push({ value: '', quoted: false }); return out; }
  }
}

/** True when the field is Quectel's "invalid" marker or empty. */
export function isBlank(f: Field | undefined): boolean {
  return !f || (!f.quoted && (f.value === '' || f.value === '-'));
}

/** A decimal integer field; `-`/empty give null when `optional`, otherwise SP_AT_BAD_REPLY. */
export function intField(f: Field | undefined, line: string, name: string, optional = false): number | null {
  if (isBlank(f)) {
    if (optional) return null;
    badReply(line, `${name} missing`);
  }
  const v = f!.value;
  if (!/^[-+]?\d{1,12}$/.test(v)) badReply(line, `${name} is not an integer`);
  return Number(v);
}

export function requireInt(f: Field | undefined, line: string, name: string): number {
  return intField(f, line, name) as number;
}

/** A hexadecimal field (cell id, TAC), kept as upper-case text with its numeric value. */
export function hexField(f: Field | undefined, line: string, name: string): { hex: string; value: number } | null {
  if (isBlank(f) || (f!.quoted && f!.value === '')) return null;
  const v = f!.value;
  if (!/^(0x)?[0-9a-fA-F]{1,12}$/.test(v)) badReply(line, `${name} is not hexadecimal`);
  const hex = v.replace(/^0x/, '').toUpperCase();
  return { hex, value: parseInt(hex, 16) };
}

/** An integer that must lie in [min, max]; values outside (e.g. -32768 "not measured") become null. */
export function rangedInt(f: Field | undefined, line: string, name: string, min: number, max: number): number | null {
  const v = intField(f, line, name, true);
  return v === null || v < min || v > max ? null : v;
}

export function textField(f: Field | undefined): string | null {
  if (!f || (!f.quoted && (f.value === '' || f.value === '-'))) return null;
  return f.value;
}
