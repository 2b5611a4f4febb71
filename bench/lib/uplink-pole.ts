/**
 * The MQTT side of a pole without screen or devices, built from the runtime's own classes
 * (MqttSession, InboundRouter with group commit, MessageGate, NoticeIntake + CapIntake, Outbox,
 * OutboxPublisher, Reporter, CommandChannel): what the fleet and throughput benches run many of.
 */
import { join } from 'node:path';
import { pino } from 'pino';
import { poleTopics } from '../../protocols/topics.js';
import { openDatabase, closeDatabase, type Db } from '../../runtime/storage/database.js';
import { KvStore } from '../../runtime/storage/kv.js';
import { Outbox } from '../../runtime/uplink/outbox.js';
import { Reporter } from '../../runtime/uplink/reporter.js';
import { MqttSession } from '../../runtime/uplink/mqtt-session.js';
import { OutboxPublisher } from '../../runtime/uplink/outbox-publisher.js';
import { MessageGate } from '../../runtime/trust/message-gate.js';
import { VersionRegistry } from '../../runtime/trust/version-registry.js';
import type { TrustedKey } from '../../protocols/envelope.js';
import { NoticeStore } from '../../runtime/notices/notice-store.js';
import { NoticeIntake } from '../../runtime/notices/notice-intake.js';
import { CapIntake } from '../../runtime/notices/cap-intake.js';
import { CapRegistry } from '../../runtime/notices/cap-registry.js';
import { InboundRouter } from '../../runtime/inbound-router.js';
import { CommandRegistry } from '../../runtime/commands/registry.js';
import { CommandJournal } from '../../runtime/commands/command-journal.js';
import { CommandChannel } from '../../runtime/commands/command-channel.js';
import { registerBuiltinCommands } from '../../runtime/commands/builtin.js';
import { parseConfig } from '../../runtime/config/load.js';
import { SignatureVerifier } from '../../runtime/trust/signature-verifier.js';
import { Heartbeat } from '../../runtime/uplink/heartbeat.js';
import { splitUrls } from '../../runtime/uplink/broker-list.js';

export interface UplinkPole {
  poleId: string;
  db: Db;
  session: MqttSession;
  heartbeat: Heartbeat;
  notices: NoticeStore;
  outbox: Outbox;
  reporter: Reporter;
  intake: NoticeIntake;
  router: InboundRouter;
  stop(): Promise<void>;
}

export interface UplinkPoleOptions {
  poleId: string;
  /** One broker, or several separated by commas (failover in the pole's order). */
  mqttUrl: string;
  /** `shuffled`: each pole its own order of the brokers (default `ordered`). */
  urlOrder?: 'ordered' | 'shuffled';
  /** Retained heartbeat interval (default: the config's default). */
  heartbeatSec?: number;
  /** MqttSession's PUBACK watchdog (default 20 s). */
  ackTimeoutMs?: number;
  /** QoS of the pole's subscriptions (default 1; 0 for a NATS cluster, docs/fleet.md). */
  subscribeQos?: 0 | 1;
  /** ':memory:' keeps the database in memory (fleet: the MQTT side only, no disk syncs). */
  dataDir: string;
  key: TrustedKey & { publicKeyB64: string };
  groups?: string[];
  reconnect?: { initialSec: number; maxSec: number };
  /** Start the MQTT session at once (default true). */
  autoStart?: boolean;
  /** Signature worker threads, as the runtime has (default 0: inline, like a single-core pole). */
  verifyThreads?: number;
  /** Where the pole stands (in its birth; the ops console's map). Default 30.6, 114.3. */
  location?: { lat: number; lon: number };
}

/** Poles on a 50-wide grid about 220 m apart around Wuhan's Jiang'an district, by the number in the id (the ops console's map). */
export function gridLocation(poleId: string): { lat: number; lon: number } {
  const i = Number(/\d+$/.exec(poleId)?.[0] ?? 0);
  return { lat: 30.58 + Math.floor(i / 50) * 0.002, lon: 114.26 + (i % 50) * 0.0023 };
}

