/** TLS files, certificate lifetimes, the trust keys and the console PIN. */
import { primaryUrl } from '../../uplink/broker-list.js';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { trustedKeys } from '../../trust/keys.js';
import { allowed, reachable } from '../access.js';
import { fail, pass, type DoctorCheck, type DoctorContext, type Finding } from '../finding.js';

const DAY_MS = 86_400_000;
/** A certificate closer than this to its end is renewed before it strands the pole. */
export const CERT_WARN_DAYS = 30;

type TlsKey = 'caFile' | 'certFile' | 'keyFile';

function readable(ctx: DoctorContext, id: string, path: string): Finding | null {
  let st;
  try { st = statSync(path); } catch (e) {
    return fail(id, 'error', `${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (e as Error).message}`, 'run smartpole provision with the pole\'s certificate, key and the city\'s CA (docs/deployment.md §Provision)');
  }
  if (ctx.user && (reachable(ctx.user, path) || !allowed(ctx.user, st, 'r'))) {
    return fail(id, 'error', `${ctx.userName} cannot read ${path} (mode ${(st.mode & 0o777).toString(8)})`, `chown ${ctx.userName} ${path} (smartpole provision sets owners and modes)`);
  }
  return null;
}

function certFindings(ctx: DoctorContext, key: TlsKey, path: string): Finding[] {
  const id = `tls.${key}`;
  const bad = readable(ctx, id, path);
  if (bad) return [bad];
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(readFileSync(path));
  } catch (e) {
    return [fail(id, 'error', `${path} is not a PEM certificate: ${(e as Error).message}`, 'provision the right file')];
  }
  const left = Date.parse(cert.validTo) - ctx.now;
  const days = Math.floor(left / DAY_MS);
  if (Date.parse(cert.validFrom) > ctx.now) return [fail(id, 'error', `${path} is not valid before ${cert.validFrom}`, 'check the clock (host.clock) or the certificate')];
  if (left <= 0) return [fail(id, 'error', `${path} expired ${cert.validTo}`, 'renew the certificate and provision it again')];
  if (days < CERT_WARN_DAYS) return [fail(id, 'warn', `${path} expires in ${days} days (${cert.validTo})`, `renew it before it expires: ask the city PKI for a new certificate (less than ${CERT_WARN_DAYS} days left)`)];
  return [pass(id, `${path}: ${cert.subject.replace(/\n/g, ', ')}, ${days} days left`)];
}

function keyFindings(ctx: DoctorContext, keyPath: string, certPath: string | undefined): Finding[] {
  const id = 'tls.keyFile';
  const bad = readable(ctx, id, keyPath);
  if (bad) return [bad];
  const out: Finding[] = [];
  const st = statSync(keyPath);
  if (st.mode & 0o077) out.push(fail('tls.key-mode', 'warn', `${keyPath} is readable by others (mode ${(st.mode & 0o777).toString(8)})`, `chmod 600 ${keyPath}`));
  try {
    const key = createPrivateKey(readFileSync(keyPath));
    if (certPath) {
      const cert = new X509Certificate(readFileSync(certPath));
      if (!cert.checkPrivateKey(key)) return [...out, fail(id, 'error', `${keyPath} is not the key of ${certPath}`, 'provision the matching key and certificate')];
    }
  } catch (e) {
    return [...out, fail(id, 'error', `${keyPath} is not a usable private key: ${(e as Error).message}`, 'provision an unencrypted PEM private key')];
  }
  return [...out, pass(id, `${keyPath} matches the certificate`)];
}

export const CREDENTIAL_CHECKS: DoctorCheck[] = [
  {
    id: 'tls', needsConfig: true,
    run: (ctx): Finding[] => {
      const { mqtt, pole } = ctx.config!;
      const url = primaryUrl(mqtt, pole.id);
      const secure = /^(mqtts|wss|ssl):/.test(url);
      if (!mqtt.tls) {
        return [secure ? pass('tls', 'mqtts with the system CAs and no client certificate', 'warn')
          : fail('tls', 'warn', `${url} is not encrypted`, 'use mqtts:// with mqtt.tls (caFile, certFile, keyFile)')];
      }
      const out: Finding[] = [];
      if (mqtt.tls.caFile) out.push(...certFindings(ctx, 'caFile', mqtt.tls.caFile));
      if (mqtt.tls.certFile) out.push(...certFindings(ctx, 'certFile', mqtt.tls.certFile));
      if (mqtt.tls.keyFile) out.push(...keyFindings(ctx, mqtt.tls.keyFile, mqtt.tls.certFile));
      if (!mqtt.tls.rejectUnauthorized) out.push(fail('tls.verify', 'warn', 'mqtt.tls.rejectUnauthorized is false: the broker is not authenticated', 'remove rejectUnauthorized: false'));
      return out;
    },
  },
  {
    id: 'trust', needsConfig: true,
    run: (ctx): Finding[] => {
      try {
        const keys = trustedKeys(ctx.config!.trust);
        const live = [...keys.values()].filter((k) => !k.revoked);
        if (live.length === 0) return [fail('trust', 'error', 'every trust key is revoked: no city message would be accepted', 'add the current city key to trust.keys')];
        return [pass('trust', `${live.length} trust key(s): ${live.map((k) => `${k.kid} (${k.issuer})`).join(', ')}`)];
      } catch (e) {
        return [fail('trust', 'error', `a trust key does not parse: ${(e as Error).message}`, 'trust.keys[].publicKey is an Ed25519 public key: PEM (SPKI) or base64 of its 32 bytes')];
      }
    },
  },
  {
    id: 'console.pin', needsConfig: true,
    run: (ctx): Finding[] => {
      const c = ctx.config!.devices.console;
      if (!c || c.enabled === false) return [pass('console.pin', 'no technician console configured', 'warn')];
      return c.pinHash ? [pass('console.pin', 'the technician console PIN is set')]
        : [fail('console.pin', 'error', 'devices.console has no pinHash: nobody can log in on the service port', `smartpole console-hash --config ${ctx.configFile}`)];
    },
  },
];
