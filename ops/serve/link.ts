/**
 * The console's one long-lived MQTT connection (docs/ops-console.md §MQTT): subscribes to every
 * pole's state, heartbeat, receipts, events, telemetry, feedback, audit and command responses;
 * hands each message, parsed, to the areas that asked for its leaf; publishes signed messages;
 * runs commands and waits for their one response.
 *
 * Faults: on a lost connection it goes to the next broker of the list after a jittered backoff
 * (1 s doubling to 60 s). The session is persistent (clean = false, a fixed client id per store),
 * so QoS 1 records the poles sent while the console was away are delivered when it comes back.
 * Records carry `uplink {stream, seq}`: one seen before (a re-send after a pole's outage) is
 * dropped here, so an area sees each record once (docs/mqtt-api.md §Uplink).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { Backoff } from '../../protocols/backoff.js';
import { redactUrl } from '../../runtime/config/secrets.js';
import { splitUrls } from '../../runtime/uplink/broker-list.js';
import { serveError } from './errors.js';
import type { OpsConnection } from '../mqtt-client.js';
import { nextTick } from '../../lib/next-tick.js';

/** What a pole publishes that the console listens to (docs/mqtt-api.md §Topics). */
export const POLE_LEAVES = ['state', 'heartbeat', 'receipts', 'events', 'telemetry', 'feedback', 'audit', 'cmd/res'] as const;
export type PoleLeaf = (typeof POLE_LEAVES)[number];

export interface PoleMessage {
  poleId: string;
  leaf: PoleLeaf;
  /** The JSON object, or null for an empty retained message (a cleared topic). */
  body: Record<string, unknown> | null;
  retained: boolean;
  /** Console clock at arrival (ms). */
  at: number;
}

export type LinkState = 'connecting' | 'connected' | 'waiting' | 'closed';

export interface LinkEvents {
  state: [LinkState];
  /** A batch of messages, after de-duplication: areas write them in one transaction. */
  batch: [PoleMessage[]];
}

