/** `smartpole console-hash`: the PIN comes from stdin (never argv), the hash verifies, --config writes it. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyPin } from '../../runtime/console/pin.js';
import { loadConfigFile } from '../../runtime/config/load.js';
import { CLI, requireBuild } from '../helpers/sim-process.js';

const run = (args: string[], input: string) => spawnSync(process.execPath, [CLI, 'console-hash', ...args], { input, encoding: 'utf8', timeout: 30_000 });

describe('smartpole console-hash', () => {
  it('prints a scrypt hash of the PIN read from stdin', async () => {
    requireBuild();
    const r = run([], '802468\n');
    expect(r.status, r.stderr).toBe(0);
    const hash = r.stdout.trim();
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPin('802468', hash)).toBe(true);
  });

  it('refuses a weak PIN', () => {
    const r = run([], '111111\n');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/repeated/);
  });

  it('writes the hash into a config file, keeping its comments', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-hash-'));
    const file = join(dir, 'pole.yaml');
    writeFileSync(file, `# my pole\npole: { id: WH-JA-0002, location: { lat: 30, lon: 114 } }\nmqtt: { url: "mqtt://x:1883" }\ntrust: { keys: [ { kid: k, issuer: i, publicKey: "${'A'.repeat(43)}=" } ] }\ndevices:\n  console: { path: /dev/ttyS1 }  # service port\n`);
    const r = run(['--config', file], '55102938\n');
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('# service port');
    expect(await verifyPin('55102938', loadConfigFile(file).devices.console!.pinHash)).toBe(true);
  });
});
