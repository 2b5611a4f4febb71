/**
 * MessageGate: the one door every signed city → pole message passes (design.md data flow 1).
 * Envelope → trusted key → signature → schema → topic match → time window → version.
 * It decides; callers store the payload and call `commit()` inside the same transaction,
 * so a crash can never record a version without its content or the reverse.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { openEnvelope, type EnvelopeRejection, type TrustedKey } from '../../protocols/envelope.js';
import type { TrustErrorCode } from './errors.js';
import type { VersionRegistry } from './version-registry.js';

export interface GateOptions {
  keys: ReadonlyMap<string, TrustedKey>;
  versions: VersionRegistry;
  clockSkewSec: number;
  now: () => number;
}

export interface Versioned {
  id: string;
  version: number;
  issuedAt: string;
  expiresAt?: string | undefined;
}

export type GateResult<T> =
  | { ok: true; issuer: string; kid: string; payload: T; sha256: string; commit: () => void }
  | { ok: false; code: TrustErrorCode; detail: string; kid?: string; issuer?: string; id?: string; version?: number };

const ENVELOPE_CODES: Record<EnvelopeRejection, TrustErrorCode> = {
  empty: 'SP_MSG_EMPTY',
  'too-large': 'SP_MSG_TOO_LARGE',
  'malformed-json': 'SP_MSG_MALFORMED',
  'malformed-envelope': 'SP_MSG_MALFORMED',
  'unknown-kid': 'SP_MSG_UNKNOWN_KEY',
  'revoked-kid': 'SP_MSG_REVOKED_KEY',
  'bad-signature': 'SP_MSG_BAD_SIGNATURE',
  'malformed-payload': 'SP_MSG_MALFORMED',
};

export class MessageGate {
  constructor(private readonly o: GateOptions) {}

  /**
   * @param kind  version namespace, e.g. 'notice' (a withdraw shares its notice's versions)
   * @param expectId  the id the topic names, if it names one
   */
  open<S extends z.ZodType<Versioned>>(raw: Uint8Array, schema: S, kind: string, expectId?: string): GateResult<z.infer<S>> {
    const env = openEnvelope(raw, (kid) => this.o.keys.get(kid));
    if (!env.ok) return { ok: false, code: ENVELOPE_CODES[env.reason], detail: env.detail, kid: env.kid };
    const base = { kid: env.kid, issuer: env.issuer };
    const parsed = schema.safeParse(env.payload);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      const p = env.payload as { id?: unknown; version?: unknown } | null;
      return {
        ok: false, code: 'SP_MSG_SCHEMA', detail: `${i?.path.join('.') || '(root)'}: ${i?.message}`, ...base,
        id: typeof p?.id === 'string' ? p.id : undefined, version: typeof p?.version === 'number' ? p.version : undefined,
      };
    }
    const payload = parsed.data as z.infer<S> & Versioned;
    const ids = { ...base, id: payload.id, version: payload.version };
    if (expectId !== undefined && payload.id !== expectId) {
      return { ok: false, code: 'SP_MSG_TOPIC_MISMATCH', detail: `payload id "${payload.id}" on topic for "${expectId}"`, ...ids };
    }
    const now = this.o.now();
    const skewMs = this.o.clockSkewSec * 1000;
    if (Date.parse(payload.issuedAt) - skewMs > now) {
      return { ok: false, code: 'SP_MSG_NOT_YET_VALID', detail: `issuedAt ${payload.issuedAt} is in the future`, ...ids };
    }
    if (payload.expiresAt && Date.parse(payload.expiresAt) + skewMs <= now) {
      return { ok: false, code: 'SP_MSG_EXPIRED', detail: `expired at ${payload.expiresAt}`, ...ids };
    }
    const sha256 = createHash('sha256').update(env.payloadBytes).digest('hex');
    const verdict = this.o.versions.check(env.issuer, kind, payload.id, payload.version, sha256);
    if (verdict === 'duplicate') return { ok: false, code: 'SP_MSG_DUPLICATE', detail: `version ${payload.version} already held`, ...ids };
    if (verdict === 'replay') return { ok: false, code: 'SP_MSG_REPLAY', detail: `version ${payload.version} already accepted with other content`, ...ids };
    if (verdict === 'rollback') {
      const have = this.o.versions.highest(env.issuer, kind, payload.id);
      return { ok: false, code: 'SP_MSG_ROLLBACK', detail: `version ${payload.version} < accepted ${have}`, ...ids };
    }
    return {
      ok: true, issuer: env.issuer, kid: env.kid, payload, sha256,
      commit: () => this.o.versions.record(env.issuer, kind, payload.id, payload.version, sha256),
    };
  }
}
