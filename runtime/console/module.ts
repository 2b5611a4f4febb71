/**
 * The technician console area (docs/console.md): when `devices.console` is enabled, the console
 * service on the service serial port — it opens the port, registers `console.unlock` and its
 * live-config keys, and owns the `console` health entry. The console sees the pole through the
 * narrow views of runtime/console/env.ts, never the pole itself.
 */
import type { Config } from '../config/schema.js';
import type { KvStore } from '../storage/kv.js';
import { softwareVersion } from '../version.js';
import { ConsoleService, type ConsoleDeps } from './console-service.js';
import type { StorageView } from './env.js';
import { LiveConfigRegistry } from './live-config.js';

export interface TechConsoleModule {
  /** The console service; null when no console is configured. */
  readonly service: ConsoleService | null;
  /** Config keys services apply without a restart (console `config set`). */
  readonly liveConfig: LiveConfigRegistry;
  start(): void;
  stop(): Promise<void>;
}

/** What the console service needs, less what this module supplies itself (config, version, live config). */
export interface TechConsoleDeps extends Omit<ConsoleDeps, 'config' | 'softwareVersion' | 'kv' | 'liveConfig' | 'storage'> {
  storage: StorageView & { kv: KvStore };
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
