/** A throwaway PKI made with openssl for TLS tests: a CA, a broker certificate and client certificates. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pki {
  dir: string;
  ca: string;
  caKey: string;
  /** Makes a certificate signed by this CA; returns the cert and key paths. */
  issue(cn: string, opts?: { server?: boolean }): { cert: string; key: string };
}

const ossl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

export function makePki(name = 'test-ca'): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'pki-'));
  const ca = join(dir, 'ca.pem');
  const caKey = join(dir, 'ca.key');
  ossl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', caKey, '-out', ca, '-days', '2', '-subj', `/CN=${name}`], dir);
  return {
    dir, ca, caKey,
    issue(cn, opts = {}) {
      const key = join(dir, `${cn}.key`);
      const csr = join(dir, `${cn}.csr`);
      const cert = join(dir, `${cn}.crt`);
      const ext = join(dir, `${cn}.ext`);
      writeFileSync(ext, opts.server
        ? 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n'
        : 'extendedKeyUsage=clientAuth\n');
      ossl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${cn}`], dir);
      ossl(['x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', ext], dir);
      return { cert, key };
    },
  };
}
