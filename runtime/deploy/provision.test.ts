/** The --trust-key argument parser (outside input): property tests. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseTrustKeyArg } from './provision.js';
import { SmartpoleError } from '../../protocols/errors.js';

const part = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !s.includes(':'));

describe('parseTrustKeyArg', () => {
  it('splits kid:issuer:key, the key keeping any further colons', () => {
    fc.assert(fc.property(part, part, fc.string({ minLength: 1, maxLength: 80 }).filter((s) => !s.startsWith('@')), (kid, issuer, key) => {
      expect(parseTrustKeyArg(`${kid}:${issuer}:${key}`)).toEqual({ kid, issuer, publicKey: key });
    }));
  });
  it('refuses anything else with SP_PROVISION_INPUT, never another error', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (s) => {
      try {
        const r = parseTrustKeyArg(s);
        expect(`${r.kid}:${r.issuer}:${r.publicKey}`).toBe(s);
      } catch (e) {
        expect(e).toBeInstanceOf(SmartpoleError);
        expect((e as SmartpoleError).code).toMatch(/^SP_PROVISION_INPUT$/);
      }
    }));
  });
});
