import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigEditor } from './config-editor.js';
import { redactConfig, redactUrl } from '../config/secrets.js';

const YAML = `# pole config — comments must survive
pole:
  id: WH-JA-0001   # the pole
  location: { lat: 30.6, lon: 114.3 }
mqtt:
  url: mqtt://ops:s3cret@broker:1883
  password: s3cret
trust:
  keys:
    - { kid: k1, issuer: ops, publicKey: "${'A'.repeat(43)}=" }
devices:
  console:
    path: /dev/ttyS1   # service port
`;

function file(): string {
  const f = join(mkdtempSync(join(tmpdir(), 'sp-cfg-')), 'pole.yaml');
  writeFileSync(f, YAML);
  chmodSync(f, 0o640);
  return f;
}

describe('ConfigEditor', () => {
  it('sets a typed value, keeps comments and the file mode', () => {
    const f = file();
    const ch = new ConfigEditor(f).set('devices.console.idleLogoutSec', '120');
    expect(ch.after).toBe(120);
    expect(ch.config.devices.console?.idleLogoutSec).toBe(120);
    const text = readFileSync(f, 'utf8');
    expect(text).toContain('# pole config — comments must survive');
    expect(text).toContain('# service port');
    expect(text).toMatch(/idleLogoutSec: 120/);
    expect(statSync(f).mode & 0o777).toBe(0o640);
  });

  it('falls back to the string when only the string fits the schema', () => {
    const f = file();
    expect(new ConfigEditor(f).set('pole.location.address', '1234').after).toBe('1234');
    expect(new ConfigEditor(f).set('pole.location.address', '武汉市 江岸区').after).toBe('武汉市 江岸区');
  });

  it('refuses an invalid value or unknown key and leaves the file unchanged', () => {
    const f = file();
    expect(() => new ConfigEditor(f).set('devices.console.idleLogoutSec', '-5')).toThrow(expect.objectContaining({ code: 'SP_CONSOLE_CONFIG_INVALID' }));
    expect(() => new ConfigEditor(f).set('devices.console.colour', 'true')).toThrow(expect.objectContaining({ code: 'SP_CONSOLE_CONFIG_INVALID' }));
    expect(() => new ConfigEditor(f).set('devices.console.pinHash', 'plain-pin')).toThrow(/scrypt/);
    expect(() => new ConfigEditor(f).set('../etc', 'x')).toThrow(expect.objectContaining({ code: 'SP_CONSOLE_BAD_ARGS' }));
    expect(readFileSync(f, 'utf8')).toBe(YAML);
  });

  it('has nothing to edit without a file', () => {
    expect(() => new ConfigEditor(null).set('log.level', 'debug')).toThrow(expect.objectContaining({ code: 'SP_CONSOLE_CONFIG_READONLY' }));
  });

  it('redacts secrets and URL passwords', () => {
    const c = new ConfigEditor(file()).readFile();
    const r = redactConfig(c) as { mqtt: { password: string; url: string } };
    expect(r.mqtt.password).toBe('[redacted]');
    expect(r.mqtt.url).toBe('mqtt://ops:[redacted]@broker:1883');
    expect(redactUrl('mqtts://broker:8883')).toBe('mqtts://broker:8883');
  });
});

describe('keys the console never edits', () => {
  it('refuses trust, TLS, broker credentials and the modem hook, directly or inside a section', async () => {
    const { mkdtempSync, readFileSync: read, writeFileSync: write } = await import('node:fs');
    const { join: j } = await import('node:path');
    const { tmpdir: t } = await import('node:os');
    const f = j(mkdtempSync(j(t(), 'cfg-lock-')), 'pole.yaml');
    write(f, read(j(import.meta.dirname, '../../config/example.yaml'), 'utf8'));
    const e = new ConfigEditor(f);
    const before = read(f, 'utf8');
    for (const [key, value] of [['trust.revokedKids', '[x]'], ['mqtt.tls.rejectUnauthorized', 'false'], ['devices.modem.powerCycleCommand', 'rm -rf /'], ['devices.modem', '{path: /dev/ttyUSB2, apn: cmnet, powerCycleCommand: "sh -c id"}']]) {
      expect(() => e.set(key!, value!), key).toThrow(/cannot be changed from the console/);
    }
    expect(read(f, 'utf8')).toBe(before);
  });
});
