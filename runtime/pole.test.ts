/**
 * The composition (runtime/pole.ts, docs/architecture.md §Modules) of a pole with no hardware: every
 * area registers its health entry and its commands, the event → handler table carries a notice
 * from the store to the screen and back into `notice.list`, and stop is orderly and idempotent.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NoticePayload } from '../protocols/notice.js';
import { isoWithOffset } from '../protocols/time.js';
import { noticeOnScreen } from '../display/page-model.js';
import { parseConfig } from './config/load.js';
import { startPole, type Pole } from './pole.js';
import { testLogger } from '../test/helpers/logger.js';

let pole: Pole | null = null;
afterEach(async () => { await pole?.stop(); pole = null; });

/** An Ed25519 public key as the config carries it (32 raw bytes in base64). */
const publicKey = (): string => Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64');

function config() {
  const dataDir = mkdtempSync(join(tmpdir(), 'pole-unit-'));
  return parseConfig({
    pole: { id: 'WH-JA-0009', location: { lat: 30.6, lon: 114.3, address: '武汉市江岸区' } },
    storage: { dataDir },
    // Nothing listens on port 1: the uplink keeps retrying while the rest of the pole runs.
    mqtt: { url: 'mqtt://127.0.0.1:1', reconnect: { initialSec: 5, maxSec: 10 } },
    trust: { keys: [{ kid: 'k', issuer: 'ops', publicKey: publicKey() }] },
  }, dataDir);
}

const until = async (f: () => boolean, what: string) => {
  for (let i = 0; i < 500 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!f()) throw new Error(`timed out waiting for ${what}`);
};

describe('startPole', () => {
  it('builds every area: a health entry each, absent where nothing is fitted', async () => {
    pole = await startPole({ config: config(), logger: testLogger() });
    const h = pole.health.snapshot();
    expect(Object.keys(h).sort()).toEqual(['charger', 'fieldbus', 'lamp', 'led', 'modem', 'mqtt', 'pads', 'sign', 'storage', 'touch']);
    for (const k of ['charger', 'fieldbus', 'lamp', 'led', 'modem', 'pads', 'sign', 'touch']) expect(h[k]!.status).toBe('absent');
    expect(h.storage!.status).toBe('ok');
    expect(h.mqtt!.status).toBe('down');
    expect(pole.services.console.service).toBeNull();
    expect(pole.services.modem.service).toBeNull();
    expect(pole.services.led.board).toBeNull();
  });

  it('registers each area\'s commands; a part not fitted answers SP_CMD_NOT_FITTED', async () => {
    pole = await startPole({ config: config(), logger: testLogger() });
    const names = pole.services.commands.list().map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['ping', 'state.rebirth', 'config.get', 'log.level', 'notice.list', 'screen.state', 'screen.snapshot', 'screen.brightness', 'sign.status']));
    expect(names.some((n) => /^(charger|pads|lamp|modem)\./.test(n))).toBe(false);
    const snap = await pole.services.commands.execute('screen.snapshot', {}, { source: 'console', now: Date.now() });
    expect(snap).toMatchObject({ ok: false, error: { code: 'SP_CMD_NOT_FITTED' } });
  });

  it('wires a stored notice to the screen (notices changed → screen.refresh) and back to notice.list (page → notices.onPage)', async () => {
    pole = await startPole({ config: config(), logger: testLogger() });
    const p = pole;
    const pages: string[] = [];
    p.on('page', (m) => pages.push(m.page));
    const now = Date.now();
    p.services.notices.store.upsert('ops', 'smartpole/v1/notices/all/n1', NoticePayload.parse({
      type: 'notice', id: 'n1', audience: 'all', version: 1, issuedAt: isoWithOffset(now - 60_000), title: { zh: '停水通知', en: 'Water cut' }, body: { zh: '明天停水', en: 'No water tomorrow' },
    }), now);
    p.services.notices.intake.changed();
    await until(() => noticeOnScreen(p.page())?.id === 'n1', 'the notice on the screen');
    expect(pages.length).toBeGreaterThan(0);
    const list = await p.services.commands.execute('notice.list', {}, { source: 'console', now: Date.now() });
    expect(list).toMatchObject({ ok: true, result: { notices: [expect.objectContaining({ id: 'n1', state: 'playing' })] } });
  });

  it('stops in order, once', async () => {
    const p = await startPole({ config: config(), logger: testLogger() });
    await p.stop();
    await p.stop();
    expect(() => p.services.storage.ping()).toThrow();
  });
});
