import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TICKET_SPACE, checkTicket, luhnDigit, makeTicket, randomTicket } from './feedback.js';

describe('feedback tickets', () => {
  it('are 8 digits + a Luhn check digit', () => {
    expect(luhnDigit('7992739871')).toBe(3); // the textbook Luhn example
    const t = makeTicket('26331004');
    expect(t).toMatch(/^26331004\d$/);
    expect(checkTicket(t)).toEqual({ ok: true });
    expect(() => makeTicket('2633100')).toThrow(RangeError);
    expect(randomTicket(() => 42)).toBe(makeTicket('00000042'));
    expect(() => randomTicket(() => TICKET_SPACE)).toThrow(RangeError);
    expect(() => randomTicket(() => 1.5)).toThrow(RangeError);
  });

  it('any random part makes a valid ticket', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: TICKET_SPACE - 1 }), (n) => {
      const t = randomTicket(() => n);
      expect(t).toHaveLength(9);
      expect(checkTicket(t)).toEqual({ ok: true });
    }));
  });

  it('catch every single mistyped digit and every swap of unequal neighbours', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: TICKET_SPACE - 1 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 9 }), (n, pos, delta) => {
      const t = randomTicket(() => n);
      const typo = t.slice(0, pos) + String((Number(t[pos]) + delta) % 10) + t.slice(pos + 1);
      expect(checkTicket(typo).ok).toBe(false);
      if (pos < 8 && t[pos] !== t[pos + 1] && !((t[pos] === '0' && t[pos + 1] === '9') || (t[pos] === '9' && t[pos + 1] === '0'))) {
        const swapped = t.slice(0, pos) + t[pos + 1] + t[pos] + t.slice(pos + 2);
        expect(checkTicket(swapped).ok).toBe(false);
      }
    }));
    expect(checkTicket('12345')).toEqual({ ok: false, reason: 'length' });
    expect(checkTicket('12a456789')).toEqual({ ok: false, reason: 'digits' });
  });
});
