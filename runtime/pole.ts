/**
 * The composition root: builds every service of one pole from its config and wires them
 * (design.md layout: runtime/ composes device/, display/ and protocols/). Nothing else creates
 * long-lived objects; there are no module-level singletons.
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { BindingInterface } from '@serialport/bindings-interface';
import type { Logger } from 'pino';
import { poleTopics, type PoleTopics } from '../protocols/topics.js';
import { Renderer } from '../display/renderer.js';
import type { PageModel } from '../display/page-model.js';
import type { Frame } from '../display/frame.js';
import { SerialLink } from '../device/serial/serial-link.js';
import { LedLink } from '../device/led/led-link.js';
import { LedPresenter, type PresentedInfo } from '../device/led/led-presenter.js';
import type { Config } from './config/schema.js';
import { openDatabase, closeDatabase, type Db } from './storage/database.js';
import { KvStore } from './storage/kv.js';
import { HealthRegistry, type Health } from './health.js';
import { InboundRouter } from './inbound-router.js';
import { VersionRegistry } from './trust/version-registry.js';
import { MessageGate } from './trust/message-gate.js';
import { trustedKeys } from './trust/keys.js';
import { NoticeStore } from './notices/notice-store.js';
import { NoticeIntake } from './notices/notice-intake.js';
import { Outbox } from './uplink/outbox.js';
import { MqttSession, MqttState } from './uplink/mqtt-session.js';
import { OutboxPublisher } from './uplink/outbox-publisher.js';
import { Reporter } from './uplink/reporter.js';
import { ScreenService, type FrameSink } from './screen/screen-service.js';
import { DataSetStore } from './data/dataset-store.js';
import { FeedbackStore } from './feedback/feedback-store.js';
import { CommandRegistry } from './commands/registry.js';
import { softwareVersion } from './version.js';
import { ledHealth } from './led-health.js';
import { buildFieldServices, type FieldServices } from './field-services.js';
import type { LogRing } from './logger.js';
import { ConsoleService } from './console/console-service.js';
import { LiveConfigRegistry } from './console/live-config.js';
import { ledConsolePort } from './console/led-port.js';

export interface PoleDeps {
  config: Readonly<Config>;
  logger: Logger;
  /** serialport binding for every device; default the OS binding. The sim may pass an in-process one. */
  binding?: BindingInterface;
  now?: () => number;
  /** The file the config came from; the console's `config set` edits it. */
  configFile?: string;
  /** The logger's in-memory ring, for the console's `log tail`. */
  logRing?: LogRing;
  /** Restarts the runtime (stop, re-read the config file, start); the console's `reboot` calls it. */
  restart?: (reason: string) => void;
}

export interface Pole extends EventEmitter<{ page: [PageModel]; presented: [PresentedInfo] }> {
  readonly config: Readonly<Config>;
  readonly topics: PoleTopics;
  readonly db: Db;
  readonly health: HealthRegistry;
  readonly services: PoleServices;
  page(): PageModel | null;
  stop(): Promise<void>;
}

export interface PoleServices {
  mqtt: MqttSession;
  outbox: Outbox;
  reporter: Reporter;
  notices: NoticeStore;
  intake: NoticeIntake;
  screen: ScreenService;
  datasets: DataSetStore;
  feedback: FeedbackStore;
  commands: CommandRegistry;
  led: { serial: SerialLink; link: LedLink; presenter: LedPresenter } | null;
  /** RS-485 field bus and what runs on it: charging, pads, lamp (issue 7). status() of each feeds the screen. */
  field: FieldServices;
  console: ConsoleService | null;
  /** Config keys services apply without a restart (console `config set`). */
  liveConfig: LiveConfigRegistry;
}

/** Discards frames when no LED board is fitted, so the rest of the pole still runs. */
class NullSink extends EventEmitter<{ presented: [{ tag?: string | undefined }] }> implements FrameSink {
  show(_frame: Frame, tag?: string): void {
    this.emit('presented', { tag });
  }
}

