/**
 * Citizens' messages (城市留言板, docs/screen.md §Behaviour): the ticket number a citizen gets and the
 * record the pole publishes on `poles/{poleId}/feedback` (docs/mqtt-api.md §Citizens' messages, schema
 * `FeedbackRecord` in protocols/uplink.ts). Pure.
 *
 * A ticket is 9 digits, typed later on a numeric keypad: YY DDD NNN C — year, day of year, the
 * pole's sequence number that day (001–999), and a Luhn check digit, so a mistyped digit or two
 * swapped neighbours are caught on the spot. It is unique per pole; the city keys it by pole id.
 */

export const TICKET_LENGTH = 9;
export const MAX_DAILY_SEQUENCE = 999;

/** Luhn check digit of a digit string. */
export function luhnDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** The 8-digit prefix (YYDDDNNN) for a local date and sequence. */
export function ticketPrefix(year: number, dayOfYear: number, seq: number): string {
  return `${String(year % 100).padStart(2, '0')}${String(dayOfYear).padStart(3, '0')}${String(seq).padStart(3, '0')}`;
}

export function makeTicket(year: number, dayOfYear: number, seq: number): string {
  if (seq < 1 || seq > MAX_DAILY_SEQUENCE) throw new RangeError(`sequence ${seq} outside 1..${MAX_DAILY_SEQUENCE}`);
  const p = ticketPrefix(year, dayOfYear, seq);
  return p + luhnDigit(p);
}

export type TicketCheck = { ok: true } | { ok: false; reason: 'length' | 'digits' | 'check' };

export function checkTicket(t: string): TicketCheck {
  if (!/^\d*$/.test(t)) return { ok: false, reason: 'digits' };
  if (t.length !== TICKET_LENGTH) return { ok: false, reason: 'length' };
  return luhnDigit(t.slice(0, -1)) === Number(t.at(-1)) ? { ok: true } : { ok: false, reason: 'check' };
}