export function startUplinkPole(o: UplinkPoleOptions): UplinkPole {
  const logger = pino({ level: 'warn' });
  const config = parseConfig({
    pole: { id: o.poleId, groups: o.groups ?? ['district/jiangan'], location: { lat: o.location?.lat ?? 30.6, lon: o.location?.lon ?? 114.3, areaCode: '420102' } },
    storage: { dataDir: o.dataDir },
    mqtt: {
      ...(o.mqttUrl.includes(',') ? { urls: splitUrls(o.mqttUrl) } : { url: o.mqttUrl }), urlOrder: o.urlOrder ?? 'ordered',
      keepaliveSec: 60, reconnect: o.reconnect ?? { initialSec: 1, maxSec: 120 }, ...(o.heartbeatSec !== undefined ? { heartbeatSec: o.heartbeatSec } : {}), subscribeQos: o.subscribeQos ?? 1,
    },
    trust: { keys: [{ kid: o.key.kid, issuer: o.key.issuer, publicKey: o.key.publicKeyB64 }] },
  }, o.dataDir === ':memory:' ? process.cwd() : o.dataDir);
  const now = Date.now;
  const db = openDatabase(o.dataDir === ':memory:' ? ':memory:' : join(o.dataDir, 'pole.db'));
  const topics = poleTopics(config.mqtt.topicPrefix, o.poleId, config.pole.groups);
  const outbox = new Outbox(db, { now });
  const reporter = new Reporter({ outbox, topics, poleId: o.poleId, timeZone: 'Asia/Shanghai', logger, now });
  const session = new MqttSession({
    mqtt: config.mqtt, ackTimeoutMs: o.ackTimeoutMs, poleId: o.poleId, stateTopic: topics.state, subscriptions: topics.subscriptions, kv: new KvStore(db), logger, now,
    birth: () => ({ software: 'bench', startedAt: new Date().toISOString(), uptimeSec: 0, groups: config.pole.groups, location: config.pole.location, devices: {}, outbox: { depth: outbox.depth(), bytes: outbox.bytes(), dropped: 0, stream: outbox.stream } }),
  });
  new OutboxPublisher(outbox, session, logger);
  const heartbeat = new Heartbeat({ session, topic: topics.heartbeat, poleId: o.poleId, intervalSec: config.mqtt.heartbeatSec, logger, now });
  const versions = new VersionRegistry(db);
  const verifier = new SignatureVerifier({ threads: o.verifyThreads ?? 0, logger });
  const gate = new MessageGate({ keys: new Map([[o.key.kid, o.key]]), prefix: config.mqtt.topicPrefix, poleId: o.poleId, groups: config.pole.groups, versions, clockSkewSec: 120, now, verifier });
  const store = new NoticeStore(db);
  const cap = new CapIntake({ store, registry: new CapRegistry(db), reporter, logger, clockSkewSec: 120, profile: { language: 'zh', testMode: false, place: config.pole.location } });
  const intake = new NoticeIntake({ db, gate, store, cap, reporter, logger, now });
  const commands = new CommandRegistry();
  registerBuiltinCommands(commands, { config, mqtt: session, logger, startedAt: now(), now });
  const channel = new CommandChannel({ db, gate, versions, journal: new CommandJournal(db), registry: commands, reporter, logger, poleId: o.poleId, timeZone: 'Asia/Shanghai', clockSkewSec: 120, now });
  const router = new InboundRouter({ prefix: config.mqtt.topicPrefix, poleId: o.poleId, logger, prepare: (p) => gate.preverify(p), batch: (run) => db.transaction(run)() })
    .on('notice', (t, payload, topic) => intake.handle(topic, t.target, t.id, payload))
    .on('cmd', (_t, payload, topic) => channel.handle(topic, payload));
  session.on('message', (topic, payload, retain) => router.dispatch(topic, payload, retain));
  if (o.autoStart !== false) session.start();
  return {
    poleId: o.poleId, db, session, heartbeat, notices: store, outbox, reporter, intake, router,
    async stop() { heartbeat.stop(); await session.stop(); await router.flush(); await verifier.close(); closeDatabase(db); },
  };
}
