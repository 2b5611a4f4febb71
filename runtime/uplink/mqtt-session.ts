/**
 * MqttSession: the pole's one MQTT connection. Jittered exponential reconnect (1 s → 2 min by
 * default, reset after a stable minute) instead of mqtt.js's fixed period (docs/background.md §MQTT practices);
 * with several brokers (`mqtt.urls`, a cluster's nodes) each attempt after a loss or a failure
 * goes to the next one in the pole's order (docs/fleet.md §Several brokers);
 * a retained birth on `poles/{id}/state` with a bdSeq that the Will's offline state repeats
 * (Sparkplug-style, docs/background.md §MQTT practices); clean sessions (Sparkplug: state is rebuilt from births
 * and retained topics, not from the broker's session); subscriptions re-made on every connect.
 *
 * Inbound QoS 1 messages are acknowledged by mqtt.js as they are handed over. With clean
 * sessions a later PUBACK would buy nothing: if the pole dies the broker drops the session anyway.
 * What protects inbound messages is that notices and data sets are retained (redelivered on
 * reconnect) and that commands are idempotent by id (ops re-sends until answered).
 */
import { INBOUND_MAX_BYTES } from '../inbound-router.js';
import { redactUrl } from '../config/secrets.js';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { Backoff } from '../../protocols/backoff.js';
import type { Config } from '../config/schema.js';
import type { KvStore } from '../storage/kv.js';
import { brokerList, type Broker } from './broker-list.js';

export enum MqttState {
  Idle = 'idle',
  Connecting = 'connecting',
  Connected = 'connected',
  /** Lost or refused; a reconnect is scheduled. */
  Waiting = 'waiting',
  Stopped = 'stopped',
}

export interface MqttSessionOptions {
  mqtt: Config['mqtt'];
  poleId: string;
  stateTopic: string;
  subscriptions: string[];
  kv: KvStore;
  logger: Logger;
  /** Current birth payload (without online/bdSeq/poleId/timestamp, which the session adds). */
  birth: () => Record<string, unknown>;
  now?: () => number;
  /** How long connected before the backoff resets. Default 60 s. */
  stableMs?: number;
  /**
   * A QoS 1 publish not acknowledged within this long means the connection is useless (a cluster
   * node whose JetStream lost its leader keeps the socket but never answers): drop it and go to
   * the next broker; unacknowledged records stay in the outbox and are sent again. Default 20 s.
   */
  ackTimeoutMs?: number;
  /**
   * Whether the network under MQTT is up (the modem's data path; always up without a modem). A
   * connect that fails while it is down is expected — the modem's `online` calls `reconnectNow` —
   * so it is logged at info, not as a warning (docs/protocols/modem.md §Data path and MQTT).
   */
  dataPathUp?: () => boolean;
}

export type PublishError = Error & { code?: number | string };

/**
 * Turns off Nagle's algorithm on the client's socket (Node leaves it on, mqtt.js does not change
 * it): otherwise a receipt written right after a PUBACK waits for the broker's delayed ACK,
 * ~40 ms on Linux, on every round trip.
 */
export function noDelay(c: MqttClient): void {
  (c.stream as unknown as { setNoDelay?: (on: boolean) => void } | undefined)?.setNoDelay?.(true);
}

