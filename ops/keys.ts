/**
 * Ops signing keys: one JSON file per Ed25519 key pair (mode 0600), holding the key id, the
 * issuer it speaks for, the private key (PKCS#8 PEM) and the public key (base64 of 32 raw bytes,
 * the form pole configs list under trust.keys).
 */
import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { rawPublicKey } from '../protocols/envelope.js';
import type { KeyPowersInput } from '../protocols/key-powers.js';

export interface SigningKey {
  kid: string;
  issuer: string;
  privateKey: KeyObject;
  publicKey: string;
  /** What the key is meant to sign (docs/security.md §Key powers); `ops trust add-key` lists it with these. */
  powers?: KeyPowersInput | undefined;
}

interface KeyFile {
  kid: string;
  issuer: string;
  alg: 'Ed25519';
  privateKey: string;
  publicKey: string;
  powers?: KeyPowersInput;
  createdAt: string;
}

export function generateSigningKey(issuer: string, kid?: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pub = rawPublicKey(publicKey);
  const id = kid ?? `${issuer}-${createHash('sha256').update(Buffer.from(pub, 'base64')).digest('hex').slice(0, 8)}`;
  return { kid: id, issuer, privateKey, publicKey: pub };
}

export function saveSigningKey(file: string, k: SigningKey): void {
  mkdirSync(dirname(file), { recursive: true });
  const body: KeyFile = {
    kid: k.kid, issuer: k.issuer, alg: 'Ed25519',
    privateKey: k.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKey: k.publicKey, ...(k.powers ? { powers: k.powers } : {}), createdAt: new Date().toISOString(),
  };
  writeFileSync(file, JSON.stringify(body, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function loadSigningKey(file: string): SigningKey {
  const k = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  if (k.alg !== 'Ed25519' || !k.kid || !k.privateKey) throw new Error(`${file} is not a smartpole signing key`);
  return { kid: k.kid, issuer: k.issuer, privateKey: createPrivateKey(k.privateKey), publicKey: k.publicKey, powers: k.powers };
}

/** Loads the key at `file`, creating it first if absent. Returns whether it was created. */
export function ensureSigningKey(file: string, issuer: string, powers?: KeyPowersInput): { key: SigningKey; created: boolean } {
  try {
    return { key: loadSigningKey(file), created: false };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    const key = { ...generateSigningKey(issuer), powers };
    saveSigningKey(file, key);
    return { key, created: true };
  }
}
