/**
 * `smartpole devices` on a copy of a pole's /sys and /dev (a Quectel modem's AT interface, an
 * on-board UART, a legacy port without a UART) and `smartpole provision` writing a real config with
 * owners and modes from real certificate files — and refusing bad inputs without writing anything.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { devicesMain } from '../../runtime/deploy/devices-cli.js';
import { provisionMain } from '../../runtime/deploy/provision-cli.js';
import { loadConfigFile } from '../../runtime/config/load.js';
import { DEV_CONSOLE_PIN_HASH } from '../../simulator/pole-config.js';
import { testIssuer } from '../helpers/keys.js';
import { ROOT } from '../helpers/sim-process.js';

function files(dir: string, tree: Record<string, string>): void {
  for (const [p, v] of Object.entries(tree)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    if (v.startsWith('->')) symlinkSync(v.slice(2), join(dir, p));
    else writeFileSync(join(dir, p), v);
  }
}

describe('smartpole devices', () => {
  it('lists serial devices with USB identity, stable names and the config entry using each', () => {
    const root = mkdtempSync(join(tmpdir(), 'sp-devs-'));
    const usb = 'sys/devices/pci0000:00/0000:00:14.0/usb1/1-3';
    mkdirSync(join(root, usb, '1-3:1.2/ttyUSB2'), { recursive: true });
    mkdirSync(join(root, 'sys/devices/platform/serial8250/tty/ttyS0'), { recursive: true });
    mkdirSync(join(root, 'sys/devices/pnp0/00:05/tty/ttyS1'), { recursive: true });
    files(root, {
      [`${usb}/idVendor`]: '2c7c\n', [`${usb}/idProduct`]: '0801\n', [`${usb}/serial`]: 'f3a1\n', [`${usb}/manufacturer`]: 'Quectel\n', [`${usb}/product`]: 'RM520N-GL\n',
      [`${usb}/1-3:1.2/bInterfaceNumber`]: '02\n',
      'sys/class/tty/ttyUSB2/device': `->${join(root, usb, '1-3:1.2/ttyUSB2')}`,
      'sys/class/tty/ttyS0/device': `->${join(root, 'sys/devices/platform/serial8250/tty/ttyS0')}`, 'sys/class/tty/ttyS0/type': '0\n',
      'sys/class/tty/ttyS1/device': `->${join(root, 'sys/devices/pnp0/00:05/tty/ttyS1')}`, 'sys/class/tty/ttyS1/type': '4\n',
      'sys/class/tty/tty1/dev': '4:1\n',
      'dev/ttyUSB2': '', 'dev/ttyS0': '', 'dev/ttyS1': '',
      'dev/serial/by-id/usb-Quectel_RM520N-GL_f3a1-if02-port0': '->../../ttyUSB2',
      'dev/serial/by-path/pci-0000:00:14.0-usb-0:3:1.2-port0': '->../../ttyUSB2',
      'dev/smartpole/modem-at': '->../ttyUSB2',
      'dev/smartpole/console': '->../ttyS1',
    });
    const example = loadConfigFile(join(ROOT, 'config/example.yaml'));
    const cfg = join(root, 'pole.yaml');
    writeFileSync(cfg, stringify({
      pole: example.pole, mqtt: { url: 'mqtt://127.0.0.1:1883' }, trust: { keys: [{ kid: 'k', issuer: 'i', publicKey: testIssuer().publicKey }] },
      devices: { modem: { path: join(root, 'dev/smartpole/modem-at') }, console: { path: join(root, 'dev/smartpole/console') }, led: { path: join(root, 'dev/smartpole/led') } },
    }));
    const out: string[] = [];
    const code = devicesMain(['--root', root, '--config', cfg], (s) => out.push(s));
    const text = out.join('\n');
    console.log(text);
    expect(code).toBe(1); // devices.led is not plugged in
    expect(text).toContain(`${join(root, 'dev/ttyUSB2')}  usb 2c7c:0801 if02 serial f3a1 (Quectel RM520N-GL)  ← devices.modem`);
    expect(text).toContain(join(root, 'dev/serial/by-id/usb-Quectel_RM520N-GL_f3a1-if02-port0'));
    expect(text).toContain(`${join(root, 'dev/ttyS1')}  on-board  ← devices.console`);
    expect(text).not.toContain('ttyS0');
    expect(text).toMatch(/devices\.led: .*dev\/smartpole\/led is not among them/);
    const json: string[] = [];
    devicesMain(['--root', root, '--json'], (s) => json.push(s));
    expect(JSON.parse(json.join('')).devices.map((d: { node: string }) => d.node)).toEqual([join(root, 'dev/ttyS1'), join(root, 'dev/ttyUSB2')]);
  });
});

describe('smartpole provision', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sp-prov-'));
  const ossl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  ossl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/CN=city-ca']);
  ossl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'pole.key', '-out', 'pole.csr', '-subj', '/CN=WH-JA-0042']);
  ossl(['x509', '-req', '-in', 'pole.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'pole.crt', '-days', '30']);
  ossl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'other.key', '-out', 'other.csr', '-subj', '/CN=other']);
  const issuer = testIssuer('city-ops-2027a', 'city-ops');
  const args = (etc: string, over: Record<string, string> = {}) => Object.entries({
    '--pole-id': 'WH-JA-0042', '--cert': join(dir, 'pole.crt'), '--key': join(dir, 'pole.key'), '--ca': join(dir, 'ca.pem'),
    '--trust-key': `${issuer.kid}:${issuer.issuer}:${issuer.publicKey}`, '--pin-hash': DEV_CONSOLE_PIN_HASH, '--broker': 'mqtts://mqtt.example.invalid:8883',
    '--template': join(ROOT, 'config/example.yaml'), '--config': join(etc, 'pole.yaml'), '--user': 'nobody', ...over,
  }).flat();

  it('writes a valid config and the TLS files with owners and modes', () => {
    const etc = join(dir, 'etc-smartpole');
    const out: string[] = [];
    const err: string[] = [];
    expect(provisionMain(args(etc), (s) => out.push(s), (s) => err.push(s)), err.join('\n')).toBe(0);
    const nobody = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }));
    const st = (p: string) => { const s = statSync(join(etc, p)); return { mode: (s.mode & 0o777).toString(8), uid: s.uid }; };
    expect(st('pole.yaml')).toEqual({ mode: '640', uid: nobody });
    expect(st('tls/WH-JA-0042.key')).toEqual({ mode: '600', uid: nobody });
    expect(st('tls/WH-JA-0042.crt')).toEqual({ mode: '644', uid: nobody });
    expect(st('tls/ca.pem')).toEqual({ mode: '644', uid: nobody });
    expect(st('.')).toEqual({ mode: '750', uid: nobody });
    const c = loadConfigFile(join(etc, 'pole.yaml'));
    expect(c.pole.id).toBe('WH-JA-0042');
    expect(c.mqtt.url).toBe('mqtts://mqtt.example.invalid:8883');
    expect(c.mqtt.tls).toMatchObject({ caFile: join(etc, 'tls/ca.pem'), certFile: join(etc, 'tls/WH-JA-0042.crt'), keyFile: join(etc, 'tls/WH-JA-0042.key') });
    expect(c.trust.keys).toEqual([{ kid: issuer.kid, issuer: issuer.issuer, publicKey: issuer.publicKey }]);
    expect(c.devices.console?.pinHash).toBe(DEV_CONSOLE_PIN_HASH);
    expect(readFileSync(join(etc, 'pole.yaml'), 'utf8')).toContain('# smartpole runtime configuration'); // comments kept
    expect(readFileSync(join(etc, 'tls/WH-JA-0042.key'))).toEqual(readFileSync(join(dir, 'pole.key')));
  });

  it.each([
    ['a key that is not the certificate\'s', { '--key': join(dir, 'other.key') }, /does not belong to the certificate/],
    ['a certificate not issued by the CA', { '--ca': join(dir, 'pole.crt') }, /was not issued by/],
    ['a bad PIN hash', { '--pin-hash': 'scrypt$1$2' }, /--pin-hash/],
    ['a bad trust key', { '--trust-key': 'k:i:AAAA' }, /--trust-key/],
    ['a bad pole id', { '--pole-id': 'wh 42' }, /pole\.id/],
  ])('refuses %s and writes nothing', (_what, over, message) => {
    const etc = join(dir, `etc-bad-${Math.random().toString(36).slice(2)}`);
    const err: string[] = [];
    expect(provisionMain(args(etc, over), () => {}, (s) => err.push(s))).toBe(1);
    expect(err.join('\n')).toMatch(/SP_PROVISION_INPUT/);
    expect(err.join('\n')).toMatch(message);
    expect(existsSync(etc)).toBe(false);
  });
});