export class MqttSession extends EventEmitter<{
  connected: [];
  disconnected: [reason: string];
  message: [topic: string, payload: Buffer, retain: boolean];
  subscribeRefused: [topic: string, code: number];
  birth: [bdSeq: number];
}> {
  state: MqttState = MqttState.Idle;
  bdSeq = 0;
  readonly stats = {
    connects: 0, disconnects: 0, failedConnects: 0, received: 0, published: 0, births: 0,
    lastError: null as string | null, connectedSince: 0, lastDisconnectAt: 0,
    /** Attempts that went to another broker than the one before. */
    failovers: 0,
    /** Connections dropped because a publish went unacknowledged (ackTimeoutMs). */
    ackTimeouts: 0,
  };
  /** The brokers in this pole's order; `broker` is the one in use (or being tried). */
  readonly brokers: readonly Broker[];
  private brokerIndex = 0;
  private client: MqttClient | null = null;
  private readonly backoff: Backoff;
  private retryTimer: NodeJS.Timeout | null = null;
  /** Until then a failed attempt retries at once (reconnectNow during an attempt). */
  private expediteUntil = 0;
  private stableTimer: NodeJS.Timeout | null = null;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly ackTimeoutMs: number;

  constructor(private readonly o: MqttSessionOptions) {
    super();
    this.log = o.logger.child({ service: 'mqtt' });
    this.now = o.now ?? Date.now;
    const r = o.mqtt.reconnect;
    this.brokers = brokerList(o.mqtt, o.poleId);
    this.ackTimeoutMs = o.ackTimeoutMs ?? 20_000;
    this.backoff = new Backoff({ initialMs: (r?.initialSec ?? 1) * 1000, maxMs: (r?.maxSec ?? 120) * 1000, factor: 2, jitter: 0.3 });
  }

  start(): void {
    if (this.state !== MqttState.Idle) return;
    this.connect();
  }

  /** The broker in use, or the one being tried next. */
  get broker(): Broker {
    return this.brokers[this.brokerIndex % this.brokers.length]!;
  }

  /** Its URL with any password removed (birth, console, logs). */
  get brokerUrl(): string {
    return redactUrl(this.broker.url);
  }

  get connected(): boolean {
    return this.state === MqttState.Connected;
  }

  publish(topic: string, payload: Buffer | string, opts: { qos?: 0 | 1; retain?: boolean } = {}): Promise<void> {
    const c = this.client;
    if (!c || this.state !== MqttState.Connected) return Promise.reject(new Error('MQTT not connected'));
    const qos = opts.qos ?? 1;
    return new Promise((resolve, reject) => {
      const watchdog = qos === 1 ? setTimeout(() => {
        if (this.client !== c || this.state !== MqttState.Connected) return;
        this.stats.ackTimeouts++;
        this.onLost(`no PUBACK within ${this.ackTimeoutMs / 1000} s`);
      }, this.ackTimeoutMs) : null;
      watchdog?.unref?.();
      c.publish(topic, payload, { qos, retain: opts.retain ?? false }, (err) => {
        if (watchdog) clearTimeout(watchdog);
        if (err) reject(err);
        else { this.stats.published++; resolve(); }
      });
    });
  }

  /**
   * Extra subscriptions for this connection only (an update's chunks: docs/updates.md §Chunks); the
   * caller subscribes again after `connected`. Rejects when not connected or the broker refuses.
   */
  subscribeTopics(topics: readonly string[]): Promise<void> {
    const c = this.client;
    if (!c || this.state !== MqttState.Connected) return Promise.reject(new Error('MQTT not connected'));
    if (topics.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => c.subscribe(topics.map(String), { qos: 1 }, (err, granted) => {
      if (err) reject(err);
      else if ((granted ?? []).some((g) => g.qos > 2)) reject(new Error('subscription refused by the broker'));
      else resolve();
    }));
  }

  unsubscribeTopics(topics: readonly string[]): Promise<void> {
    const c = this.client;
    if (!c || this.state !== MqttState.Connected || topics.length === 0) return Promise.resolve();
    return new Promise((resolve) => c.unsubscribe(topics.map(String), () => resolve()));
  }

  /**
   * Connect now instead of waiting out the backoff: the link under us just came up (the modem's
   * data context). While an attempt is under way, its failure retries at once instead.
   */
  reconnectNow(reason: string): void {
    this.backoff.succeeded();
    if (this.state === MqttState.Connecting) {
      this.expediteUntil = Date.now() + 5_000;
      return;
    }
    if (this.state !== MqttState.Waiting) return;
    this.log.info({ reason }, 'reconnecting now');
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.connect();
  }

  /**
   * Drops the connection now: the link under it is gone (the modem left `online`; on the host data
   * path its interface lost carrier or route), so the TCP connection is dead even though no packet
   * has told TCP yet. Waiting for the keepalive would keep records "in flight" on a dead socket and,
   * after a short outage, leave the session to TCP's retransmission backoff. Unacknowledged records
   * stay in the outbox; the broker publishes the Will when its keepalive expires.
   */
  dropNow(reason: string): void {
    if (this.state !== MqttState.Connected && this.state !== MqttState.Connecting) return;
    this.log.info({ reason }, 'dropping the MQTT connection: its link is gone');
    this.onLost(reason);
  }

  /** Publishes the birth again (on change and on `state.rebirth`); same bdSeq within a connection. */
  async rebirth(): Promise<number> {
    await this.publish(this.o.stateTopic, JSON.stringify(this.birthPayload()), { qos: 1, retain: true });
    this.stats.births++;
    this.emit('birth', this.bdSeq);
    return this.bdSeq;
  }

  /** Orderly stop: publish the offline state ourselves (a clean DISCONNECT cancels the Will). */
  async stop(): Promise<void> {
    const c = this.client;
    const wasConnected = this.state === MqttState.Connected;
    this.state = MqttState.Stopped;
    this.clearTimers();
    if (!c) return;
    if (wasConnected) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, 2000);
        c.publish(this.o.stateTopic, JSON.stringify(this.offlinePayload('shutdown')), { qos: 1, retain: true }, () => { clearTimeout(t); r(); });
      });
    }
    await new Promise<void>((r) => {
      const t = setTimeout(r, 2000);
      c.end(false, {}, () => { clearTimeout(t); r(); });
    });
    c.removeAllListeners();
    // A reset that arrives after the end (e.g. a network path cut at shutdown) must not crash us.
    c.on('error', () => {});
  }

  private birthPayload(): Record<string, unknown> {
    return {
      ...this.o.birth(), online: true, bdSeq: this.bdSeq, poleId: this.o.poleId, timestamp: new Date(this.now()).toISOString(),
      broker: this.brokerUrl, heartbeatSec: this.o.mqtt.heartbeatSec,
    };
  }

  private offlinePayload(reason: string): Record<string, unknown> {
    return { online: false, bdSeq: this.bdSeq, poleId: this.o.poleId, reason };
  }

  private clientOptions(): IClientOptions {
    const m = this.o.mqtt;
    const opts: IClientOptions = {
      clientId: m.clientId ?? this.o.poleId,
      username: m.username,
      password: m.password,
      keepalive: m.keepaliveSec,
      protocolVersion: m.protocolVersion,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 15_000,
      will: { topic: this.o.stateTopic, payload: Buffer.from(JSON.stringify(this.offlinePayload('connection lost'))), qos: 1, retain: true },
    };
    // MQTT 5 lets the client state the largest packet it takes: the broker drops bigger ones (docs/security.md).
    if (m.protocolVersion === 5) opts.properties = { sessionExpiryInterval: 0, maximumPacketSize: INBOUND_MAX_BYTES + 64 * 1024 };
    const tls = this.broker.tls;
    if (tls) {
      if (tls.caFile) opts.ca = readFileSync(tls.caFile);
      if (tls.certFile) opts.cert = readFileSync(tls.certFile);
      if (tls.keyFile) opts.key = readFileSync(tls.keyFile);
      opts.rejectUnauthorized = tls.rejectUnauthorized;
    }
    return opts;
  }

  private connect(): void {
    this.state = MqttState.Connecting;
    // A new bdSeq for every CONNECT, persisted so it keeps rising across restarts (Sparkplug §bdSeq).
    // A full disk must not stop the connection (the chaos run found the runtime dying of it): the
    // counter then rises in memory only until a write succeeds (docs/mqtt-api.md §State: birth and will).
    try {
      this.bdSeq = this.o.kv.increment('mqtt.bdSeq');
    } catch (e) {
      // Reading still works on a full disk: stay above what was stored, so a consumer still sees it rise.
      this.bdSeq = Math.max(this.bdSeq, Number(this.o.kv.get('mqtt.bdSeq') ?? 0)) + 1;
      this.log.warn({ err: (e as Error).message, bdSeq: this.bdSeq }, 'cannot persist bdSeq; connecting with the next one in memory');
    }
    let opts: IClientOptions;
    try {
      opts = this.clientOptions();
    } catch (e) {
      this.onLost(`TLS files: ${(e as Error).message}`);
      return;
    }
    const c = mqtt.connect(this.broker.url, opts);
    this.client = c;
    noDelay(c);
    c.on('connect', () => {
      if (this.client !== c) return;
      this.state = MqttState.Connected;
      this.stats.connects++;
      this.stats.connectedSince = this.now();
      this.stats.lastError = null;
      this.log.info({ url: this.brokerUrl, bdSeq: this.bdSeq }, 'MQTT connected');
      this.stableTimer = setTimeout(() => this.backoff.succeeded(), this.o.stableMs ?? 60_000);
      this.stableTimer.unref?.();
      const subs = this.o.subscriptions;
      const qos = this.o.mqtt.subscribeQos;
      // Nothing to subscribe (an uplink-only session): mqtt.js fails an empty SUBSCRIBE, which would drop us.
      if (subs.length > 0) c.subscribe(Object.fromEntries(subs.map((t) => [t, { qos }])), (err, granted) => {
        if (err) {
          // A cluster node may refuse while its JetStream elects new leaders after a peer died: without
          // the subscriptions the pole would hear nothing, so drop the connection and retry (backoff, next node).
          this.log.error({ err: err.message }, 'MQTT subscribe failed');
          if (this.client === c) this.onLost(`subscribe failed: ${err.message}`);
          return;
        }
        for (const g of granted ?? []) {
          if (g.qos > 2) {
            this.log.error({ topic: g.topic, code: g.qos }, 'MQTT subscription refused by the broker');
            this.emit('subscribeRefused', g.topic, g.qos);
          }
        }
      });
      this.rebirth().catch((e: Error) => this.log.warn({ err: e.message }, 'birth publish failed'));
      this.emit('connected');
    });
    c.on('message', (topic, payload, packet) => {
      this.stats.received++;
      this.emit('message', topic, payload, packet.retain);
    });
    c.on('error', (e) => {
      this.stats.lastError = e.message;
      if (this.client === c && this.state === MqttState.Connecting) this.onLost(e.message);
    });
    c.on('close', () => {
      if (this.client === c) this.onLost(this.stats.lastError ?? 'connection closed');
    });
  }

  private onLost(reason: string): void {
    if (this.state === MqttState.Stopped || this.state === MqttState.Waiting) return;
    const wasConnected = this.state === MqttState.Connected;
    this.clearTimers();
    const c = this.client;
    this.client = null;
    if (c) { c.removeAllListeners(); c.on('error', () => {}); c.end(true); }
    this.state = MqttState.Waiting;
    // Next attempt on the next broker: a cluster node that dropped us or refused us is likely gone.
    if (this.brokers.length > 1) { this.brokerIndex = (this.brokerIndex + 1) % this.brokers.length; this.stats.failovers++; }
    const delay = Date.now() < this.expediteUntil ? 250 : this.backoff.next();
    this.expediteUntil = 0;
    if (wasConnected) {
      this.stats.disconnects++;
      this.stats.lastDisconnectAt = this.now();
      this.log.warn({ reason, retryInMs: delay, next: this.brokerUrl }, 'MQTT connection lost');
      this.emit('disconnected', reason);
    } else {
      this.stats.failedConnects++;
      if (this.o.dataPathUp?.() === false) this.log.info({ reason, retryInMs: delay, next: this.brokerUrl }, 'MQTT waits for the data path');
      else this.log.warn({ reason, retryInMs: delay, next: this.brokerUrl }, 'MQTT connect failed');
    }
    // Not unref'd: a pole with nothing else to do must stay up and keep retrying.
    this.retryTimer = setTimeout(() => { this.retryTimer = null; if (this.state === MqttState.Waiting) this.connect(); }, delay);
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.stableTimer) clearTimeout(this.stableTimer);
    this.retryTimer = this.stableTimer = null;
  }
}
