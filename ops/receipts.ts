/** Waiting for what a pole answers: a receipt for a pushed message, a response to a command. */
import type { MqttClient } from 'mqtt';

/** QoS 1 unless told: 0 for views of retained state, which need no broker-side queue (docs/fleet.md §Liveness). */
export function subscribeAsync(client: MqttClient, topic: string, qos: 0 | 1 = 1): Promise<void> {
  return new Promise((resolve, reject) => client.subscribe(topic, { qos }, (e, granted) => {
    if (e) reject(e);
    else if (granted?.some((g) => g.qos > 2)) reject(new Error(`the broker refused the subscription to ${topic} (ACL?)`));
    else resolve();
  }));
}

/** The first message on `topic` whose JSON satisfies `match`, or null after `ms`. */
export function waitFor<T extends Record<string, unknown>>(client: MqttClient, topic: string, match: (m: T) => boolean, ms: number): Promise<T | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => { client.off('message', onMsg); resolve(null); }, ms);
    const onMsg = (t: string, p: Buffer) => {
      if (t !== topic) return;
      let m: T;
      try { m = JSON.parse(p.toString()) as T; } catch { return; }
      if (!m || typeof m !== 'object' || !match(m)) return;
      clearTimeout(timer);
      client.off('message', onMsg);
      resolve(m);
    };
    client.on('message', onMsg);
  });
}

export function describeReceipt(pole: string, r: Record<string, unknown> | null, waitedMs: number): string {
  if (!r) return `no receipt from ${pole} within ${Math.round(waitedMs / 1000)} s (is it online?)`;
  return `${pole}: ${String(r.status)}${r.code ? ` ${String(r.code)}` : ''}${r.reason ? ` (${String(r.reason)})` : ''}`;
}
