/**
 * PIN hashing and verification with scrypt (docs/console.md §Logging in). Verification runs scrypt
 * with the stored parameters in libuv's thread pool (the event loop keeps serving the screen) and
 * compares with
 * `timingSafeEqual`. Without a configured hash it still runs scrypt against a dummy, so the time a
 * wrong answer takes does not reveal whether a PIN is configured.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { PIN_HASH_DEFAULTS, formatPinHash, parsePinHash, scryptMaxmem, type PinHash } from '../../protocols/console/pin-hash.js';

function derive(pin: string, h: Pick<PinHash, 'N' | 'r' | 'p' | 'salt'>, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin.normalize('NFKC'), h.salt, length, { N: h.N, r: h.r, p: h.p, maxmem: scryptMaxmem(h) }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPin(pin: string, params: { N?: number; r?: number; p?: number } = {}): Promise<string> {
  const N = params.N ?? PIN_HASH_DEFAULTS.N;
  const r = params.r ?? PIN_HASH_DEFAULTS.r;
  const p = params.p ?? PIN_HASH_DEFAULTS.p;
  const salt = randomBytes(PIN_HASH_DEFAULTS.saltBytes);
  const hash = await derive(pin, { N, r, p, salt }, PIN_HASH_DEFAULTS.hashBytes);
  return formatPinHash({ N, r, p, salt, hash });
}

const DUMMY: PinHash = { N: PIN_HASH_DEFAULTS.N, r: 8, p: 1, salt: new Uint8Array(16), hash: new Uint8Array(32) };

/** True only if `pin` matches `stored`; false for a wrong PIN, a missing or unparsable hash. */
export async function verifyPin(pin: string, stored: string | undefined): Promise<boolean> {
  const parsed = stored ? parsePinHash(stored) : null;
  const h = parsed?.ok ? parsed.value : DUMMY;
  const got = await derive(pin.slice(0, 64), h, h.hash.length);
  const same = timingSafeEqual(got, h.hash);
  return same && h !== DUMMY;
}
