/**
 * A short-lived MQTT connection for ops commands: connect, do one job, disconnect. `url` may list
 * several brokers (a cluster's nodes) separated by commas: they are tried in order until one
 * accepts (docs/fleet.md §Several brokers).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { redactUrl } from '../runtime/config/secrets.js';
import { splitUrls } from '../runtime/uplink/broker-list.js';
import { opsError } from './errors.js';

export interface OpsConnection {
  /** One URL, or several separated by commas. */
  url: string;
  username?: string;
  password?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

/**
 * Connects to the first broker of `c.url` that accepts. With several, it goes round the list
 * (0.5 s, 1 s, 2 s … between rounds) for up to `clusterBudgetMs`: a NATS cluster that just lost a
 * node refuses MQTT connections for some seconds while JetStream elects new leaders
 * (docs/fleet.md §Failover). SP_OPS_NO_BROKER when none accepted.
 */
export async function connectOps(c: OpsConnection, timeoutMs = 10_000, clusterBudgetMs = 30_000): Promise<MqttClient> {
  const urls = splitUrls(c.url);
  if (urls.length <= 1) return connectOne(c, urls[0] ?? c.url, timeoutMs);
  const end = Date.now() + clusterBudgetMs;
  let failures: string[] = [];
  for (let round = 0; ; round++) {
    failures = [];
    for (const url of urls) {
      try {
        return await connectOne(c, url, Math.min(timeoutMs, 5000));
      } catch (e) {
        failures.push((e as Error).message);
      }
    }
    if (Date.now() >= end) break;
    await new Promise((r) => setTimeout(r, Math.min(500 * 2 ** round, 4000, Math.max(0, end - Date.now()))));
  }
  throw opsError('SP_OPS_NO_BROKER', { tried: urls.map(redactUrl) }, { message: `no broker accepted a connection: ${failures.join('; ')}` });
}

async function connectOne(c: OpsConnection, url: string, timeoutMs: number): Promise<MqttClient> {
  const opts: IClientOptions = {
    clientId: `smartpole-ops-${randomBytes(4).toString('hex')}`,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: timeoutMs,
    username: c.username,
    password: c.password,
  };
  if (c.caFile) opts.ca = readFileSync(c.caFile);
  if (c.certFile) opts.cert = readFileSync(c.certFile);
  if (c.keyFile) opts.key = readFileSync(c.keyFile);
  const client = mqtt.connect(url, opts);
  // Nagle off: a command and its re-sends are small and should not wait for delayed ACKs.
  (client.stream as unknown as { setNoDelay?: (on: boolean) => void } | undefined)?.setNoDelay?.(true);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', (e) => { client.end(true); reject(new Error(`cannot connect to ${redactUrl(url)}: ${e.message}`)); });
    client.once('close', () => reject(new Error(`cannot connect to ${redactUrl(url)}: connection closed`)));
  });
  client.removeAllListeners('close');
  client.removeAllListeners('error');
  client.on('error', () => {});
  return client;
}

/**
 * Publishes and waits for the PUBACK, at most `ackTimeoutMs` (default 15 s): a cluster node whose
 * JetStream has no leader may keep the connection and never answer (docs/fleet.md §Failover).
 */
export function publishAsync(client: MqttClient, topic: string, payload: string | Buffer, opts: { qos?: 0 | 1; retain?: boolean; ackTimeoutMs?: number } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no PUBACK for ${topic} within ${(opts.ackTimeoutMs ?? 15_000) / 1000} s (broker busy or recovering; push again)`)), opts.ackTimeoutMs ?? 15_000);
    client.publish(topic, payload, { qos: opts.qos ?? 1, retain: opts.retain ?? false }, (e) => { clearTimeout(t); if (e) reject(e); else resolve(); });
  });
}

/**
 * Disconnects, letting in-flight messages finish for at most `graceMs`, then forcibly: a QoS 1
 * publish whose PUBACK never came (a recovering cluster node) would otherwise hold a graceful end
 * open for ever (docs/fleet.md §Failover).
 */
export function endAsync(client: MqttClient, graceMs = 2000): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => client.end(true, {}, () => resolve()), graceMs);
    client.end(false, {}, () => { clearTimeout(force); resolve(); });
  });
}
