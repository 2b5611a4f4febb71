/**
 * `smartpole provision`: makes a pole's /etc/smartpole/pole.yaml from a template and the pole's
 * credentials (docs/deployment.md §Provision). Everything is checked before anything is written:
 * the certificate and key match, the CA parses, the trust keys and the PIN hash parse, and the
 * resulting config validates. Files are written atomically with their owners and modes: key 0600,
 * certificates 0644, config 0640 — owned by the service user.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmodSync, chownSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseDocument } from 'yaml';
import { parseConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { trustedKeys } from '../trust/keys.js';
import { parsePinHash } from '../../protocols/console/pin-hash.js';
import { lookupUser } from '../doctor/access.js';
import { deployError } from './errors.js';

export interface TrustKeyInput { kid: string; issuer: string; publicKey: string }

export interface ProvisionInput {
  poleId: string;
  certFile: string;
  keyFile: string;
  caFile: string;
  trustKeys: TrustKeyInput[];
  pinHash: string;
  brokerUrl?: string;
  /** YAML to start from (the installed example, or the pole's current config). */
  template: string;
  /** Where the config goes; TLS files go to `<its directory>/tls/`. */
  configFile: string;
  user: string;
}

export interface ProvisionResult { config: Readonly<Config>; written: { path: string; mode: number }[] }

function atomicWrite(path: string, data: string | Buffer, mode: number, owner: { uid: number; gid: number }): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, mode);
  chownSync(tmp, owner.uid, owner.gid);
  renameSync(tmp, path);
}

/** "kid:issuer:publicKey" (base64 keys contain no colon; PEM keys go through a file: kid:issuer:@file). */
export function parseTrustKeyArg(arg: string): TrustKeyInput {
  const m = /^([^:]+):([^:]+):(.+)$/s.exec(arg);
  if (!m) throw deployError('SP_PROVISION_INPUT', { arg }, { message: `--trust-key ${arg}: expected kid:issuer:publicKey (or kid:issuer:@file.pem)` });
  const key = m[3]!.startsWith('@') ? readFileSync(m[3]!.slice(1), 'utf8') : m[3]!;
  return { kid: m[1]!, issuer: m[2]!, publicKey: key };
}

export function provision(i: ProvisionInput): ProvisionResult {
  const bad = (message: string, detail: Record<string, unknown> = {}) => deployError('SP_PROVISION_INPUT', detail, { message });
  const user = lookupUser(i.user);
  if (!user) throw bad(`the service user ${i.user} does not exist: install the smartpole package first (or pass --user)`);
  const owner = { uid: user.uid, gid: user.gids[0]! };

  // Check every input before writing anything.
  let cert: X509Certificate;
  let ca: X509Certificate;
  const read = (p: string, what: string) => {
    try { return readFileSync(p); } catch (e) { throw bad(`${what} ${p}: ${(e as Error).message}`); }
  };
  const certPem = read(i.certFile, 'certificate');
  const keyPem = read(i.keyFile, 'key');
  const caPem = read(i.caFile, 'CA');
  try { cert = new X509Certificate(certPem); } catch (e) { throw bad(`${i.certFile} is not a PEM certificate: ${(e as Error).message}`); }
  try { ca = new X509Certificate(caPem); } catch (e) { throw bad(`${i.caFile} is not a PEM certificate: ${(e as Error).message}`); }
  try {
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) throw new Error('it does not belong to the certificate');
  } catch (e) { throw bad(`${i.keyFile}: ${(e as Error).message}`); }
  if (!cert.checkIssued(ca)) throw bad(`${i.certFile} was not issued by ${i.caFile}`);
  const pin = parsePinHash(i.pinHash);
  if (!pin.ok) throw bad(`--pin-hash: ${pin.reason} (make one with smartpole console-hash)`);
  if (i.trustKeys.length === 0) throw bad('at least one --trust-key is needed');
  try { trustedKeys({ keys: i.trustKeys, revokedKids: [], clockSkewSec: 120 }); } catch (e) { throw bad(`--trust-key: ${(e as Error).message}`); }

  const dir = dirname(i.configFile);
  const tlsDir = join(dir, 'tls');
  const paths = { caFile: join(tlsDir, 'ca.pem'), certFile: join(tlsDir, `${i.poleId}.crt`), keyFile: join(tlsDir, `${i.poleId}.key`) };
  const doc = parseDocument(i.template);
  if (doc.errors.length) throw bad(`the template is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  doc.setIn(['pole', 'id'], i.poleId);
  if (i.brokerUrl) doc.setIn(['mqtt', 'url'], i.brokerUrl);
  doc.setIn(['mqtt', 'tls'], doc.createNode({ ...paths }));
  doc.setIn(['trust', 'keys'], doc.createNode(i.trustKeys.map((k) => ({ ...k }))));
  if (!doc.hasIn(['devices', 'console'])) throw bad('the template has no devices.console section to put the PIN hash in');
  doc.setIn(['devices', 'console', 'pinHash'], i.pinHash);
  let config: Readonly<Config>;
  try {
    config = parseConfig(doc.toJS(), dir, i.configFile);
  } catch (e) { throw bad(`the provisioned config would not load: ${(e as Error).message}`); }

  mkdirSync(tlsDir, { recursive: true });
  chownSync(dir, owner.uid, owner.gid);
  chmodSync(dir, 0o750);
  chownSync(tlsDir, owner.uid, owner.gid);
  chmodSync(tlsDir, 0o750);
  const written = [
    { path: paths.caFile, data: caPem, mode: 0o644 },
    { path: paths.certFile, data: certPem, mode: 0o644 },
    { path: paths.keyFile, data: keyPem, mode: 0o600 },
    { path: i.configFile, data: doc.toString(), mode: 0o640 },
  ];
  for (const w of written) atomicWrite(w.path, w.data, w.mode, owner);
  return { config, written: written.map(({ path, mode }) => ({ path, mode })) };
}