/** Parses one topic + payload into a PoleMessage, or null when it is not one (never throws). */
export function decodePoleMessage(prefix: string, topic: string, payload: Buffer, retained: boolean, at: number): PoleMessage | null {
  const head = `${prefix}/poles/`;
  if (!topic.startsWith(head)) return null;
  const rest = topic.slice(head.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return null;
  const poleId = rest.slice(0, slash);
  const leaf = rest.slice(slash + 1) as PoleLeaf;
  if (!POLE_LEAVES.includes(leaf) || poleId.length > 64) return null;
  if (payload.length === 0) return leaf === 'state' || leaf === 'heartbeat' ? { poleId, leaf, body: null, retained, at } : null;
  if (payload.length > 4 * 1024 * 1024) return null;
  let body: unknown;
  try { body = JSON.parse(payload.toString('utf8')); } catch { return null; }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  return { poleId, leaf, body: body as Record<string, unknown>, retained, at };
}

/**
 * Drops records already seen. One pole has one outbox stream whose seq runs across all its topics
 * (docs/mqtt-api.md §Uplink), but a broker keeps order per topic only, so records of different
 * topics can overtake each other: "above the highest seq" would drop a receipt overtaken by an event.
 * Kept instead: the seqs seen within a window of the highest (4,096); a seq below the window counts
 * as seen (a re-send after an outage comes back within it).
 */
export class UplinkDedup {
  private readonly last = new Map<string, { stream: string; max: number; seen: Set<number> }>();

  constructor(private readonly window = 4096) {}

  /** True when the record is new (no uplink meta counts as new: births, heartbeats). */
  fresh(m: PoleMessage): boolean {
    const u = m.body?.uplink as { stream?: unknown; seq?: unknown } | undefined;
    if (!u || typeof u.stream !== 'string' || typeof u.seq !== 'number' || !Number.isInteger(u.seq)) return true;
    let s = this.last.get(m.poleId);
    if (!s || s.stream !== u.stream) {
      s = { stream: u.stream, max: u.seq, seen: new Set() };
      this.last.set(m.poleId, s);
    }
    if (s.seen.has(u.seq) || u.seq <= s.max - this.window) return false;
    s.seen.add(u.seq);
    if (u.seq > s.max) {
      s.max = u.seq;
      if (s.seen.size > 2 * this.window) for (const q of s.seen) if (q <= s.max - this.window) s.seen.delete(q);
    }
    return true;
  }
}

export interface LinkOptions {
  connection: OpsConnection;
  prefix: string;
  logger: Logger;
  /** Names the persistent session; derived from the store's path so two consoles never share one. */
  sessionName: string;
  /**
   * QoS of the record subscriptions (receipts, events, …). 1 (default): the broker queues them while the
   * console is away. 0 on a NATS cluster, where a QoS 1 subscription is a JetStream consumer that can die
   * with its node and leave a restored session deaf (docs/ops-console.md §MQTT, docs/fleet.md §Ops consumers).
   */
  subscribeQos?: 0 | 1;
}

export class MqttLink extends EventEmitter<LinkEvents> {
  state: LinkState = 'closed';
  broker: string | null = null;
  private client: MqttClient | null = null;
  private readonly urls: string[];
  private urlIndex = 0;
  private readonly backoff = new Backoff({ initialMs: 1000, maxMs: 60_000, factor: 2, jitter: 0.3 });
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  private queue: PoleMessage[] = [];
  /** Records of one synchronous run go to the areas as one batch, after it (docs/architecture.md §Shared helpers). */
  private readonly flushSoon = nextTick(() => this.flush());
  private readonly dedup = new UplinkDedup();
  private readonly waiters = new Map<string, (r: Record<string, unknown>) => void>();
  readonly clientId: string;

  constructor(private readonly o: LinkOptions) {
    super();
    this.urls = splitUrls(o.connection.url);
    this.clientId = `smartpole-ops-serve-${createHash('sha256').update(o.sessionName).digest('hex').slice(0, 12)}`;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  private setState(s: LinkState): void {
    if (this.state === s) return;
    this.state = s;
    this.emit('state', s);
  }

  private connect(): void {
    if (this.stopped) return;
    const url = this.urls[this.urlIndex % this.urls.length]!;
    const c = this.o.connection;
    const opts: IClientOptions = {
      clientId: this.clientId, clean: false, reconnectPeriod: 0, connectTimeout: 10_000, keepalive: 30,
      username: c.username, password: c.password,
    };
    if (c.caFile) opts.ca = readFileSync(c.caFile);
    if (c.certFile) opts.cert = readFileSync(c.certFile);
    if (c.keyFile) opts.key = readFileSync(c.keyFile);
    this.setState('connecting');
    const client = mqtt.connect(url, opts);
    this.client = client;
    client.on('connect', () => {
      this.backoff.succeeded();
      this.broker = redactUrl(url);
      this.o.logger.info({ broker: this.broker }, 'ops serve: connected to the broker');
      const p = this.o.prefix;
      // State and heartbeat are retained views: QoS 0 (no broker-side queue; docs/fleet.md §Liveness).
      client.subscribe({ [`${p}/poles/+/state`]: { qos: 0 }, [`${p}/poles/+/heartbeat`]: { qos: 0 } });
      client.subscribe(POLE_LEAVES.filter((l) => l !== 'state' && l !== 'heartbeat').map((l) => `${p}/poles/+/${l}`), { qos: this.o.subscribeQos ?? 1 }, (e, granted) => {
        // A refused subscription (SUBACK 0x80; NATS while JetStream re-elects) would leave the console deaf
        // yet "connected": drop the connection and go to the next broker instead (docs/fleet.md §Failover).
        if (e || granted?.some((g) => g.qos === 128)) {
          this.o.logger.warn({ broker: redactUrl(url), err: e?.message ?? 'subscription refused' }, 'ops serve: subscription refused; will reconnect');
          client.end(true);
          return;
        }
        this.setState('connected');
      });
    });
    client.on('message', (topic, payload, packet) => this.onMessage(topic, payload, packet.retain));
    client.on('error', (e) => this.o.logger.warn({ broker: redactUrl(url), err: e.message }, 'ops serve: MQTT error'));
    client.on('close', () => {
      if (this.client !== client) return;
      this.client = null;
      client.removeAllListeners();
      client.on('error', () => {});
      client.end(true);
      if (this.stopped) return;
      this.urlIndex++;
      const wait = this.backoff.next();
      this.setState('waiting');
      this.o.logger.warn({ broker: redactUrl(url), retryInMs: wait }, 'ops serve: broker connection lost; will reconnect');
      this.retry = setTimeout(() => { this.retry = null; this.connect(); }, wait);
    });
  }

  private onMessage(topic: string, payload: Buffer, retained: boolean): void {
    const m = decodePoleMessage(this.o.prefix, topic, payload, retained, Date.now());
    if (!m) { this.o.logger.debug({ topic: topic.slice(0, 200) }, 'ops serve: message not understood, dropped'); return; }
    if (m.leaf === 'cmd/res' && m.body && typeof m.body.id === 'string') {
      const w = this.waiters.get(m.body.id);
      if (w) { this.waiters.delete(m.body.id); w(m.body); }
    }
    if (!this.dedup.fresh(m)) return;
    this.queue.push(m);
    this.flushSoon();
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    if (batch.length) this.emit('batch', batch);
  }

  get connected(): boolean {
    return this.state === 'connected' && this.client !== null;
  }

  /** Publishes at QoS 1 and waits for the PUBACK; SP_SERVE_MQTT_DOWN when not connected or no PUBACK in 15 s. */
  publish(topic: string, payload: string, o: { retain?: boolean } = {}): Promise<void> {
    const client = this.client;
    if (!client || !this.connected) return Promise.reject(serveError('SP_SERVE_MQTT_DOWN'));
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(serveError('SP_SERVE_MQTT_DOWN', { topic }, { message: `no PUBACK for ${topic} within 15 s` })), 15_000);
      client.publish(topic, payload, { qos: 1, retain: o.retain ?? false }, (e) => {
        clearTimeout(t);
        if (e) reject(serveError('SP_SERVE_MQTT_DOWN', { topic }, { message: e.message, cause: e }));
        else resolve();
      });
    });
  }

  /**
   * Publishes a signed command and waits for its response, re-sending the same bytes every 5 s until
   * answered (the pole answers a redelivery from its journal; docs/mqtt-api.md §Commands).
   */
  async command(topic: string, id: string, envelope: string, timeoutMs: number): Promise<Record<string, unknown>> {
    const answer = new Promise<Record<string, unknown> | null>((resolve) => {
      const t = setTimeout(() => { this.waiters.delete(id); resolve(null); }, timeoutMs);
      this.waiters.set(id, (r) => { clearTimeout(t); resolve(r); });
    });
    await this.publish(topic, envelope);
    let done = false;
    const resend = setInterval(() => { if (!done) this.publish(topic, envelope).catch(() => {}); }, 5000);
    try {
      const r = await answer;
      if (!r) throw serveError('SP_SERVE_POLE_NO_ANSWER', { topic });
      return r;
    } finally {
      done = true;
      clearInterval(resend);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const c = this.client;
    this.client = null;
    this.setState('closed');
    if (c) await new Promise<void>((r) => c.end(false, {}, () => r()));
  }
}
