/**
 * MessageGate: the one door every signed city → pole message passes (docs/architecture.md §Flow 1).
 * Envelope → trusted key → signature → schema → topic match → version → time window.
 * It decides; callers store the payload and call `commit()` inside the same transaction,
 * so a crash can never record a version without its content or the reverse.
 *
 * The version comes before the time window so that an exact copy of something already held
 * (a retained message redelivered on every reconnect) stays a silent duplicate even after it
 * has expired. An expired message never seen before can be `remember()`ed, so its next
 * redelivery is a silent duplicate too instead of a new refusal on every reconnect.
 */
import { createHash, verify } from 'node:crypto';
import type { z } from 'zod';
import { openEnvelope, rawPublicKey, type EnvelopeRejection, type TrustedKey } from '../../protocols/envelope.js';
import type { SignatureVerifier, VerifyItem } from './signature-verifier.js';
import type { TrustErrorCode } from './errors.js';
import type { VersionRegistry } from './version-registry.js';

export interface GateOptions {
  keys: ReadonlyMap<string, TrustedKey>;
  versions: VersionRegistry;
  clockSkewSec: number;
  now: () => number;
  /** Verifies bursts off the main thread (preverify); without it every check runs inline. */
  verifier?: SignatureVerifier;
}

export interface Versioned {
  id: string;
  version: number;
  issuedAt: string;
  expiresAt?: string | undefined;
}

export type GateResult<T> =
  | { ok: true; issuer: string; kid: string; payload: T; sha256: string; commit: () => void }
  | GateFailure;

export interface GateFailure {
  ok: false;
  code: TrustErrorCode;
  detail: string;
  kid?: string | undefined;
  /** Set once the signature verified: the sender is a trusted issuer. */
  issuer?: string | undefined;
  id?: string | undefined;
  version?: number | undefined;
  sha256?: string | undefined;
  /** For SP_MSG_EXPIRED: records the version so redeliveries become silent duplicates. */
  remember?: () => void;
}

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

/** Bursts smaller than this are verified inline by open(). */
export const PREVERIFY_MIN_BURST = 8;

export class MessageGate {
  /** Verdicts the worker pool computed, per raw message buffer; each is used once. */
  private readonly verdicts = new WeakMap<Uint8Array, boolean>();
  private readonly rawKeys = new Map<string, string>();

  constructor(private readonly o: GateOptions) {}

  /**
   * Verifies the signatures of a burst in the worker pool, ahead of open(). Never throws: what it
   * cannot verify (malformed, unknown key, pool down) is left to open(), which decides as always.
   */
  async preverify(raws: readonly Uint8Array[]): Promise<void> {
    const v = this.o.verifier;
    // A few messages are verified inline: a thread hop would cost more latency than it saves.
    if (!v || v.threads === 0 || raws.length < PREVERIFY_MIN_BURST) return;
    const items: VerifyItem[] = [];
    const owners: Uint8Array[] = [];
    for (const raw of raws) {
      try {
        const e = JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('utf8')) as { kid?: unknown; payload?: unknown; sig?: unknown };
        if (typeof e?.kid !== 'string' || typeof e.payload !== 'string' || typeof e.sig !== 'string') continue;
        const key = this.o.keys.get(e.kid);
        if (!key || key.revoked) continue;
        let pub = this.rawKeys.get(e.kid);
        if (!pub) { pub = rawPublicKey(key.key); this.rawKeys.set(e.kid, pub); }
        items.push({ publicKey: pub, data: Buffer.from(e.payload, 'base64'), sig: Buffer.from(e.sig, 'base64') });
        owners.push(raw);
      } catch { /* not an envelope: open() says why */ }
    }
    try {
      const out = await v.verifyMany(items);
      out.forEach((ok, i) => this.verdicts.set(owners[i]!, ok));
    } catch { /* pool unavailable: open() verifies inline */ }
  }

  /**
   * @param kind  version namespace, e.g. 'notice' (a withdraw shares its notice's versions)
   * @param expectId  the id the topic names, if it names one
   */
  open<S extends z.ZodType<Versioned>>(raw: Uint8Array, schema: S, kind: string, expectId?: string): GateResult<z.infer<S>> {
    const pre = this.verdicts.get(raw);
    this.verdicts.delete(raw);
    const env = openEnvelope(raw, (kid) => this.o.keys.get(kid), (key, bytes, sig) => pre ?? verify(null, bytes, key.key, sig));
    if (!env.ok) return { ok: false, code: ENVELOPE_CODES[env.reason], detail: env.detail, kid: env.kid };
    const base = { kid: env.kid, issuer: env.issuer };
    const sha256 = createHash('sha256').update(env.payloadBytes).digest('hex');
    const parsed = schema.safeParse(env.payload);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      const p = env.payload as { id?: unknown; version?: unknown } | null;
      return {
        ok: false, code: 'SP_MSG_SCHEMA', detail: `${i?.path.join('.') || '(root)'}: ${i?.message}`, ...base, sha256,
        id: typeof p?.id === 'string' && p.id.length <= 64 ? p.id : undefined, version: typeof p?.version === 'number' ? p.version : undefined,
      };
    }
    const payload = parsed.data as z.infer<S> & Versioned;
    const ids = { ...base, id: payload.id, version: payload.version };
    if (expectId !== undefined && payload.id !== expectId) {
      return { ok: false, code: 'SP_MSG_TOPIC_MISMATCH', detail: `payload id "${payload.id}" on topic for "${expectId}"`, ...ids, sha256 };
    }
    const signed = { ...ids, sha256 };
    const verdict = this.o.versions.check(env.issuer, kind, payload.id, payload.version, sha256);
    if (verdict === 'duplicate') return { ok: false, code: 'SP_MSG_DUPLICATE', detail: `version ${payload.version} already held`, ...signed };
    if (verdict === 'replay') return { ok: false, code: 'SP_MSG_REPLAY', detail: `version ${payload.version} already accepted with other content`, ...signed };
    if (verdict === 'rollback') {
      const have = this.o.versions.highest(env.issuer, kind, payload.id);
      return { ok: false, code: 'SP_MSG_ROLLBACK', detail: `version ${payload.version} < accepted ${have}`, ...signed };
    }
    const now = this.o.now();
    const skewMs = this.o.clockSkewSec * 1000;
    const expiresMs = payload.expiresAt ? Date.parse(payload.expiresAt) : null;
    const record = () => this.o.versions.record(env.issuer, kind, payload.id, payload.version, sha256, expiresMs);
    if (Date.parse(payload.issuedAt) - skewMs > now) {
      return { ok: false, code: 'SP_MSG_NOT_YET_VALID', detail: `issuedAt ${payload.issuedAt} is in the future`, ...signed };
    }
    if (expiresMs !== null && expiresMs + skewMs <= now) {
      return { ok: false, code: 'SP_MSG_EXPIRED', detail: `expired at ${payload.expiresAt}`, ...signed, remember: record };
    }
    return { ok: true, issuer: env.issuer, kid: env.kid, payload, sha256, commit: record };
  }
}
