/**
 * The technician console area (docs/console.md): when `devices.console` is enabled, the console
 * service on the service serial port — it opens the port, registers `console.unlock` and its
 * live-config keys, and owns the `console` health entry. The console sees the pole through the
 * narrow views of runtime/console/env.ts, never the pole itself.
 */
import type { PageModel } from '../../display/page-model.js';
import type { PoleTopics } from '../../protocols/topics.js';
import type { Config } from '../config/schema.js';
import type { LogRing } from '../logger.js';
import type { ModuleBase } from '../module.js';
import type { KvStore } from '../storage/kv.js';
import type { Outbox } from '../uplink/outbox.js';
import type { Reporter } from '../uplink/reporter.js';
import { softwareVersion } from '../version.js';
import { ConsoleService } from './console-service.js';
import type { LedConsolePort, TouchConsolePort } from './device-ports.js';
import type { MqttView, NoticesView, StorageView } from './env.js';
import { LiveConfigRegistry } from './live-config.js';

export interface TechConsoleModule {
  /** The console service; null when no console is configured. */
  readonly service: ConsoleService | null;
  /** Config keys services apply without a restart (console `config set`). */
  readonly liveConfig: LiveConfigRegistry;
  start(): void;
  stop(): Promise<void>;
}

export interface TechConsoleDeps extends Omit<ModuleBase, 'monotonic'> {
  configFile: string | null;
  startedAt: number;
  topics: PoleTopics;
  storage: StorageView & { kv: KvStore };
  mqtt: MqttView;
  outbox: Outbox;
  reporter: Reporter;
  notices: NoticesView;
  page: () => PageModel | null;
  logRing: LogRing | null;
  led: LedConsolePort | null;
  touch: TouchConsolePort | null;
  restart: ((reason: string) => void) | null;
}

export function createConsole(config: Readonly<Config>, d: TechConsoleDeps): TechConsoleModule {
  const liveConfig = new LiveConfigRegistry();
  const service = config.devices.console?.enabled
    ? new ConsoleService({
      config, configFile: d.configFile, binding: d.binding, logger: d.logger, now: d.now, startedAt: d.startedAt, softwareVersion: softwareVersion(),
      storage: d.storage, kv: d.storage.kv, topics: d.topics, health: d.health, commands: d.commands, mqtt: d.mqtt, outbox: d.outbox, reporter: d.reporter,
      notices: d.notices, page: d.page, logRing: d.logRing, led: d.led, touch: d.touch, restart: d.restart, liveConfig,
    })
    : null;
  return {
    service, liveConfig,
    start: () => service?.start(),
    stop: async () => { await service?.stop(); },
  };
}
