import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFile, parseConfig } from './load.js';
import { SmartpoleError } from '../../protocols/errors.js';

const minimal = () => ({
  pole: { id: 'WH-JA-0001', location: { lat: 30.6, lon: 114.3 } },
  mqtt: { url: 'mqtt://127.0.0.1:1883' },
  trust: { keys: [{ kid: 'k', issuer: 'i', publicKey: '2x0H2gZRJ1C/Ep1cT5pI0kb8m6a0yF6Zq7g2m4oXb3c=' }] },
});

describe('config', () => {
  it('loads the shipped example and freezes it', () => {
    const c = loadConfigFile(join(import.meta.dirname, '../../config/example.yaml'));
    expect(c.pole.id).toBe('WH-JA-0001');
    expect(c.pole.groups).toEqual(['district/jiangan', 'street/aomen-rd']);
    expect(Object.isFrozen(c.pole.location)).toBe(true);
    expect(() => { (c.pole as { id: string }).id = 'X'; }).toThrow();
  });

  it('fills defaults and resolves relative paths from the file', () => {
    const c = parseConfig(minimal(), '/etc/smartpole');
    expect(c.pole.timezone).toBe('Asia/Shanghai');
    expect(c.screen).toMatchObject({ width: 480, height: 800, idleTimeoutSec: 45 });
    expect(c.storage.dataDir).toBe('/etc/smartpole/data');
  });

  it('names the bad field', () => {
    const bad = minimal();
    (bad.pole.location as { lat: unknown }).lat = 'north';
    try {
      parseConfig(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SmartpoleError);
      expect((e as SmartpoleError).code).toBe('SP_CONFIG_INVALID');
      expect((e as Error).message).toMatch(/pole\.location\.lat/);
    }
    expect(() => parseConfig({ ...minimal(), surprise: 1 })).toThrow(/surprise|Unrecognized/);
    expect(() => parseConfig({ ...minimal(), pole: { ...minimal().pole, id: 'lower' } })).toThrow(/pole\.id/);
  });

  it('reports syntax errors and unreadable files with their own codes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'bad.yaml'), 'pole: [unclosed');
    expect(() => loadConfigFile(join(dir, 'bad.yaml'))).toThrow(expect.objectContaining({ code: 'SP_CONFIG_SYNTAX' }));
    expect(() => loadConfigFile(join(dir, 'none.yaml'))).toThrow(expect.objectContaining({ code: 'SP_CONFIG_UNREADABLE' }));
  });
});
