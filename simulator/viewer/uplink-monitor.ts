/**
 * Listens to the pole's uplink topics the way city operations would (a plain MQTT client on the
 * broker, not a hook into the runtime), and writes each record into the viewer's event log.
 * Reconnects on its own across broker outages.
 */
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { poleOutTopic } from '../../protocols/topics.js';
import { describeUplink, type EventLog } from './event-log.js';

const LEAVES = ['state', 'receipts', 'cmd/res', 'events', 'telemetry', 'feedback', 'audit'] as const;

export class UplinkMonitor {
  private client: MqttClient | null = null;
  private readonly topics: Map<string, string>;
  connected = false;
  received = 0;
  /**
   * The devices' health from the pole's last retained birth, null once its Will says offline: what
   * the viewer shows when the runtime is another process (`sim --netns`, `--hardware-only`).
   */
  birthHealth: Record<string, unknown> | null = null;

  constructor(private readonly o: { mqttUrl: string; prefix: string; poleId: string; log: EventLog; logger: Logger }) {
    this.topics = new Map(LEAVES.map((l) => [poleOutTopic(o.prefix, o.poleId, l), l]));
  }

  start(): void {
    const c = mqtt.connect(this.o.mqttUrl, { clientId: `smartpole-viewer-${randomBytes(4).toString('hex')}`, clean: true, reconnectPeriod: 1000, connectTimeout: 10_000 });
    this.client = c;
    c.on('connect', () => {
      this.connected = true;
      this.o.log.add('sim', 'ops', `viewer's ops client connected to ${this.o.mqttUrl}`, null);
      c.subscribe([...this.topics.keys()], { qos: 1 }, (e) => { if (e) this.o.logger.warn({ err: e.message }, 'viewer: subscribe failed'); });
    });
    c.on('close', () => {
      if (!this.connected) return;
      this.connected = false;
      this.o.log.add('sim', 'ops', "viewer's ops client lost the broker; reconnecting", null, 'warn');
    });
    c.on('error', (e) => this.o.logger.debug({ err: e.message }, 'viewer: mqtt error'));
    c.on('message', (topic, payload) => {
      const leaf = this.topics.get(topic);
      if (!leaf) return;
      this.received++;
      let r: Record<string, unknown>;
      try {
        r = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
        if (!r || typeof r !== 'object') throw new Error('not an object');
      } catch {
        this.o.log.add('pole', leaf, `unreadable message on ${topic} (${payload.length} bytes)`, null, 'warn');
        return;
      }
      if (leaf === 'state') this.birthHealth = r.online === true && r.devices && typeof r.devices === 'object' ? r.devices as Record<string, unknown> : null;
      const d = describeUplink(leaf, r);
      this.o.log.add('pole', d.kind, d.summary, r, d.level);
    });
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c) await new Promise<void>((r) => c.end(true, {}, () => r()));
  }
}
