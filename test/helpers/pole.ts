/** An in-process pole without hardware (no LED board), for MQTT integration tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../runtime/config/load.js';
import type { ConfigInput } from '../../runtime/config/schema.js';
import { startPole, type Pole } from '../../runtime/pole.js';
import { generateSigningKey, saveSigningKey, type SigningKey } from '../../ops/keys.js';
import { testLogger } from './logger.js';

export interface TestPoleOptions {
  mqttUrl: string;
  poleId?: string;
  dataDir?: string;
  key?: SigningKey;
  mqtt?: Partial<ConfigInput['mqtt']>;
  pole?: Partial<ConfigInput['pole']>;
  uplink?: ConfigInput['uplink'];
}

export function testKey(): { key: SigningKey; file: string } {
  const key = generateSigningKey('test-ops');
  const file = join(mkdtempSync(join(tmpdir(), 'key-')), 'ops.key.json');
  saveSigningKey(file, key);
  return { key, file };
}

export function testPoleConfig(o: TestPoleOptions & { key: SigningKey }) {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'pole-'));
  return parseConfig({
    pole: { id: o.poleId ?? 'WH-JA-0001', groups: ['district/jiangan'], location: { lat: 30.6043, lon: 114.3012, address: '武汉市江岸区澳门路', areaCode: '420102' }, ...o.pole },
    storage: { dataDir },
    mqtt: { url: o.mqttUrl, keepaliveSec: 10, reconnect: { initialSec: 0.2, maxSec: 2 }, ...o.mqtt },
    trust: { keys: [{ kid: o.key.kid, issuer: o.key.issuer, publicKey: o.key.publicKey }] },
    ...(o.uplink ? { uplink: o.uplink } : {}),
  }, dataDir);
}

export async function startTestPole(o: TestPoleOptions & { key: SigningKey }): Promise<Pole> {
  return startPole({ config: testPoleConfig(o), logger: testLogger() });
}
