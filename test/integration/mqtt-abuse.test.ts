/**
 * Bad input over a real broker (docs/mqtt-api.md §What a bad message gets, tests): random bytes and
 * random JSON on every inbound topic never crash the pole and each gets an event (or receipt); forged,
 * expired, replayed, rolled-back, unknown-key, revoked-key and empty retained messages change nothing
 * and are reported — after a restart too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { sealEnvelope } from '../../protocols/envelope.js';
import { isoWithOffset } from '../../protocols/time.js';
import { generateSigningKey } from '../../ops/keys.js';
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { testKey } from '../helpers/pole.js';
import { until } from '../helpers/sim-process.js';
import type { Pole } from '../../runtime/pole.js';

const P = 'smartpole/v1';
type Msg = Record<string, unknown> & { topic: string };

describe('bad messages over mosquitto', () => {
  let broker: Mosquitto;
  let ops: mqtt.MqttClient;
  let pole: Pole;
  const { key } = testKey();
  const revoked = generateSigningKey('test-ops', 'old-key');
  const dataDir = mkdtempSync(join(tmpdir(), 'abuse-'));
  const got: Msg[] = [];
  const events = () => got.filter((m) => m.type === 'event');
  const receipts = () => got.filter((m) => m.type === 'receipt');
  const seal = (p: unknown, k = key) => JSON.stringify(sealEnvelope(p, k.kid, k.privateKey));

  beforeAll(async () => {
    broker = await startMosquitto();
    ops = await mqtt.connectAsync(broker.url);
    await ops.subscribeAsync(`${P}/poles/WH-JA-0001/#`, { qos: 1 });
    ops.on('message', (topic, p) => { try { got.push({ topic, ...(JSON.parse(p.toString()) as Record<string, unknown>) }); } catch { /* retained state etc. */ } });
    pole = await startPoleWithRevoked();
    await until(() => got.some((m) => m.topic.endsWith('/state') && m.online === true), 10_000, 'birth');
  });

  async function startPoleWithRevoked(): Promise<Pole> {
    const { parseConfig } = await import('../../runtime/config/load.js');
    const { startPole } = await import('../../runtime/pole.js');
    const { testLogger } = await import('../helpers/logger.js');
    // A second key, revoked: still listed so a refusal can say "revoked" rather than "unknown".
    return startPole({
      logger: testLogger(),
      config: parseConfig({
        pole: { id: 'WH-JA-0001', groups: ['district/jiangan'], location: { lat: 30.6, lon: 114.3, areaCode: '420102' } },
        storage: { dataDir }, mqtt: { url: broker.url, reconnect: { initialSec: 0.2, maxSec: 2 } },
        trust: { keys: [{ kid: key.kid, issuer: key.issuer, publicKey: key.publicKey }, { kid: revoked.kid, issuer: revoked.issuer, publicKey: revoked.publicKey }], revokedKids: [revoked.kid] },
        uplink: { eventsPerMinute: 10_000 },
      }, dataDir),
    });
  }

  afterAll(async () => {
    await pole?.stop();
    await ops?.endAsync();
    await broker?.stop();
  });

  const ping = async (id: string) => {
    await ops.publishAsync(`${P}/poles/WH-JA-0001/cmd`, seal({ type: 'cmd', poleId: 'WH-JA-0001', audience: 'pole:WH-JA-0001', id, version: 1, issuedAt: isoWithOffset(Date.now() - 1000), expiresAt: isoWithOffset(Date.now() + 60_000), name: 'ping', args: {} }), { qos: 1 });
    return until(() => got.find((m) => m.type === 'cmdres' && m.id === id), 10_000, `response to ${id}`);
  };

  it('random bytes and random JSON on every inbound topic: no crash, one event each, nothing stored', async () => {
    const topics = (i: number) => [
      `${P}/notices/all/r${i}`, `${P}/notices/group/district/jiangan/r${i}`, `${P}/notices/pole/WH-JA-0001/r${i}`,
      `${P}/data/r${i}`, `${P}/poles/WH-JA-0001/data/r${i}`, `${P}/poles/WH-JA-0001/replies/r${i}`, `${P}/poles/WH-JA-0001/cmd`,
    ];
    const payload = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.json().map((j) => Buffer.from(j)),
      fc.record({ kid: fc.constantFrom(key.kid, 'nobody'), alg: fc.constant('Ed25519'), payload: fc.base64String({ maxLength: 200 }), sig: fc.base64String({ minLength: 88, maxLength: 88 }) }).map((e) => Buffer.from(JSON.stringify(e))),
      // Validly signed, but the payload is random JSON: schema errors.
      fc.jsonValue().map((v) => Buffer.from(seal(v))),
    );
    const samples = fc.sample(fc.tuple(fc.nat(6), payload), { numRuns: 140, seed: 5 });
    const before = events().length;
    const sent: string[] = [];
    for (const [i, [t, body]] of samples.entries()) {
      const topic = topics(i)[t]!;
      sent.push(topic);
      await ops.publishAsync(topic, body, { qos: 1 });
    }
    await until(() => events().length - before >= samples.length, 20_000, `${samples.length} events (have ${events().length - before})`);
    const reported = events().slice(before);
    // One event per message, naming its topic; the codes are the documented refusal codes.
    expect(reported).toHaveLength(samples.length);
    expect(reported.map((e) => e.topic).sort()).toEqual([...sent].sort());
    for (const e of reported) expect(e.code).toMatch(/^SP_MSG_(EMPTY|MALFORMED|UNKNOWN_KEY|BAD_SIGNATURE|SCHEMA|TOPIC_MISMATCH|NO_AUDIENCE|AUDIENCE_MISMATCH)$/);
    expect(pole.services.notices.store.all()).toEqual([]);
    expect(pole.services.data.datasets.list()).toEqual([]);
    expect((await ping('alive-1')).ok).toBe(true);
  });

  it('forged, expired, replayed, rolled-back, unknown-key, revoked-key, early and empty retained messages change nothing and are reported', async () => {
    const now = Date.now();
    const n = (over: Record<string, unknown> = {}) => ({ type: 'notice', audience: 'all', id: 'n1', version: 5, issuedAt: isoWithOffset(now - 1000), title: { zh: '原始通知' }, body: { zh: '正文' }, ...over });
    const pub = (id: string, body: string) => ops.publishAsync(`${P}/notices/all/${id}`, body, { qos: 1, retain: true });
    await pub('n1', seal(n()));
    await until(() => receipts().some((r) => r.id === 'n1' && r.status === 'accepted'), 10_000, 'n1 accepted');
    const held = () => pole.services.notices.store.get(key.issuer, 'n1');
    const snapshot = JSON.stringify(held());

    const attacker = generateKeyPairSync('ed25519');
    const stranger = generateSigningKey('someone-else', 'stranger');
    const cases: [string, () => Promise<unknown>][] = [
      ['SP_MSG_BAD_SIGNATURE', () => pub('n1', JSON.stringify(sealEnvelope(n({ version: 6, title: { zh: '伪造' } }), key.kid, attacker.privateKey)))],
      ['SP_MSG_REPLAY', () => pub('n1', seal(n({ title: { zh: '同版本不同内容' } })))],
      ['SP_MSG_ROLLBACK', () => pub('n1', seal(n({ version: 4 })))],
      ['SP_MSG_UNKNOWN_KEY', () => pub('n1', seal(n({ version: 7 }), stranger))],
      ['SP_MSG_REVOKED_KEY', () => pub('n1', seal(n({ version: 8 }), revoked))],
      ['SP_MSG_EXPIRED', () => pub('n2', seal(n({ id: 'n2', issuedAt: isoWithOffset(now - 7_200_000), expiresAt: isoWithOffset(now - 3_600_000) })))],
      ['SP_MSG_NOT_YET_VALID', () => pub('n3', seal(n({ id: 'n3', issuedAt: isoWithOffset(now + 3_600_000) })))],
      ['SP_MSG_TOPIC_MISMATCH', () => pub('n4', seal(n({ id: 'n1', version: 9 })))],
      // Clearing the retained topic (empty payload) must not withdraw anything.
      ['SP_MSG_EMPTY', () => pub('n1', '')],
    ];
    for (const [code, send] of cases) {
      const before = events().length;
      await send();
      const e = await until(() => events().slice(before).find((x) => x.code === code), 10_000, code);
      expect(e).toMatchObject({ severity: 'security', poleId: 'WH-JA-0001' });
      await until(() => receipts().some((r) => r.code === code && r.status === 'rejected'), 10_000, `${code} receipt`);
    }
    expect(JSON.stringify(held())).toBe(snapshot);
    expect(pole.services.notices.store.all().map((x) => x.id)).toEqual(['n1']);

    // After a restart the versions are still known: the rollback is still refused.
    await pole.stop();
    pole = await startPoleWithRevoked();
    await until(() => pole.services.uplink.mqtt.connected, 10_000, 'reconnect');
    const before = events().length;
    await pub('n1', seal(n({ version: 3 })));
    await until(() => events().slice(before).some((x) => x.code === 'SP_MSG_ROLLBACK'), 10_000, 'rollback after restart');
    expect(JSON.stringify(held())).toBe(snapshot);
    expect((await ping('alive-2')).ok).toBe(true);
  });
});
