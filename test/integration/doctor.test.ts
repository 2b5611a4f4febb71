/**
 * `smartpole doctor` against a good pole config (a socat PTY as the LED device, mosquitto with TLS
 * and client certificates, real certificate files) and against each broken case: every failure
 * names its check, says what to do, and decides the exit status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runDoctor, formatReport } from '../../runtime/doctor/doctor.js';
import { doctorMain } from '../../runtime/doctor/cli.js';
import { PtyPair } from '../../simulator/serial/pty-pair.js';
import { DEV_CONSOLE_PIN_HASH } from '../../simulator/pole-config.js';
import { freePort, startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { testIssuer } from '../helpers/keys.js';

const ossl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

/** A CA and certificates valid for `days` (the helper PKI's 2 days would trip the 30-day warning). */
function pki(dir: string, days: number) {
  ossl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '800', '-subj', '/CN=city-ca'], dir);
  const issue = (cn: string, ext: string, d = days) => {
    writeFileSync(join(dir, `${cn}.ext`), ext);
    ossl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${cn}.key`, '-out', `${cn}.csr`, '-subj', `/CN=${cn}`], dir);
    ossl(['x509', '-req', '-in', `${cn}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${cn}.crt`, '-days', String(d), '-extfile', `${cn}.ext`], dir);
    return { cert: join(dir, `${cn}.crt`), key: join(dir, `${cn}.key`) };
  };
  const server = issue('broker', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n', 800);
  const client = issue('WH-JA-0001', 'extendedKeyUsage=clientAuth\n');
  const short = issue('WH-JA-0001-short', 'extendedKeyUsage=clientAuth\n', 10);
  return { ca: join(dir, 'ca.pem'), server, client, short };
}

describe('smartpole doctor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sp-doctor-'));
  let pair: PtyPair;
  let broker: Mosquitto;
  let p: ReturnType<typeof pki>;
  let good: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  const write = (name: string, c: object) => {
    const f = join(dir, `${name}.yaml`);
    writeFileSync(f, stringify(c));
    return f;
  };
  const variant = (name: string, change: (c: any) => void) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const c = structuredClone(good);
    change(c);
    return write(name, c);
  };
  const doctor = (file: string, o: { user?: string; now?: number } = {}) => runDoctor({ configFile: file, user: o.user ?? 'root', timeoutMs: 3000, now: o.now });
  const finding = async (file: string, id: string, o?: { user?: string; now?: number }) => {
    const r = await doctor(file, o);
    const f = r.findings.find((x) => x.id === id);
    expect(f, `finding ${id} in\n${formatReport(r)}`).toBeDefined();
    return { r, f: f! };
  };

  beforeAll(async () => {
    p = pki(dir, 400);
    const port = await freePort();
    broker = await startMosquitto([
      `listener ${port} 127.0.0.1`, `cafile ${p.ca}`, `certfile ${p.server.cert}`, `keyfile ${p.server.key}`,
      'require_certificate true', 'use_identity_as_username true', 'allow_anonymous false', 'persistence false',
      // Started as root, mosquitto would drop to user mosquitto and could not read the test's files.
      `user ${userInfo().username}`, '',
    ].join('\n'), port);
    mkdirSync(join(dir, 'pty'));
    pair = new PtyPair('led', join(dir, 'pty'));
    await pair.start();
    good = {
      pole: { id: 'WH-JA-0001', location: { lat: 30.6, lon: 114.3 } },
      storage: { dataDir: join(dir, 'data') },
      mqtt: { url: `mqtts://127.0.0.1:${port}`, tls: { caFile: p.ca, certFile: p.client.cert, keyFile: p.client.key } },
      trust: { keys: [{ kid: 'city-1', issuer: 'city-ops', publicKey: testIssuer().publicKey }] },
      devices: { led: { path: pair.hostPath }, console: { path: pair.hostPath, pinHash: DEV_CONSOLE_PIN_HASH } },
    };
    chmodSync(p.client.key, 0o600);
  });

  afterAll(async () => {
    await pair?.stop();
    await broker?.stop();
  });

  it('passes a good config: safe to start, exit 0, every check reported', async () => {
    const file = write('good', good);
    const r = await doctor(file);
    const report = formatReport(r);
    console.log(report);
    const failed = r.findings.filter((f) => !f.ok);
    // Only the clock may be unknown in a container without timedated; that is a warning.
    expect(failed.map((f) => f.id).filter((id) => id !== 'host.clock'), report).toEqual([]);
    expect(r.safeToStart).toBe(true);
    for (const id of ['config', 'host.user', 'host.disk', 'host.fonts', 'device.led', 'device.console', 'tls.caFile', 'tls.certFile', 'tls.keyFile', 'trust', 'console.pin', 'broker']) {
      expect(r.findings.map((f) => f.id), id).toContain(id);
    }
    const lines: string[] = [];
    expect(await doctorMain(['--config', file, '--user', 'root', '--json'], (s) => lines.push(s))).toBe(0);
    expect(JSON.parse(lines.join('\n')).safeToStart).toBe(true);
  });

  it('an invalid config: the field path, exit 1, nothing else checked', async () => {
    const file = variant('bad-config', (c) => { c.pole.location.lat = 123; });
    const { r, f } = await finding(file, 'config');
    expect(f).toMatchObject({ ok: false, severity: 'error' });
    expect(f.message).toMatch(/pole\.location\.lat/);
    expect(r.findings).toHaveLength(2 + 1 + 1); // config + host.user, host.clock, host.fonts
    expect(await doctorMain(['--config', file, '--user', 'root'], () => {})).toBe(1);
  });

  it('a missing device', async () => {
    const { r, f } = await finding(variant('no-dev', (c) => { c.devices.led.path = join(dir, 'nope'); }), 'device.led');
    expect(f).toMatchObject({ ok: false, severity: 'error' });
    expect(f.fix).toMatch(/smartpole devices/);
    expect(r.safeToStart).toBe(false);
  });

  it('a device the service user may not open, and a user outside dialout', async () => {
    const file = write('good-nobody', good);
    const r = await doctor(file, { user: 'nobody' });
    const dev = r.findings.find((f) => f.id === 'device.led')!;
    expect(dev).toMatchObject({ ok: false, severity: 'error' });
    expect(dev.message).toMatch(/nobody cannot open/);
    expect(r.findings.find((f) => f.id === 'host.user')).toMatchObject({ ok: false, fix: 'adduser nobody dialout' });
    expect(r.findings.find((f) => f.id === 'tls.keyFile')).toMatchObject({ ok: false, severity: 'error' });
  });

  it('a certificate expiring within 30 days warns; an expired one fails', async () => {
    const soon = await finding(variant('short-cert', (c) => { c.mqtt.tls.certFile = p.short.cert; c.mqtt.tls.keyFile = p.short.key; }), 'tls.certFile');
    expect(soon.f).toMatchObject({ ok: false, severity: 'warn' });
    expect(soon.f.message).toMatch(/expires in 9 days|expires in 10 days/);
    const later = await finding(write('good-future', good), 'tls.certFile', { now: Date.now() + 500 * 86_400_000 });
    expect(later.f).toMatchObject({ ok: false, severity: 'error' });
    expect(later.f.message).toMatch(/expired/);
  });

  it('a key that is not the certificate\'s, and a key readable by others', async () => {
    const other = join(dir, 'other.key');
    copyFileSync(p.short.key, other);
    chmodSync(other, 0o644);
    const file = variant('wrong-key', (c) => { c.mqtt.tls.keyFile = other; });
    const { r, f } = await finding(file, 'tls.keyFile');
    expect(f).toMatchObject({ ok: false, severity: 'error' });
    expect(f.message).toMatch(/is not the key of/);
    expect(r.findings.find((x) => x.id === 'tls.key-mode')).toMatchObject({ ok: false, severity: 'warn', fix: `chmod 600 ${other}` });
  });

  it('a trust key that does not parse', async () => {
    const { f } = await finding(variant('bad-trust', (c) => { c.trust.keys[0].publicKey = 'A'.repeat(60); }), 'trust');
    expect(f).toMatchObject({ ok: false, severity: 'error' });
  });

  it('no console PIN', async () => {
    const { f } = await finding(variant('no-pin', (c) => { delete c.devices.console.pinHash; }), 'console.pin');
    expect(f).toMatchObject({ ok: false, severity: 'error' });
    expect(f.fix).toMatch(/smartpole console-hash --config/);
  });

  it('the broker: closed port (error, or a warning when the modem brings the network), wrong CA, refused CONNACK', async () => {
    const closed = await freePort();
    const tcp = await finding(variant('closed', (c) => { c.mqtt.url = `mqtts://127.0.0.1:${closed}`; }), 'broker.tcp');
    expect(tcp.f).toMatchObject({ ok: false, severity: 'error' });
    const viaModem = await finding(variant('closed-modem', (c) => {
      c.mqtt.url = `mqtts://127.0.0.1:${closed}`;
      c.devices.modem = { path: pair.hostPath };
    }), 'broker.tcp');
    expect(viaModem.f).toMatchObject({ ok: false, severity: 'warn' });
    // With a modem fitted, the doctor also asks whether ModemManager/NetworkManager drive it
    // (nothing does on this machine: the finding passes and names the port).
    const coexist = viaModem.r.findings.find((f) => f.id === 'modem.coexistence');
    expect(coexist, JSON.stringify(viaModem.r.findings.map((f) => f.id))).toMatchObject({ ok: true });

    const otherCa = mkdtempSync(join(dir, 'ca2-'));
    ossl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '800', '-subj', '/CN=other'], otherCa);
    const tls = await finding(variant('wrong-ca', (c) => { c.mqtt.tls.caFile = join(otherCa, 'ca.pem'); }), 'broker.tls');
    expect(tls.f).toMatchObject({ ok: false, severity: 'error' });

    const sp = await freePort();
    const strict = await startMosquitto(`listener ${sp} 127.0.0.1\nallow_anonymous false\npersistence false\nuser ${userInfo().username}\n`, sp);
    try {
      const refused = await finding(variant('refused', (c) => { c.mqtt.url = strict.url; delete c.mqtt.tls; }), 'broker.mqtt');
      expect(refused.f).toMatchObject({ ok: false, severity: 'error' });
      expect(refused.f.message).toMatch(/Not authorized|refused/i);
    } finally {
      await strict.stop();
    }
  });
});
