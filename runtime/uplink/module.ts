/**
 * The uplink area (docs/mqtt-api.md §State: birth and will, §Uplink): the outbox on disk, the
 * reporter that writes events and telemetry into it, the MQTT session with its birth, the
 * publisher that drains the outbox, heartbeat, state publisher and clock watch. Owns the `mqtt`
 * health entry and the pole's own commands (ping, state.rebirth, config.get, log.level).
 *
 * Other areas add to the birth with `birth.register` (as they add to health). The modem's data
 * link carries the uplink: `modemOnline` / `modemOffline` are the handlers for its events.
 */
import type { PoleTopics } from '../../protocols/topics.js';
import type { Config } from '../config/schema.js';
import type { Health } from '../health.js';
import type { ModuleBase } from '../module.js';
import type { StorageModule } from '../storage/module.js';
import { ClockWatch } from '../clock-watch.js';
import { registerBuiltinCommands } from '../commands/builtin.js';
import { softwareVersion } from '../version.js';
import { Heartbeat } from './heartbeat.js';
import { MqttSession, MqttState } from './mqtt-session.js';
import { Outbox } from './outbox.js';
import { OutboxPublisher } from './outbox-publisher.js';
import { Reporter } from './reporter.js';
import { StatePublisher } from './state-publisher.js';
import { UplinkMonitor } from './uplink-monitor.js';

export interface BirthParts {
  /** Adds `name` to every birth message, read when the birth is published. */
  register(name: string, part: () => unknown): void;
}

export interface UplinkModule {
  readonly outbox: Outbox;
  readonly reporter: Reporter;
  /** Emits `message` for every inbound publish. */
  readonly mqtt: MqttSession;
  readonly birth: BirthParts;
  /** Whether MQTT is connected now. */
  connected(): boolean;
  /** False for a day after the wall clock jumped forward (docs/security.md §Clocks). */
  pruneSafe(): boolean;
  /** Handler: the modem's data path came up — connect now (or refresh the birth when connected). */
  modemOnline(): void;
  /** Handler: the modem's data path went down — drop the connection instead of waiting for keepalive. */
  modemOffline(why: string): void;
  /** Handler: something the birth shows changed (the trust list) — publish it again. */
  rebirth(): void;
  start(): void;
  /** Stops the timers (publishing, telemetry, clock watch); `close` then ends the session. */
  stop(): void;
  close(): Promise<void>;
}

export interface UplinkDeps extends ModuleBase {
  storage: StorageModule;
  topics: PoleTopics;
  startedAt: number;
}

export function createUplink(config: Readonly<Config>, d: UplinkDeps): UplinkModule {
  const { logger: log, now, storage, topics, health, startedAt } = d;
  const outbox = new Outbox(storage.db, { now, maxRows: config.uplink.outboxMaxRows, maxBytes: config.uplink.outboxMaxBytes, storage: storage.disk });
  const reporter = new Reporter({ outbox, topics, poleId: config.pole.id, timeZone: config.pole.timezone, logger: log, now, monotonic: d.monotonic, eventsPerMinute: config.uplink.eventsPerMinute });
  // A database found corrupt at start was moved aside before the uplink existed: tell the city now.
  storage.reportRecovery((e) => reporter.event(e));
  const clockWatch = new ClockWatch({ logger: log, report: (e) => reporter.event(e), wall: now, mono: d.monotonic });
  const parts = new Map<string, () => unknown>();
  // Without a modem the data path is the pole's own network, always up.
  let dataPathUp = !config.devices.modem?.enabled;
  const mqtt = new MqttSession({
    mqtt: config.mqtt, poleId: config.pole.id, stateTopic: topics.state, subscriptions: topics.subscriptions, kv: storage.kv, logger: log, now,
    dataPathUp: () => dataPathUp,
    birth: () => ({
      software: softwareVersion(), startedAt: new Date(startedAt).toISOString(), uptimeSec: Math.round((now() - startedAt) / 1000),
      // location (config pole.location): the console's map and CAP coverage (docs/mqtt-api.md §State).
      groups: config.pole.groups, location: config.pole.location, devices: health.snapshot(),
      outbox: { depth: outbox.depth(), bytes: outbox.bytes(), dropped: outbox.stats.dropped, stream: outbox.stream },
      ...Object.fromEntries([...parts].map(([k, f]) => [k, f()])),
    }),
  });
  // A publish the broker refuses is the monitor's to report (it is called only once running).
  const publisher = new OutboxPublisher(outbox, mqtt, log, { onRefused: (seq, topic, reason) => monitor.refused(seq, topic, reason) });
  const monitor = new UplinkMonitor({ outbox, mqtt, publisher, reporter, logger: log, now, telemetryIntervalSec: config.uplink.telemetryIntervalSec });
  const statePublisher = new StatePublisher({ mqtt, health, logger: log });
  const heartbeat = new Heartbeat({ session: mqtt, topic: topics.heartbeat, poleId: config.pole.id, intervalSec: config.mqtt.heartbeatSec, logger: log, now });
  health.register('mqtt', (): Health => ({
    status: mqtt.state === MqttState.Connected ? 'ok' : 'down', state: mqtt.state, bdSeq: mqtt.bdSeq, outboxDepth: outbox.depth(), outboxBytes: outbox.bytes(),
    detail: mqtt.state === MqttState.Connected ? undefined : mqtt.stats.lastError ?? mqtt.state,
  }));
  registerBuiltinCommands(d.commands, { config, mqtt, logger: log, startedAt, now });

  return {
    outbox, reporter, mqtt,
    birth: { register: (name, part) => void parts.set(name, part) },
    connected: () => mqtt.connected,
    pruneSafe: () => clockWatch.pruneSafe(),
    modemOnline() {
      dataPathUp = true;
      // Connected already (the data path came up a moment before the modem said so): refresh the
      // retained birth so it shows the modem online; otherwise connect now, not after the backoff.
      if (mqtt.connected) mqtt.rebirth().catch((e: Error) => log.debug({ err: e.message }, 'rebirth failed'));
      else mqtt.reconnectNow('modem online');
    },
    modemOffline(why) {
      dataPathUp = false;
      mqtt.dropNow(`modem offline: ${why}`);
    },
    rebirth() {
      mqtt.rebirth().catch(() => {});
    },
    start() {
      clockWatch.start();
      monitor.start();
      statePublisher.start();
      mqtt.start();
    },
    stop() {
      statePublisher.stop();
      monitor.stop();
      clockWatch.stop();
      heartbeat.stop();
    },
    close: () => mqtt.stop(),
  };
}
