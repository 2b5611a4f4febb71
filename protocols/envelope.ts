/**
 * The signed envelope every city → pole message travels in (docs/mqtt-api.md §Signed envelopes):
 * `{"kid", "alg": "Ed25519", "payload": base64(UTF-8 JSON), "sig": base64}`.
 * The signature covers the payload bytes exactly, so nothing is re-serialised before checking.
 * Pure: opening needs only the bytes and a key lookup; state (versions, replays) lives in runtime/.
 */
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';

export const ENVELOPE_MAX_BYTES = 256 * 1024;

export const EnvelopeSchema = z.strictObject({
  kid: z.string().min(1).max(64),
  alg: z.literal('Ed25519'),
  payload: z.string().min(1).max(ENVELOPE_MAX_BYTES).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
  sig: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'base64 of a 64-byte Ed25519 signature'),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

export interface TrustedKey {
  kid: string;
  /** Who the key speaks for; versions are tracked per issuer + message id. */
  issuer: string;
  key: KeyObject;
  revoked: boolean;
}

export type EnvelopeRejection =
  | 'empty'
  | 'too-large'
  | 'malformed-json'
  | 'malformed-envelope'
  | 'unknown-kid'
  | 'revoked-kid'
  | 'bad-signature'
  | 'malformed-payload';

export type OpenedEnvelope =
  | { ok: true; kid: string; issuer: string; payload: unknown; payloadBytes: Buffer }
  | { ok: false; reason: EnvelopeRejection; detail: string; kid?: string };

/** Checks an Ed25519 signature; the default is node:crypto, a caller may supply a verdict computed elsewhere. */
export type SignatureCheck = (key: TrustedKey, payloadBytes: Buffer, sig: Buffer) => boolean;
const cryptoCheck: SignatureCheck = (key, bytes, sig) => verify(null, bytes, key.key, sig);

export function openEnvelope(raw: Uint8Array, lookup: (kid: string) => TrustedKey | undefined, check: SignatureCheck = cryptoCheck): OpenedEnvelope {
  if (raw.length === 0) return { ok: false, reason: 'empty', detail: 'empty message' };
  if (raw.length > ENVELOPE_MAX_BYTES * 1.4) return { ok: false, reason: 'too-large', detail: `${raw.length} bytes` };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed-json', detail: 'envelope is not JSON' };
  }
  const env = EnvelopeSchema.safeParse(json);
  if (!env.success) {
    const issue = env.error.issues[0];
    return { ok: false, reason: 'malformed-envelope', detail: `${issue?.path.join('.') || '(root)'}: ${issue?.message}` };
  }
  const { kid, payload, sig } = env.data;
  const key = lookup(kid);
  if (!key) return { ok: false, reason: 'unknown-kid', detail: `no trusted key "${kid}"`, kid };
  if (key.revoked) return { ok: false, reason: 'revoked-kid', detail: `key "${kid}" is revoked`, kid };
  const payloadBytes = Buffer.from(payload, 'base64');
  if (!check(key, payloadBytes, Buffer.from(sig, 'base64'))) {
    return { ok: false, reason: 'bad-signature', detail: 'signature does not verify', kid };
  }
  try {
    return { ok: true, kid, issuer: key.issuer, payload: JSON.parse(payloadBytes.toString('utf8')), payloadBytes };
  } catch {
    return { ok: false, reason: 'malformed-payload', detail: 'payload is not UTF-8 JSON', kid };
  }
}

export function sealEnvelope(payload: unknown, kid: string, privateKey: KeyObject): Envelope {
  const bytes = Buffer.from(JSON.stringify(payload), 'utf8');
  return { kid, alg: 'Ed25519', payload: bytes.toString('base64'), sig: sign(null, bytes, privateKey).toString('base64') };
}

/** Accepts an Ed25519 public key as PEM (SPKI) or as base64 of the raw 32 bytes. */
export function parsePublicKey(text: string): KeyObject {
  const t = text.trim();
  if (t.startsWith('-----BEGIN')) return createPublicKey(t);
  const raw = Buffer.from(t, 'base64');
  if (raw.length !== 32) throw new Error('an Ed25519 public key is 32 bytes (base64) or PEM');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

export function rawPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' }) as { x: string };
  return Buffer.from(jwk.x, 'base64url').toString('base64');
}
