import { parsePublicKey, type TrustedKey } from '../../protocols/envelope.js';
import type { Config } from '../config/schema.js';

/** Builds the kid → key map from config.trust (revoked kids are kept, flagged, so refusals say why). */
export function trustedKeys(trust: Config['trust']): Map<string, TrustedKey> {
  const revoked = new Set(trust.revokedKids);
  const m = new Map<string, TrustedKey>();
  for (const k of trust.keys) m.set(k.kid, { kid: k.kid, issuer: k.issuer, key: parsePublicKey(k.publicKey), revoked: revoked.has(k.kid) });
  return m;
}
