import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateKeyPairSync } from 'node:crypto';
import { openEnvelope, parsePublicKey, rawPublicKey, sealEnvelope, type TrustedKey } from './envelope.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const keys = new Map<string, TrustedKey>([
  ['k1', { kid: 'k1', issuer: 'city-ops', key: publicKey, revoked: false }],
  ['old', { kid: 'old', issuer: 'city-ops', key: publicKey, revoked: true }],
]);
const open = (b: string | Uint8Array) => openEnvelope(typeof b === 'string' ? Buffer.from(b) : b, (k) => keys.get(k));

describe('signed envelope', () => {
  it('opens what it seals', () => {
    const env = sealEnvelope({ type: 'notice', id: 'a', version: 1 }, 'k1', privateKey);
    const r = open(JSON.stringify(env));
    expect(r).toMatchObject({ ok: true, kid: 'k1', issuer: 'city-ops', payload: { type: 'notice', id: 'a', version: 1 } });
  });

  it('refuses a signature by another key, a changed payload, unknown and revoked kids', () => {
    const forged = sealEnvelope({ id: 'a' }, 'k1', other.privateKey);
    expect(open(JSON.stringify(forged))).toMatchObject({ ok: false, reason: 'bad-signature' });
    const env = sealEnvelope({ id: 'a', version: 1 }, 'k1', privateKey);
    const tampered = { ...env, payload: Buffer.from(JSON.stringify({ id: 'a', version: 2 })).toString('base64') };
    expect(open(JSON.stringify(tampered))).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(open(JSON.stringify({ ...env, kid: 'nobody' }))).toMatchObject({ ok: false, reason: 'unknown-kid' });
    expect(open(JSON.stringify({ ...sealEnvelope({ id: 'a' }, 'old', privateKey) }))).toMatchObject({ ok: false, reason: 'revoked-kid' });
  });

  it('refuses empty, non-JSON and malformed envelopes with a reason', () => {
    expect(open('')).toMatchObject({ ok: false, reason: 'empty' });
    expect(open('{nope')).toMatchObject({ ok: false, reason: 'malformed-json' });
    expect(open('{"kid":"k1"}')).toMatchObject({ ok: false, reason: 'malformed-envelope' });
  });

  it('never throws on random bytes or random JSON', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 500 }), (b) => { expect(open(b).ok).toBe(false); }));
    fc.assert(fc.property(fc.json(), (j) => { expect(open(j).ok).toBe(false); }));
    fc.assert(fc.property(fc.record({ kid: fc.string(), alg: fc.constant('Ed25519'), payload: fc.base64String(), sig: fc.base64String() }), (e) => {
      expect(open(JSON.stringify(e)).ok).toBe(false);
    }));
  });

  it('reads public keys as raw base64 or PEM', () => {
    const raw = rawPublicKey(publicKey);
    expect(rawPublicKey(parsePublicKey(raw))).toBe(raw);
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(rawPublicKey(parsePublicKey(pem))).toBe(raw);
    expect(() => parsePublicKey('AAAA')).toThrow(/32 bytes/);
  });
});
