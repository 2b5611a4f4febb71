/**
 * MqttSession.dropNow against mosquitto: the modem left `online`, so the socket under MQTT is dead
 * even if no packet told TCP; the session drops it at once, keeps nothing "in flight", and
 * reconnects when the link is back (`reconnectNow`) — docs/protocols/modem.md §Budget. And with
 * the disk full it still connects, counting bdSeq in memory (docs/mqtt-api.md §State: birth and will).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { until } from '../helpers/sim-process.js';
import { testLogger } from '../helpers/logger.js';
import { parseConfig } from '../../runtime/config/load.js';
import { openDatabase, closeDatabase } from '../../runtime/storage/database.js';
import { KvStore } from '../../runtime/storage/kv.js';
import { MqttSession, MqttState } from '../../runtime/uplink/mqtt-session.js';

describe('MqttSession.dropNow', () => {
  let broker: Mosquitto;
  beforeAll(async () => { broker = await startMosquitto(); });
  afterAll(async () => { await broker?.stop(); });

  it('drops a live connection at once and reconnects on reconnectNow; idle when not connected', async () => {
    const config = parseConfig({
      pole: { id: 'WH-JA-0009', location: { lat: 30.6, lon: 114.3 } },
      mqtt: { url: broker.url, keepaliveSec: 60, reconnect: { initialSec: 30, maxSec: 60 } },
      trust: { keys: [{ kid: 'k', issuer: 'i', publicKey: '2x0H2gZRJ1C/Ep1cT5pI0kb8m6a0yF6Zq7g2m4oXb3c=' }] },
    });
    const db = openDatabase(':memory:');
    const s = new MqttSession({ mqtt: config.mqtt, poleId: 'WH-JA-0009', stateTopic: 'smartpole/v1/poles/WH-JA-0009/state', subscriptions: [], kv: new KvStore(db), logger: testLogger(), birth: () => ({}) });
    const reasons: string[] = [];
    s.on('disconnected', (r) => reasons.push(r));
    try {
      s.start();
      await until(() => s.state === MqttState.Connected, 10_000, 'connected');
      s.dropNow('modem offline: network registration lost');
      expect(s.state).toBe(MqttState.Waiting);
      expect(reasons).toEqual(['modem offline: network registration lost']);
      s.dropNow('again'); // nothing to drop
      expect(reasons).toHaveLength(1);
      // The backoff (30 s) would wait; the modem coming back connects at once.
      s.reconnectNow('modem online');
      await until(() => s.state === MqttState.Connected, 10_000, 'connected again');
      expect(s.stats.disconnects).toBe(1);
    } finally {
      await s.stop();
      closeDatabase(db);
    }
  });

  it('connects with the disk full: bdSeq is counted in memory when it cannot be written', async () => {
    const config = parseConfig({
      pole: { id: 'WH-JA-0009', location: { lat: 30.6, lon: 114.3 } },
      mqtt: { url: broker.url, keepaliveSec: 60, reconnect: { initialSec: 30, maxSec: 60 } },
      trust: { keys: [{ kid: 'k', issuer: 'i', publicKey: '2x0H2gZRJ1C/Ep1cT5pI0kb8m6a0yF6Zq7g2m4oXb3c=' }] },
    });
    const db = openDatabase(':memory:');
    const kv = new KvStore(db);
    kv.set('mqtt.bdSeq', '41');
    kv.set = () => { throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }); };
    const s = new MqttSession({ mqtt: config.mqtt, poleId: 'WH-JA-0009', stateTopic: 'smartpole/v1/poles/WH-JA-0009/state', subscriptions: [], kv, logger: testLogger(), birth: () => ({}) });
    try {
      s.start();
      await until(() => s.state === MqttState.Connected, 10_000, 'connected with the disk full');
      expect(s.bdSeq).toBe(42); // above the stored 41
      s.dropNow('test');
      s.reconnectNow('test');
      await until(() => s.state === MqttState.Connected, 10_000, 'connected again');
      expect(s.bdSeq).toBe(43);
    } finally {
      await s.stop();
      closeDatabase(db);
    }
  });
});
