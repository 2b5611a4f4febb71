/**
 * The technician PIN's stored form (docs/console.md §Logging in; the PIN is stored only as a
 * scrypt hash):
 * `scrypt$N$r$p$saltB64$hashB64`, e.g. `scrypt$32768$8$1$<16-byte salt>$<32-byte hash>`.
 * Pure: parsing, formatting and the limits that keep a hostile config from making scrypt eat the
 * pole's memory. Hashing and the constant-time comparison live in runtime/console/pin.ts.
 */

export interface PinHash {
  N: number;
  r: number;
  p: number;
  salt: Uint8Array;
  hash: Uint8Array;
}

/** Defaults for new hashes: ≈100 ms on the pole's CPU, 32 MiB. */
export const PIN_HASH_DEFAULTS = { N: 32768, r: 8, p: 1, saltBytes: 16, hashBytes: 32 } as const;

/** Bounds for parsed hashes: N a power of two 2^10…2^20, r·N·128 ≤ 256 MiB. */
export const PIN_HASH_LIMITS = { minN: 1024, maxN: 1 << 20, maxR: 32, maxP: 16, maxMemBytes: 256 * 1024 * 1024, minSalt: 8, minHash: 16, maxHash: 64 } as const;

export type PinHashParse = { ok: true; value: PinHash } | { ok: false; reason: string };

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

function b64(s: string): Uint8Array | null {
  if (!B64.test(s)) return null;
  return Uint8Array.from(Buffer.from(s, 'base64'));
}

export function parsePinHash(s: string): PinHashParse {
  const parts = s.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return { ok: false, reason: 'expected scrypt$N$r$p$saltB64$hashB64 (make one with `smartpole console-hash`)' };
  const [N, r, p] = parts.slice(1, 4).map((x) => (/^\d{1,8}$/.test(x) ? Number(x) : NaN)) as [number, number, number];
  const L = PIN_HASH_LIMITS;
  if (!Number.isInteger(N) || N < L.minN || N > L.maxN || (N & (N - 1)) !== 0) return { ok: false, reason: `N must be a power of two from ${L.minN} to ${L.maxN}` };
  if (!Number.isInteger(r) || r < 1 || r > L.maxR) return { ok: false, reason: `r must be 1–${L.maxR}` };
  if (!Number.isInteger(p) || p < 1 || p > L.maxP) return { ok: false, reason: `p must be 1–${L.maxP}` };
  if (128 * N * r > L.maxMemBytes) return { ok: false, reason: 'N·r needs more than 256 MiB' };
  const salt = b64(parts[4]!);
  const hash = b64(parts[5]!);
  if (!salt || salt.length < L.minSalt) return { ok: false, reason: `salt must be base64 of at least ${L.minSalt} bytes` };
  if (!hash || hash.length < L.minHash || hash.length > L.maxHash) return { ok: false, reason: `hash must be base64 of ${L.minHash}–${L.maxHash} bytes` };
  return { ok: true, value: { N, r, p, salt, hash } };
}

export function formatPinHash(h: PinHash): string {
  return ['scrypt', h.N, h.r, h.p, Buffer.from(h.salt).toString('base64'), Buffer.from(h.hash).toString('base64')].join('$');
}

/** Memory scrypt needs for these parameters, with headroom (Node's `maxmem`). */
export function scryptMaxmem(h: Pick<PinHash, 'N' | 'r'>): number {
  return 256 * h.N * h.r;
}

/** PIN policy for new PINs: 4–12 digits. Returns why a PIN is refused, or null. */
export function pinPolicyProblem(pin: string): string | null {
  if (!/^\d+$/.test(pin)) return 'a PIN is digits only';
  if (pin.length < 4 || pin.length > 12) return 'a PIN has 4 to 12 digits';
  if (/^(\d)\1+$/.test(pin)) return 'a PIN of one repeated digit is too easy to guess';
  return null;
}
