/** `smartpole ops keygen --issuer NAME --out FILE`: a new Ed25519 signing key and its config line. */
import { existsSync } from 'node:fs';
import { generateSigningKey, saveSigningKey } from '../keys.js';
import { OpsUsageError } from '../context.js';

export function keygenCommand(f: { issuer?: string; out?: string; kid?: string }, out: (s: string) => void): number {
  const issuer = f.issuer ?? 'city-ops';
  const file = f.out ?? `${issuer}.key.json`;
  if (existsSync(file)) throw new OpsUsageError(`${file} exists; choose another --out (keys are never overwritten)`);
  const key = generateSigningKey(issuer, f.kid);
  saveSigningKey(file, key);
  out(`wrote ${file} (mode 0600; keep it secret)`);
  out('add this to each pole config under trust.keys:');
  out(`  - kid: ${key.kid}\n    issuer: ${key.issuer}\n    publicKey: ${key.publicKey}`);
  return 0;
}