export async function startPole(deps: PoleDeps): Promise<Pole> {
  const { config } = deps;
  const now = deps.now ?? Date.now;
  const log = deps.logger;
  const startedAt = now();
  const emitter = new EventEmitter<{ page: [PageModel]; presented: [PresentedInfo] }>();

  const db = openDatabase(join(config.storage.dataDir, 'pole.db'));
  const kv = new KvStore(db);
  const topics = poleTopics(config.mqtt.topicPrefix, config.pole.id, config.pole.groups);
  const health = new HealthRegistry();

  // Uplink: outbox → MQTT.
  const outbox = new Outbox(db, { now });
  const reporter = new Reporter({ outbox, topics, poleId: config.pole.id, timeZone: config.pole.timezone, logger: log, now });
  const mqtt = new MqttSession({
    mqtt: config.mqtt, poleId: config.pole.id, stateTopic: topics.state, subscriptions: topics.subscriptions, kv, logger: log, now,
    birth: () => ({ software: softwareVersion(), startedAt: new Date(startedAt).toISOString(), uptimeSec: Math.round((now() - startedAt) / 1000), devices: health.snapshot() }),
  });
  new OutboxPublisher(outbox, mqtt, log);

  // Trust and notices.
  const gate = new MessageGate({ keys: trustedKeys(config.trust), versions: new VersionRegistry(db), clockSkewSec: config.trust.clockSkewSec, now });
  const notices = new NoticeStore(db);
  const datasets = new DataSetStore(db);
  const feedback = new FeedbackStore(db);
  const commands = new CommandRegistry();
  const intake = new NoticeIntake({ db, gate, store: notices, reporter, logger: log, now });
  const field = buildFieldServices({ config, db, kv, outbox, reporter, chargingTopic: topics.charging, commands, health, logger: log, binding: deps.binding, now });

  // LED board.
  let led: PoleServices['led'] = null;
  let sink: FrameSink;
  const ledCfg = config.devices.led;
  if (ledCfg?.enabled) {
    const serial = new SerialLink({ path: ledCfg.path, baudRate: ledCfg.baudRate, name: 'led', logger: log, binding: deps.binding });
    const link = new LedLink({ serial, logger: log, linkRate: ledCfg.linkRate });
    const presenter = new LedPresenter(link, log);
    presenter.on('presented', (info) => emitter.emit('presented', info));
    led = { serial, link, presenter };
    sink = presenter;
    health.register('led', () => ledHealth(serial, link, presenter));
  } else {
    sink = new NullSink();
    health.register('led', (): Health => ({ status: 'absent', detail: 'no LED board configured' }));
  }

  const screen = new ScreenService({
    store: notices, renderer: new Renderer(config.screen.width, config.screen.height), sink, reporter, logger: log,
    timeZone: config.pole.timezone, language: config.pole.language, location: config.pole.location.address, now,
  });
  screen.on('page', (m) => emitter.emit('page', m));
  intake.on('changed', () => screen.refresh());

  const router = new InboundRouter(config.mqtt.topicPrefix, log).on('notice', (t, payload, topic) => intake.handle(topic, t.target, t.id, payload));
  mqtt.on('message', (topic, payload, retain) => router.dispatch(topic, payload, retain));
  health.register('mqtt', (): Health => ({
    status: mqtt.state === MqttState.Connected ? 'ok' : 'down', state: mqtt.state, outboxDepth: outbox.depth(),
    detail: mqtt.state === MqttState.Connected ? undefined : mqtt.stats.lastError ?? mqtt.state,
  }));

  // Technician console on the service port (issue 8).
  const liveConfig = new LiveConfigRegistry();
  let techConsole: ConsoleService | null = null;
  if (config.devices.console?.enabled) {
    techConsole = new ConsoleService({
      config, configFile: deps.configFile ?? null, binding: deps.binding, logger: log, now, startedAt, softwareVersion: softwareVersion(),
      db, kv, topics, health, commands, mqtt, outbox, reporter, notices, page: () => screen.page, logRing: deps.logRing ?? null,
      led: led ? ledConsolePort(led.serial, led.link, led.presenter) : null,
      touch: null, // the touch-panel service (issue 4) provides a TouchConsolePort
      restart: deps.restart ?? null, liveConfig,
    });
  }

  led?.serial.start();
  field.start();
  screen.start();
  mqtt.start();
  techConsole?.start();
  log.info({ poleId: config.pole.id, version: softwareVersion() }, 'pole started');

  let stopped = false;
  const pole = Object.assign(emitter, {
    config, topics, db, health,
    services: { mqtt, outbox, reporter, notices, intake, screen, datasets, feedback, commands, led, console: techConsole, liveConfig, field },
    page: () => screen.page,
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      await techConsole?.stop();
      screen.stop();
      await mqtt.stop();
      led?.link.close();
      await led?.serial.stop();
      await field.stop();
      closeDatabase(db);
      log.info('pole stopped');
    },
  });
  return pole;
}
