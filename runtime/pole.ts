/**
 * The composition root: builds every service of one pole from its config and wires them
 * (docs/architecture.md §Layers: runtime/ composes device/, display/ and protocols/). Nothing else creates
 * long-lived objects; there are no module-level singletons.
 */
import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { BindingInterface } from '@serialport/bindings-interface';
import type { Logger } from 'pino';
import { poleTopics, type PoleTopics } from '../protocols/topics.js';
import { Renderer } from '../display/renderer.js';
import type { PageModel } from '../display/page-model.js';
import type { Frame } from '../lib/frame.js';
import { SerialLink } from '../device/serial/serial-link.js';
import { LedLink } from '../device/led/led-link.js';
import { LedPresenter, type PresentedInfo } from '../device/led/led-presenter.js';
import type { Config } from './config/schema.js';
import { closeDatabase, type Db } from './storage/database.js';
import { KvStore } from './storage/kv.js';
import { HealthRegistry, type Health } from './health.js';
import { InboundRouter } from './inbound-router.js';
import { VersionRegistry } from './trust/version-registry.js';
import { MessageGate } from './trust/message-gate.js';
import { KeyRing } from './trust/key-ring.js';
import { ClockWatch, monotonicClock } from './clock-watch.js';
import { openOrRecover, reportRecovery } from './storage/recover.js';
import { createStorageHealth } from './storage/storage-health.js';
import { TrustListIntake } from './trust/trust-list-intake.js';
import { SignatureVerifier } from './trust/signature-verifier.js';
import { NoticeStore } from './notices/notice-store.js';
import { NoticeIntake } from './notices/notice-intake.js';
import { CapIntake } from './notices/cap-intake.js';
import { CapRegistry } from './notices/cap-registry.js';
import { NoticeLifecycle } from './notices/notice-lifecycle.js';
import { ProofOfPlay } from './notices/proof-of-play.js';
import { registerNoticeCommands } from './notices/commands.js';
import { Outbox } from './uplink/outbox.js';
import { primaryUrl } from './uplink/broker-list.js';
import { Heartbeat } from './uplink/heartbeat.js';
import { MqttSession, MqttState } from './uplink/mqtt-session.js';
import { OutboxPublisher } from './uplink/outbox-publisher.js';
import { Reporter } from './uplink/reporter.js';
import { StatePublisher } from './uplink/state-publisher.js';
import { UplinkMonitor } from './uplink/uplink-monitor.js';
import { CommandJournal } from './commands/command-journal.js';
import { CommandChannel } from './commands/command-channel.js';
import { registerBuiltinCommands } from './commands/builtin.js';
import { registerSnapshotCommand } from './commands/screen-snapshot.js';
import { DataSetIntake } from './data/dataset-intake.js';
import { noticeOnScreen } from '../display/page-model.js';
import { DATASET_NAMES, DATASET_SCHEMAS } from '../protocols/datasets.js';
import { ReplyIntake } from './feedback/reply-intake.js';
import { ScreenService, type FrameSink } from './screen/screen-service.js';
import { DataSetStore } from './data/dataset-store.js';
import { FeedbackStore } from './feedback/feedback-store.js';
import { CommandRegistry } from './commands/registry.js';
import { softwareVersion } from './version.js';
import { ledHealth } from './led-health.js';
import { TouchPanel } from '../device/touch/touch-panel.js';
import { defaultCalibration, type Calibration } from '../protocols/touch/calibration.js';
import { touchHealth } from './touch-health.js';
import { touchConsolePort } from './touch-console-port.js';
import { TypedDataSets } from './data/typed-datasets.js';
import { seedDataSets } from './data/seed.js';
import { FeedbackService } from './feedback/feedback-service.js';
import { DEFAULT_FEEDBACK_CATEGORIES } from './feedback/categories.js';
import { registerScreenCommands } from './screen/commands.js';
import { buildFieldServices, type FieldServices } from './field-services.js';
import { fieldScreenStatus } from './field-screen-status.js';
import { BrightnessService } from './screen/brightness.js';
import { registerBrightnessCommands } from './screen/brightness-commands.js';
import { reportLedFaults } from './led-faults.js';
import type { LogRing } from './logger.js';
import { ConsoleService } from './console/console-service.js';
import { LiveConfigRegistry } from './console/live-config.js';
import { ledConsolePort } from './console/led-port.js';
import { ModemService } from './modem/modem-service.js';
import { createSignDisplays, type SignDisplays } from './display-adapter.js';
import { ModemState } from '../device/modem/modem-state.js';
import { registerModemCommands } from './modem/commands.js';

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
  cap: CapIntake;
  lifecycle: NoticeLifecycle;
  proofOfPlay: ProofOfPlay;
  publisher: OutboxPublisher;
  uplink: UplinkMonitor;
  commandChannel: CommandChannel;
  datasetIntake: DataSetIntake;
  replyIntake: ReplyIntake;
  router: InboundRouter;
  /** The fleet trust list and the keys in force (docs/security.md §Trust list). */
  trustList: TrustListIntake;
  keyRing: KeyRing;
  screen: ScreenService;
  datasets: DataSetStore;
  feedback: FeedbackStore;
  commands: CommandRegistry;
  led: { serial: SerialLink; link: LedLink; presenter: LedPresenter; brightness: BrightnessService } | null;
  touch: TouchPanel | null;
  feedbackService: FeedbackService;
  renderer: Renderer;
  modem: ModemService | null;
  /** RS-485 field bus and what runs on it: charging, pads, lamp. status() of each feeds the screen. */
  field: FieldServices;
  console: ConsoleService | null;
  /** Config keys services apply without a restart (console `config set`). */
  liveConfig: LiveConfigRegistry;
  /** Screens on Onbon cards (devices.led with protocol onbon, devices.sign); docs/protocols/onbon.md. */
  signs: SignDisplays;
}

