/** A short-lived MQTT connection for ops commands: connect, do one job, disconnect. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

export interface OpsConnection {
  url: string;
  username?: string;
  password?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

export async function connectOps(c: OpsConnection, timeoutMs = 10_000): Promise<MqttClient> {
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
  const client = mqtt.connect(c.url, opts);
  // Nagle off: a command and its re-sends are small and should not wait for delayed ACKs.
  (client.stream as unknown as { setNoDelay?: (on: boolean) => void } | undefined)?.setNoDelay?.(true);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', (e) => { client.end(true); reject(new Error(`cannot connect to ${c.url}: ${e.message}`)); });
    client.once('close', () => reject(new Error(`cannot connect to ${c.url}: connection closed`)));
  });
  client.removeAllListeners('close');
  client.removeAllListeners('error');
  client.on('error', () => {});
  return client;
}

export function publishAsync(client: MqttClient, topic: string, payload: string | Buffer, opts: { qos?: 0 | 1; retain?: boolean } = {}): Promise<void> {
  return new Promise((resolve, reject) => client.publish(topic, payload, { qos: opts.qos ?? 1, retain: opts.retain ?? false }, (e) => (e ? reject(e) : resolve())));
}

export function endAsync(client: MqttClient): Promise<void> {
  return new Promise((r) => client.end(false, {}, () => r()));
}
