/**
 * City operations for the chaos run (docs/chaos.md §Workload): one MQTT client with a persistent
 * session (so nothing the pole publishes during a broker restart is missed) that signs with the
 * sim's development key through the ops helpers (ops/sign.ts), publishes, and records everything
 * the pole sends up. Commands are re-sent, identically, every 5 s until answered — as
 * `smartpole ops cmd` does.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { join } from 'node:path';
import { loadSigningKey, type SigningKey } from '../ops/keys.js';
import { completeNotice, sign, signForTopic, withdrawal } from '../ops/sign.js';
import { cmdTopic, dataTopic, noticeTopic } from '../protocols/topics.js';
import { isoWithOffset } from '../protocols/time.js';
import type { NoticeDraft } from '../protocols/notice.js';
import type { CapPayload } from '../protocols/cap.js';

export const PREFIX = 'smartpole/v1';

export interface UpRecord { topic: string; leaf: string; body: Record<string, unknown>; at: number }

export interface SentCommand { id: string; name: string; body: string; sentAt: number; resends: number; answeredAt: number | null }

export class OpsLink {
  client!: MqttClient;
  key!: SigningKey;
  readonly commands = new Map<string, SentCommand>();
  private readonly listeners: ((r: UpRecord) => void)[] = [];
  private resendTimer: NodeJS.Timeout | null = null;
  private n = 0;

  constructor(private readonly brokerUrl: string, readonly poleId: string, private readonly simDir: string) {}

  async connect(): Promise<void> {
    this.key = loadSigningKey(join(this.simDir, 'keys', 'dev-ops.key.json'));
    this.client = await mqtt.connectAsync(this.brokerUrl, { clientId: `chaos-ops-${process.pid}`, clean: false, reconnectPeriod: 1000, connectTimeout: 5000 });
    this.client.on('message', (topic, payload) => {
      let body: Record<string, unknown>;
      try { body = JSON.parse(payload.toString()) as Record<string, unknown>; } catch { return; }
      const leaf = topic.slice(`${PREFIX}/poles/${this.poleId}/`.length);
      const rec = { topic, leaf, body, at: Date.now() };
      if (leaf === 'cmd/res' && typeof body.id === 'string') {
        const c = this.commands.get(body.id);
        if (c && c.answeredAt === null) c.answeredAt = rec.at;
      }
      for (const l of this.listeners) l(rec);
    });
    this.client.on('error', () => { /* reconnects; outages are the point */ });
    await this.client.subscribeAsync(['state', 'receipts', 'cmd/res', 'events', 'telemetry', 'feedback', 'audit'].map((l) => `${PREFIX}/poles/${this.poleId}/${l}`), { qos: 1 });
    this.resendTimer = setInterval(() => this.resend(), 5_000);
  }

  onRecord(f: (r: UpRecord) => void): void {
    this.listeners.push(f);
  }

  private publish(topic: string, body: string, retain = false): void {
    this.client.publishAsync(topic, body, { qos: 1, retain }).catch(() => { /* queued by mqtt.js while offline */ });
  }

  pushNotice(draft: NoticeDraft): { id: string; version: number } {
    const p = completeNotice(draft, Date.now(), `pole:${this.poleId}`);
    const topic = noticeTopic(PREFIX, { scope: 'pole', poleId: this.poleId }, p.id);
    this.publish(topic, JSON.stringify(signForTopic(p, this.key, PREFIX, topic)), true);
    return { id: p.id, version: p.version };
  }

  withdraw(id: string): number {
    const w = withdrawal(id, Date.now(), 'chaos workload', `pole:${this.poleId}`);
    const topic = noticeTopic(PREFIX, { scope: 'pole', poleId: this.poleId }, id);
    this.publish(topic, JSON.stringify(signForTopic(w, this.key, PREFIX, topic)), true);
    return w.version;
  }

  pushCap(payload: CapPayload): void {
    const topic = noticeTopic(PREFIX, { scope: 'pole', poleId: this.poleId }, payload.id);
    this.publish(topic, JSON.stringify(signForTopic(payload, this.key, PREFIX, topic)), true);
  }

  pushDataSet(id: string, data: unknown): number {
    const now = Date.now();
    const topic = dataTopic(PREFIX, id, this.poleId);
    const p = { type: 'dataset', id, version: now, issuedAt: isoWithOffset(now), expiresAt: isoWithOffset(now + 86_400_000), data };
    this.publish(topic, JSON.stringify(signForTopic(p, this.key, PREFIX, topic)), true);
    return now;
  }

  /** Sends a command (re-sent until answered); returns its id. */
  command(name: string, args: Record<string, unknown> = {}, ttlMs = 600_000): string {
    const now = Date.now();
    const id = `chaos-${process.pid}-${++this.n}`;
    const p = { type: 'cmd', poleId: this.poleId, id, version: now, issuedAt: isoWithOffset(now), expiresAt: isoWithOffset(now + ttlMs), name, args };
    const body = JSON.stringify(sign(p, this.key, `pole:${this.poleId}`));
    this.commands.set(id, { id, name, body, sentAt: now, resends: 0, answeredAt: null });
    this.publish(cmdTopic(PREFIX, this.poleId), body);
    return id;
  }

  private resend(): void {
    const now = Date.now();
    for (const c of this.commands.values()) {
      if (c.answeredAt !== null || now - c.sentAt < 5_000) continue;
      c.resends++;
      this.publish(cmdTopic(PREFIX, this.poleId), c.body);
    }
  }

  /** A command's first answer, waiting up to `timeoutMs`. */
  async answer(id: string, responses: () => Map<string, Record<string, unknown>[]>, timeoutMs: number): Promise<Record<string, unknown> | null> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const r = responses().get(id)?.[0];
      if (r) return r;
      await new Promise((res) => setTimeout(res, 100));
    }
    return null;
  }

  async close(): Promise<void> {
    if (this.resendTimer) clearInterval(this.resendTimer);
    await this.client.endAsync(true);
  }
}
