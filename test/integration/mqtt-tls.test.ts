/**
 * Transport security (docs/mqtt-api.md §Transport security): mqtts:// with CA, client certificate and
 * key from config, against mosquitto with `require_certificate true` and the ACL in
 * docs/examples/mosquitto/acl, which confines each pole to its own topics. Certificates are made here
 * with openssl.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import mqtt from 'mqtt';
import { freePort, startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { makePki, type Pki } from '../helpers/tls.js';
import { startTestPole, testKey } from '../helpers/pole.js';
import { until } from '../helpers/sim-process.js';
import { opsMain } from '../../ops/cli.js';
import type { Pole } from '../../runtime/pole.js';
import { MqttState } from '../../runtime/uplink/mqtt-session.js';

const ACL = join(import.meta.dirname, '../../docs/examples/mosquitto/acl');

describe('MQTT over TLS with client certificates and a per-pole ACL', () => {
  let pki: Pki;
  let broker: Mosquitto;
  let url: string;
  let ops: mqtt.MqttClient;
  const seen: { topic: string; body: string }[] = [];
  const poles: Pole[] = [];
  const { key, file: keyFile } = testKey();
  let opsCert: { cert: string; key: string };

  const tlsClient = (cert?: { cert: string; key: string }, ca = pki.ca, clientId?: string) => mqtt.connectAsync(url, {
    ca: readFileSync(ca), ...(cert ? { cert: readFileSync(cert.cert), key: readFileSync(cert.key) } : {}), reconnectPeriod: 0, connectTimeout: 5000,
    ...(clientId ? { clientId } : {}),
  });

  beforeAll(async () => {
    pki = makePki();
    const server = pki.issue('localhost', { server: true });
    opsCert = pki.issue('ops-console');
    const port = await freePort();
    broker = await startMosquitto([
      `listener ${port} 127.0.0.1`,
      `cafile ${pki.ca}`, `certfile ${server.cert}`, `keyfile ${server.key}`,
      'require_certificate true', 'use_identity_as_username true', `acl_file ${ACL}`, 'persistence false',
      // Started as root, mosquitto would drop to user mosquitto and could not read the test's files.
      `user ${userInfo().username}`,
    ].join('\n') + '\n', port);
    url = `mqtts://127.0.0.1:${port}`;
    ops = await tlsClient(opsCert);
    await ops.subscribeAsync('smartpole/v1/#', { qos: 1 });
    ops.on('message', (topic, p) => seen.push({ topic, body: p.toString() }));
  });

  afterAll(async () => {
    for (const p of poles) await p.stop();
    await ops?.endAsync();
    await broker?.stop();
  });

  it('a pole with its certificate connects, publishes its birth and answers a command sent by `ops cmd` over TLS', async () => {
    const cert = pki.issue('WH-JA-0001');
    const pole = await startTestPole({ mqttUrl: url, key, mqtt: { tls: { caFile: pki.ca, certFile: cert.cert, keyFile: cert.key } } });
    poles.push(pole);
    await until(() => seen.some((m) => m.topic === 'smartpole/v1/poles/WH-JA-0001/state' && JSON.parse(m.body).online === true), 15_000, 'birth over TLS');
    const out: string[] = [];
    const err: string[] = [];
    const code = await opsMain(['cmd', 'WH-JA-0001', 'ping', '--mqtt-url', url, '--key', keyFile, '--ca', pki.ca, '--cert', opsCert.cert, '--client-key', opsCert.key, '--timeout', '15'], (s) => out.push(s), (s) => err.push(s));
    expect(err.join('\n')).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ ok: true, result: { pong: true, poleId: 'WH-JA-0001' } });
  });

  it('a pole without a client certificate, or with one from another CA, is refused and keeps retrying', async () => {
    const rogue = makePki('rogue-ca').issue('WH-JA-0003');
    const noCert = await startTestPole({ mqttUrl: url, key, poleId: 'WH-JA-0003', mqtt: { tls: { caFile: pki.ca } } });
    const wrongCa = await startTestPole({ mqttUrl: url, key, poleId: 'WH-JA-0004', mqtt: { tls: { caFile: pki.ca, certFile: rogue.cert, keyFile: rogue.key } } });
    poles.push(noCert, wrongCa);
    await until(() => noCert.services.uplink.mqtt.stats.failedConnects >= 2 && wrongCa.services.uplink.mqtt.stats.failedConnects >= 2, 15_000, 'refused connects');
    expect(noCert.services.uplink.mqtt.state).not.toBe(MqttState.Connected);
    expect(wrongCa.services.uplink.mqtt.state).not.toBe(MqttState.Connected);
    expect(noCert.health.snapshot().mqtt).toMatchObject({ status: 'down' });
    expect(seen.some((m) => /WH-JA-000[34]/.test(m.topic))).toBe(false);
    // And a plain client without a certificate cannot even complete the handshake.
    await expect(tlsClient(undefined)).rejects.toThrow();
  });

  it('the ACL confines a pole to its own topics', async () => {
    const other = await tlsClient(pki.issue('WH-JA-0002'), pki.ca, 'intruder');
    const got: string[] = [];
    other.on('message', (t) => got.push(t));
    // Reading another pole's commands: mosquitto grants the subscription but delivers nothing
    // the ACL does not let this certificate read.
    await other.subscribeAsync(['smartpole/v1/poles/WH-JA-0001/cmd', 'smartpole/v1/poles/WH-JA-0002/cmd'], { qos: 1 });
    await ops.publishAsync('smartpole/v1/poles/WH-JA-0001/cmd', 'not signed: the pole reports it', { qos: 1 });
    await ops.publishAsync('smartpole/v1/poles/WH-JA-0002/cmd', 'for the second pole', { qos: 1 });
    await until(() => got.includes('smartpole/v1/poles/WH-JA-0002/cmd'), 5000, 'own commands delivered');
    expect(got).toEqual(['smartpole/v1/poles/WH-JA-0002/cmd']);
    // Writing as another pole: dropped by the broker. Writing as itself: delivered.
    await other.publishAsync('smartpole/v1/poles/WH-JA-0001/state', JSON.stringify({ online: false, forged: true }), { qos: 1 });
    await other.publishAsync('smartpole/v1/notices/all/fake', 'not for poles to write', { qos: 1 });
    await other.publishAsync('smartpole/v1/poles/WH-JA-0002/telemetry', JSON.stringify({ mine: true }), { qos: 1 });
    await until(() => seen.some((m) => m.topic === 'smartpole/v1/poles/WH-JA-0002/telemetry'), 5000, 'own topic delivered');
    expect(seen.some((m) => m.body.includes('forged'))).toBe(false);
    expect(seen.some((m) => m.topic.endsWith('/notices/all/fake'))).toBe(false);
    await other.endAsync();
  });
});