/** Discards frames when no LED board is fitted, so the rest of the pole still runs. */
class NullSink extends EventEmitter<{ presented: [{ tag?: string | undefined }] }> implements FrameSink {
  show(_frame: Frame, tag?: string): void {
    this.emit('presented', { tag });
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname || '127.0.0.1';
  } catch {
    return '127.0.0.1';
  }
}

export async function startPole(deps: PoleDeps): Promise<Pole> {
  const { config } = deps;
  const now = deps.now ?? Date.now;
  const log = deps.logger;
  const startedAt = now();
  const emitter = new EventEmitter<{ page: [PageModel]; presented: [PresentedInfo] }>();

  const { db, recovered: dbRecovered } = openOrRecover(join(config.storage.dataDir, 'pole.db'), log, now);
  const kv = new KvStore(db);
  const topics = poleTopics(config.mqtt.topicPrefix, config.pole.id, config.pole.groups);
  const health = new HealthRegistry();
  const storage = createStorageHealth(config.storage, { logger: log, now });
  health.register('storage', () => storage.health());

  // Uplink: outbox → MQTT (docs/mqtt-api.md §State: birth and will, §Uplink).
  const outbox = new Outbox(db, { now, maxRows: config.uplink.outboxMaxRows, maxBytes: config.uplink.outboxMaxBytes, storage });
  const reporter = new Reporter({ outbox, topics, poleId: config.pole.id, timeZone: config.pole.timezone, logger: log, now, monotonic: monotonicClock(deps.now), eventsPerMinute: config.uplink.eventsPerMinute });
  const clockWatch = new ClockWatch({ logger: log, report: (e) => reporter.event(e), wall: now, mono: monotonicClock(deps.now) });
  const mqtt = new MqttSession({
    mqtt: config.mqtt, poleId: config.pole.id, stateTopic: topics.state, subscriptions: topics.subscriptions, kv, logger: log, now,
    dataPathUp: () => modem === null || modem.state === ModemState.Online,
    birth: () => ({
      software: softwareVersion(), startedAt: new Date(startedAt).toISOString(), uptimeSec: Math.round((now() - startedAt) / 1000),
      groups: config.pole.groups, devices: health.snapshot(),
      outbox: { depth: outbox.depth(), bytes: outbox.bytes(), dropped: outbox.stats.dropped, stream: outbox.stream },
      trust: trustList.status(),
    }),
  });
  let uplink: UplinkMonitor | null = null;
  const publisher = new OutboxPublisher(outbox, mqtt, log, { onRefused: (seq, topic, reason) => uplink?.refused(seq, topic, reason) });
  uplink = new UplinkMonitor({ outbox, mqtt, publisher, reporter, logger: log, now, telemetryIntervalSec: config.uplink.telemetryIntervalSec });
  const statePublisher = new StatePublisher({ mqtt, health, logger: log });
  const heartbeat = new Heartbeat({ session: mqtt, topic: topics.heartbeat, poleId: config.pole.id, intervalSec: config.mqtt.heartbeatSec, logger: log, now });

  // Trust, notices, CAP alerts, commands, data sets, replies (docs/mqtt-api.md §What a bad message
  // gets, §Notices, §CAP alerts, §Commands, §Data sets and replies).
  const versions = new VersionRegistry(db);
  // Signatures of bursts are checked in worker threads, keeping the main thread for screen and devices.
  const verifier = new SignatureVerifier({ threads: Math.min(2, availableParallelism() - 1), logger: log });
  reportRecovery((e) => reporter.event(e), dbRecovered);
  const keyRing = new KeyRing(config.trust);
  const trustList = new TrustListIntake({ db, ring: keyRing, root: config.trust.root, reporter, logger: log, clockSkewSec: config.trust.clockSkewSec, now });
  const gate = new MessageGate({ keys: keyRing, prefix: config.mqtt.topicPrefix, poleId: config.pole.id, groups: config.pole.groups, versions, clockSkewSec: config.trust.clockSkewSec, now, verifier });
  const notices = new NoticeStore(db);
  const capRegistry = new CapRegistry(db);
  const datasets = new DataSetStore(db);
  const feedback = new FeedbackStore(db);
  const commands = new CommandRegistry();
  const cap = new CapIntake({
    store: notices, registry: capRegistry, reporter, logger: log.child({ service: 'cap' }), clockSkewSec: config.trust.clockSkewSec,
    profile: { language: config.pole.language, testMode: config.pole.testMode, place: config.pole.location },
  });
  const intake = new NoticeIntake({ db, gate, store: notices, cap, reporter, logger: log, now });
  const lifecycle = new NoticeLifecycle({ db, store: notices, registry: capRegistry, reporter, logger: log, now, onChange: () => intake.changed() });
  const proofOfPlay = new ProofOfPlay({ db, reporter, logger: log, timeZone: config.pole.timezone, now });
  const datasetIntake = new DataSetIntake({ db, gate, store: datasets, reporter, logger: log, now });
  // The screen's data sets are refused at the door when their content would not show (docs/datasets.md).
  for (const n of DATASET_NAMES) datasetIntake.setValidator(n, DATASET_SCHEMAS[n]);
  const replyIntake = new ReplyIntake({ db, gate, store: feedback, reporter, logger: log, now });
  const commandChannel = new CommandChannel({
    db, gate, versions, journal: new CommandJournal(db), registry: commands, reporter, logger: log, poleId: config.pole.id,
    timeZone: config.pole.timezone, clockSkewSec: config.trust.clockSkewSec, now, maxResponseBytes: config.uplink.maxResponseBytes,
    pruneSafe: () => clockWatch.pruneSafe(),
  });
  const field = buildFieldServices({ config, db, kv, outbox, reporter, commands, health, logger: log, binding: deps.binding, now });

  // 5G modem: its data link carries the uplink, so when it comes up MQTT reconnects at once.
  let modem: ModemService | null = null;
  const modemCfg = config.devices.modem;
  if (modemCfg?.enabled) {
    modem = new ModemService({
      config: modemCfg, logger: log, reporter, kv, poleId: config.pole.id, binding: deps.binding, now,
      uplinkConnected: () => mqtt.connected, probeHost: modemCfg.probeHost ?? hostOf(primaryUrl(config.mqtt, config.pole.id)),
    });
    modem.on('online', () => {
      // Connected already (the data path came up a moment before the modem said so): refresh the
      // retained birth so it shows the modem online; otherwise connect now, not after the backoff.
      if (mqtt.connected) mqtt.rebirth().catch((e: Error) => log.debug({ err: e.message }, 'rebirth failed'));
      else mqtt.reconnectNow('modem online');
    });
    modem.on('offline', (why) => mqtt.dropNow(`modem offline: ${why}`));
    health.register('modem', () => modem!.health());
    registerModemCommands(commands, modem);
  } else {
    health.register('modem', (): Health => ({
      status: 'absent',
      detail: modemCfg ? 'not fitted: the 5G modem is disabled (devices.modem.enabled: false)' : 'not fitted: no 5G modem on this pole (no devices.modem section in the config)',
    }));
  }

  // LED board.
  let led: PoleServices['led'] = null;
  let sink: FrameSink;
  const ledCfg = config.devices.led;
  if (ledCfg?.enabled && ledCfg.protocol === 'smartpole') {
    const serial = new SerialLink({ path: ledCfg.path, baudRate: ledCfg.baudRate, name: 'led', logger: log, binding: deps.binding });
    const link = new LedLink({ serial, logger: log, linkRate: ledCfg.linkRate, fec: ledCfg.fec, statusIntervalMs: ledCfg.statusIntervalMs, ackMarginMs: ledCfg.ackMarginMs, duplex: ledCfg.duplex, turnaroundMs: ledCfg.turnaroundMs });
    const presenter = new LedPresenter(link, log);
    presenter.on('presented', (info) => emitter.emit('presented', info));
    const brightness = new BrightnessService({ link, config: ledCfg.brightness, timeZone: config.pole.timezone, logger: log, now });
    reportLedFaults(link, reporter, log);
    led = { serial, link, presenter, brightness };
    sink = presenter;
    health.register('led', () => ledHealth(serial, link, presenter, brightness));
  } else {
    sink = new NullSink();
    health.register('led', (): Health => ({ status: 'absent', detail: 'no LED board configured' }));
  }

  // Data sets for the query UI; seed files only fill what the city has not sent.
  if (config.screen.seedDataDir) seedDataSets(datasets, config.screen.seedDataDir, 'seed', log, now());
  const data = new TypedDataSets(datasets, log, now);
  const feedbackCategories = () => data.get('feedback-categories')?.data ?? DEFAULT_FEEDBACK_CATEGORIES;
  const loc = config.pole.location;
  const feedbackService = new FeedbackService({
    store: feedback, reporter, logger: log, now, categories: feedbackCategories,
    pole: { id: config.pole.id, address: loc.address, lat: loc.lat, lon: loc.lon, areaCode: loc.areaCode },
  });

  const renderer = new Renderer(config.screen.width, config.screen.height, config.screen.pixelPitchMm);
  const screen = new ScreenService({
    store: notices, data, feedback: feedbackService, feedbackCategories, renderer, sink, reporter, logger: log,
    timeZone: config.pole.timezone, language: config.pole.language, now, monotonic: monotonicClock(deps.now),
    pole: { id: config.pole.id, address: loc.address, lat: loc.lat, lon: loc.lon },
    links: config.screen.links, elderServices: config.screen.elder.services, idleTimeoutSec: config.screen.idleTimeoutSec, idleWarningSec: config.screen.idleWarningSec,
  });
  screen.on('page', (m) => emitter.emit('page', m));
  intake.on('changed', () => screen.refresh());
  datasets.on('changed', () => screen.refresh());
  registerScreenCommands(commands, screen, renderer);
  screen.setFieldStatus(fieldScreenStatus(field, { poleId: config.pole.id, startUrl: config.charging.startUrl, maxCurrentA: config.charging.maxCurrentA }));

  // Touch panel (eGalax serial) → screen.
  let touch: TouchPanel | null = null;
  const touchCfg = config.devices.touch;
  if (touchCfg?.enabled) {
    const serial = new SerialLink({ path: touchCfg.path, baudRate: touchCfg.baudRate, name: 'touch', logger: log, binding: deps.binding });
    touch = new TouchPanel({
      serial, logger: log, width: config.screen.width, height: config.screen.height, debounceMs: touchCfg.debounceMs,
      calibration: (touchCfg.calibration as Calibration | undefined) ?? defaultCalibration(config.screen.width, config.screen.height),
      gestures: { pixelPitchMm: config.screen.pixelPitchMm },
    });
    touch.on('touch', (e) => screen.touch(e));
    health.register('touch', () => touchHealth(touch!));
  } else {
    health.register('touch', (): Health => ({ status: 'absent', detail: 'no touch panel configured' }));
  }

  sink.on('presented', (info) => proofOfPlay.onPresented(info.tag));

  registerBuiltinCommands(commands, { config, mqtt, logger: log, startedAt, now });
  registerNoticeCommands(commands, { store: notices, timeZone: config.pole.timezone, now, onScreen: () => noticeOnScreen(screen.page)?.id ?? null });
  // Base64 grows 4/3; leave room for the response's other fields.
  registerSnapshotCommand(commands, { shown: () => (led ? led.presenter.shown : undefined), maxPngBytes: Math.floor((config.uplink.maxResponseBytes - 2048) * 3 / 4) });

  const router = new InboundRouter({
    report: (e) => reporter.event(e),
    prefix: config.mqtt.topicPrefix, poleId: config.pole.id, logger: log, storage,
    prepare: (payloads) => gate.preverify(payloads), batch: (run) => db.transaction(run)(),
  })
    .on('notice', (t, payload, topic) => intake.handle(topic, t.target, t.id, payload))
    .on('cmd', (_t, payload, topic) => commandChannel.handle(topic, payload))
    .on('data', (t, payload, topic) => datasetIntake.handle(topic, t.dataset, t.poleId ? 'pole' : 'all', payload))
    .on('reply', (t, payload, topic) => replyIntake.handle(topic, t.ticket, payload))
    .on('trust', (_t, payload, topic) => trustList.handle(topic, payload));
  mqtt.on('message', (topic, payload, retain) => router.dispatch(topic, payload, retain));
  health.register('mqtt', (): Health => ({
    status: mqtt.state === MqttState.Connected ? 'ok' : 'down', state: mqtt.state, bdSeq: mqtt.bdSeq, outboxDepth: outbox.depth(), outboxBytes: outbox.bytes(),
    detail: mqtt.state === MqttState.Connected ? undefined : mqtt.stats.lastError ?? mqtt.state,
  }));

  registerBrightnessCommands(commands, led?.brightness ?? null);
  const signs = createSignDisplays({ config, logger: log, binding: deps.binding, notices, noticesChanged: intake, commands, health, reporter, lux: led?.link ?? null, now });
  // Technician console on the service port.
  const liveConfig = new LiveConfigRegistry();
  let techConsole: ConsoleService | null = null;
  if (config.devices.console?.enabled) {
    techConsole = new ConsoleService({
      config, configFile: deps.configFile ?? null, binding: deps.binding, logger: log, now, startedAt, softwareVersion: softwareVersion(),
      db, kv, topics, health, commands, mqtt, outbox, reporter, notices, page: () => screen.page, logRing: deps.logRing ?? null,
      led: led ? ledConsolePort(led.serial, led.link, led.presenter, led.brightness) : null,
      touch: touch ? touchConsolePort(touch, screen, { width: config.screen.width, height: config.screen.height }) : null,
      restart: deps.restart ?? null, liveConfig,
    });
  }

  led?.serial.start();
  field.start();
  led?.brightness.start();
  touch?.serial.start();
  signs.start();
  modem?.start();
  screen.start();
  lifecycle.start();
  proofOfPlay.start();
  commandChannel.start();
  trustList.start();
  clockWatch.start();
  trustList.on('applied', () => void mqtt.rebirth().catch(() => {}));
  uplink.start();
  statePublisher.start();
  mqtt.start();
  techConsole?.start();
  log.info({ poleId: config.pole.id, version: softwareVersion() }, 'pole started');

  let stopped = false;
  const pole = Object.assign(emitter, {
    config, topics, db, health,
    services: {
      mqtt, outbox, reporter, notices, intake, cap, lifecycle, proofOfPlay, publisher, uplink, commandChannel, datasetIntake, replyIntake, router, trustList, keyRing,
      screen, datasets, feedback, commands, led, modem, touch, feedbackService, renderer, console: techConsole, liveConfig, field, signs,
    },
    page: () => screen.page,
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      await techConsole?.stop();
      screen.stop();
      led?.brightness.stop();
      statePublisher.stop();
      uplink.stop();
      lifecycle.stop();
      proofOfPlay.stop();
      commandChannel.stop();
      trustList.stop();
      clockWatch.stop();
      heartbeat.stop();
      await mqtt.stop();
      await router.flush();
      await verifier.close();
      led?.link.close();
      await led?.serial.stop();
      await signs.stop();
      await modem?.stop();
      touch?.close();
      await touch?.serial.stop();
      await field.stop();
      closeDatabase(db);
      log.info('pole stopped');
    },
  });
  return pole;
}
