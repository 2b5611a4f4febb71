/**
 * The fleet trust list (docs/security.md §Trust list): which operations keys a pole trusts, what
 * each may sign, and which key ids are revoked. Signed by the root key (offline; its public half
 * is in every pole's config), published retained on `trust/list`, versioned and expiring, like
 * TUF's root-signed targets delegations. A pole applies a newer list atomically and never goes
 * back to an older one. Pure: no I/O.
 */
import { z } from 'zod';
import { IsoDateTime } from './time.js';
import { KeyPowers } from './key-powers.js';

export const TRUST_LIST_MAX_LIFETIME_MS = 400 * 86_400_000;

export const TrustListKey = z.strictObject({
  kid: z.string().min(1).max(64),
  issuer: z.string().min(1).max(64),
  /** Ed25519 public key: base64 of the raw 32 bytes. */
  publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'base64 of a 32-byte Ed25519 public key'),
  powers: KeyPowers,
});
export type TrustListKey = z.infer<typeof TrustListKey>;

export const TrustListPayload = z.strictObject({
  type: z.literal('trust.list'),
  /** Always every pole: one list for the fleet. */
  audience: z.literal('all'),
  /** Rises with every list; a pole refuses any version at or below the one it applied (rollback). */
  version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  issuedAt: IsoDateTime,
  /** Required: a list nobody refreshes stops being current (TUF's freeze defence). */
  expiresAt: IsoDateTime,
  keys: z.array(TrustListKey).max(256),
  revokedKids: z.array(z.string().min(1).max(64)).max(4096).default([]),
}).refine((l) => Date.parse(l.expiresAt) > Date.parse(l.issuedAt) && Date.parse(l.expiresAt) - Date.parse(l.issuedAt) <= TRUST_LIST_MAX_LIFETIME_MS, {
  message: 'expiresAt must be after issuedAt and at most 400 days later', path: ['expiresAt'],
}).refine((l) => new Set(l.keys.map((k) => k.kid)).size === l.keys.length, { message: 'kids must be unique', path: ['keys'] });
export type TrustListPayload = z.infer<typeof TrustListPayload>;
export type TrustListInput = z.input<typeof TrustListPayload>;
