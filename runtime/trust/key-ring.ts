/**
 * The keys in force (docs/security.md §Trust list). At start: the config's `trust.keys` (with
 * their powers) minus `trust.revokedKids` — unless a root-signed trust list was applied before,
 * which then replaces the config keys (the list is the fleet's authority; config revocations
 * still apply on top). `apply` swaps the whole map at once: a message is checked against one
 * list or the other, never a mix.
 */
import { parsePublicKey, type TrustedKey } from '../../protocols/envelope.js';
import type { TrustListPayload } from '../../protocols/trust-list.js';
import type { Config } from '../config/schema.js';
import type { KeyLookup } from './message-gate.js';

export interface TrustListInForce {
  version: number;
  expiresAt: string;
  expiresMs: number;
}

/** Builds the kid → key map from config.trust (revoked kids are kept, flagged, so refusals say why). */
export function trustedKeys(trust: Config['trust']): Map<string, TrustedKey> {
  const revoked = new Set(trust.revokedKids);
  const m = new Map<string, TrustedKey>();
  for (const k of trust.keys) m.set(k.kid, { kid: k.kid, issuer: k.issuer, key: parsePublicKey(k.publicKey), revoked: revoked.has(k.kid), powers: k.powers });
  return m;
}

/** The kid → key map a trust list defines (throws on a key that does not parse: check before applying). */
export function listKeys(list: TrustListPayload, alsoRevoked: readonly string[]): Map<string, TrustedKey> {
  const revoked = new Set([...list.revokedKids, ...alsoRevoked]);
  const m = new Map<string, TrustedKey>();
  for (const k of list.keys) m.set(k.kid, { kid: k.kid, issuer: k.issuer, key: parsePublicKey(k.publicKey), revoked: revoked.has(k.kid), powers: k.powers });
  // A revoked kid the list no longer carries is still named, so its refusal says "revoked", not "unknown".
  for (const kid of revoked) if (!m.has(kid)) m.set(kid, { kid, issuer: '?', key: null as never, revoked: true });
  return m;
}

export class KeyRing implements KeyLookup {
  private keys: Map<string, TrustedKey>;
  private inForce: TrustListInForce | null = null;

  constructor(private readonly trust: Config['trust']) {
    this.keys = trustedKeys(trust);
  }

  get(kid: string): TrustedKey | undefined {
    return this.keys.get(kid);
  }

  /** Replaces every key at once with the list's. */
  apply(list: TrustListPayload): void {
    const next = listKeys(list, this.trust.revokedKids);
    this.keys = next;
    this.inForce = { version: list.version, expiresAt: list.expiresAt, expiresMs: Date.parse(list.expiresAt) };
  }

  list(): TrustListInForce | null {
    return this.inForce;
  }

  size(): number {
    return [...this.keys.values()].filter((k) => !k.revoked).length;
  }
}
