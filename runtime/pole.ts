/**
 * The composition root (docs/architecture.md §Modules): builds one pole from its config as a set
 * of area modules, each of which builds itself — opens its ports, adds its health entry and its
 * commands — and wires their events to each other's handlers in one table. Nothing else creates
 * long-lived objects; there are no module-level singletons.
 */
import { EventEmitter } from 'node:events';
import type { BindingInterface } from '@serialport/bindings-interface';
import type { Logger } from 'pino';
import { poleTopics, type PoleTopics } from '../protocols/topics.js';
import type { PageModel } from '../display/page-model.js';
import type { PresentedInfo } from '../device/led/led-presenter.js';
import type { NoticeRef } from './notices/notice-ref.js';
import type { Config } from './config/schema.js';
import { HealthRegistry } from './health.js';
import { monotonicClock } from './clock-watch.js';
import { CommandRegistry } from './commands/registry.js';
import { softwareVersion } from './version.js';
import type { LogRing } from './logger.js';
import type { ModuleBase } from './module.js';
import { createStorage, type StorageModule } from './storage/module.js';
import { createUplink, type UplinkModule } from './uplink/module.js';
import { createTrust, type TrustModule } from './trust/module.js';
import { createNotices, type NoticesModule } from './notices/module.js';
import { createCommandChannel, type CommandChannelModule } from './commands/module.js';
import { createCityData, type CityDataModule } from './data/module.js';
import { createField, type FieldServices } from './field/module.js';
import { createModem, type ModemModule } from './modem/module.js';
import { createLed, type LedModule } from './led/module.js';
import { createScreen, type ScreenModule } from './screen/module.js';
import { createSignDisplays, type SignDisplays } from './display-adapter.js';
import { createConsole, type TechConsoleModule } from './console/module.js';
import { createUpdates, type Updates } from './update/updates.js';
import { updateBusy } from './update/busy.js';

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

export type PoleEvents = { page: [PageModel]; presented: [PresentedInfo<NoticeRef>] };

export interface Pole extends EventEmitter<PoleEvents> {
  readonly config: Readonly<Config>;
  readonly topics: PoleTopics;
  readonly health: HealthRegistry;
  readonly services: PoleServices;
  page(): PageModel | null;
  stop(): Promise<void>;
}

/** The pole's area modules (simulator, tests and benches reach into them; the runtime does not). */
export interface PoleServices {
  storage: StorageModule;
  uplink: UplinkModule;
  trust: TrustModule;
  notices: NoticesModule;
  commandChannel: CommandChannelModule;
  data: CityDataModule;
  /** Every command of every area (MQTT `cmd` and the console run them). */
  commands: CommandRegistry;
  /** RS-485 field bus and what runs on it: charging, pads, lamp. */
  field: FieldServices;
  modem: ModemModule;
  led: LedModule;
  screen: ScreenModule;
  /** Screens on Onbon cards (devices.led with protocol onbon, devices.sign); docs/protocols/onbon.md. */
  signs: SignDisplays;
  console: TechConsoleModule;
  /** Signed software updates, health gate, rollback (docs/updates.md). */
  updates: Updates;
}

/** The pole as an event source: the page shown and frames the LED board presented. */
class PoleEmitter extends EventEmitter<PoleEvents> {
  readonly onPage = (m: PageModel): void => void this.emit('page', m);
  readonly onPresented = (info: PresentedInfo<NoticeRef>): void => void this.emit('presented', info);
}

export async function startPole(deps: PoleDeps): Promise<Pole> {
  const { config, logger } = deps;
  const now = deps.now ?? Date.now;
  const startedAt = now();
  const topics = poleTopics(config.mqtt.topicPrefix, config.pole.id, config.pole.groups);
  const base: ModuleBase = { logger, now, monotonic: monotonicClock(deps.now), binding: deps.binding, health: new HealthRegistry(), commands: new CommandRegistry() };

  // Build: each module takes what the ones above it expose.
  const storage = createStorage(config, base);
  const uplink = createUplink(config, { ...base, storage, topics, startedAt });
  const { reporter } = uplink;
  const trust = createTrust(config, { ...base, storage, reporter, birth: uplink.birth });
  const notices = createNotices(config, { ...base, storage, gate: trust.gate, reporter });
  const data = createCityData(config, { ...base, storage, gate: trust.gate, reporter });
  const commandChannel = createCommandChannel(config, { ...base, storage, trust, uplink });
  const field = createField(config, { ...base, db: storage.db, kv: storage.kv, outbox: uplink.outbox, reporter });
  const modem = createModem(config, { ...base, kv: storage.kv, reporter, uplinkConnected: uplink.connected });
  const led = createLed(config, { ...base, reporter });
  const screen = createScreen(config, { ...base, notices: notices.store, data, sink: led.sink, reporter, fieldStatus: field.screenStatus });
  const signs = createSignDisplays(config, { ...base, notices: notices.store, reporter, lux: led.lux });
  const techConsole = createConsole(config, {
    ...base, configFile: deps.configFile ?? null, startedAt, topics, storage, mqtt: uplink.mqtt, outbox: uplink.outbox, reporter, notices: notices.store,
    page: screen.page, logRing: deps.logRing ?? null, led: led.consolePort, touch: screen.touchPort, restart: deps.restart ?? null,
  });
  const updates = createUpdates(config, { ...base, gate: trust.gate, mqtt: uplink.mqtt, reporter, db: storage.db, sink: led.sink, birth: uplink.birth, busy: updateBusy(screen.page, field.charging) });
  const pole = new PoleEmitter();

  // Wire: event → handler.
  uplink.mqtt.on('message', trust.dispatch);
  trust.inbound.on('notice', notices.onNotice);
  trust.inbound.on('cmd', commandChannel.onCommand);
  trust.inbound.on('data', data.onDataSet);
  trust.inbound.on('reply', data.onReply);
  trust.inbound.on('trust', trust.onTrustList);
  trust.inbound.on('update', updates.onManifest);
  trust.inbound.on('update-chunk', updates.onChunk);
  trust.trustList.on('applied', uplink.rebirth);
  modem.service?.on('online', uplink.modemOnline);
  modem.service?.on('offline', uplink.modemOffline);
  notices.on('changed', screen.refresh);
  notices.on('changed', signs.refresh);
  data.datasets.on('changed', screen.refresh);
  led.sink.on('presented', notices.onPresented);
  led.board?.presenter.on('presented', pole.onPresented);
  screen.service.on('page', notices.onPage);
  screen.service.on('page', pole.onPage);

  // Start: devices first, then the services that use them, the uplink last.
  const order = [led, field, screen, signs, modem, notices, commandChannel, trust, updates, uplink, techConsole];
  for (const m of order) m.start();
  logger.info({ poleId: config.pole.id, version: softwareVersion() }, 'pole started');

  let stopped = false;
  return Object.assign(pole, {
    config, topics, health: base.health,
    services: { storage, uplink, trust, notices, commandChannel, data, commands: base.commands, field, modem, led, screen, signs, console: techConsole, updates },
    page: screen.page,
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      // The technician first (a goodbye), then the timers, then the uplink; what it delivered is
      // handled before the verifier threads end; devices after; the database last.
      await techConsole.stop();
      await screen.stop();
      await updates.stop();
      for (const m of [uplink, notices, commandChannel, trust]) m.stop();
      await uplink.close();
      await trust.close();
      for (const m of [led, signs, modem, field]) await m.stop();
      storage.close();
      logger.info('pole stopped');
    },
  });
}
