/**
 * Everything console commands may use, in one object built by the console service from the
 * pole's modules (runtime/console/module.ts). Commands see these narrow views, not the pole itself.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { HealthRegistry } from '../health.js';
import type { CommandRegistry } from '../commands/registry.js';
import type { Outbox } from '../uplink/outbox.js';
import type { NoticeStore } from '../notices/notice-store.js';
import type { LogRing } from '../logger.js';
import type { StorageModule } from '../storage/module.js';
import type { PageModel } from '../../display/page-model.js';
import type { LedConsolePort, TouchConsolePort } from './device-ports.js';
import type { LiveConfigRegistry } from './live-config.js';
import type { PinLockout } from './lockout.js';

/** What `mqtt status` and `status` read from the MQTT session. */
export interface MqttView {
  readonly state: string;
  readonly bdSeq: number;
  /** The broker in use or being tried (password removed); several with `mqtt.urls`. */
  readonly brokerUrl?: string;
  readonly stats: { connects: number; disconnects: number; received: number; published: number; lastError: string | null; connectedSince: number };
}

/** What `outbox status`, `mqtt status`, `status` and the selftest read from the outbox. */
export type OutboxView = Pick<Outbox, 'depth' | 'depthByClass' | 'summary' | 'stats'>;

/** What `notices` and `status` read from the notice store. */
export type NoticesView = Pick<NoticeStore, 'all' | 'active'>;

/** What the selftest asks of the database. */
export type StorageView = Pick<StorageModule, 'quickCheck'>;

/**
 * The running config as a whole: only `config show | diff | set` and the selftest's config check
 * read it; every other command reads the narrow section getters of ConsoleEnv.
 */
export interface RunningConfig {
  /** The frozen config in force (secrets included: redact before showing). */
  get(): Readonly<Config>;
  /** Swaps in a new frozen copy (`config set`, when every changed key applied live). */
  set(next: Readonly<Config>): void;
}

export type ConsoleSection = NonNullable<Config['devices']['console']>;

/** Console settings that `config set` may change while running. */
export interface ConsoleSettings {
  idleLogoutMs: number;
  /** Colour for new sessions (each session can change its own with `color on|off`). */
  color: boolean;
}

export interface ConsoleEnv {
  poleId: string;
  timeZone: string;
  address: string;
  softwareVersion: string;
  /** Epoch ms the runtime started. */
  startedAt: number;
  now(): number;
  /** The config the runtime runs with, for the config commands. */
  running: RunningConfig;
  /** The sections other commands read, as in force now (they follow `config set`). */
  mqttSettings(): Readonly<Config['mqtt']>;
  trustSettings(): Readonly<Pick<Config['trust'], 'keys' | 'revokedKids'>>;
  consoleSettings(): Readonly<ConsoleSection> | undefined;
  /** A device's config section (`enabled` tells whether it is switched on); undefined when absent. */
  deviceSection(key: keyof Config['devices']): { readonly enabled?: boolean } | undefined;
  /** The file `config set` edits; null when the pole was started from an in-memory config. */
  configFile: string | null;
  dataDir: string;
  storage: StorageView;
  health: HealthRegistry;
  commands: CommandRegistry;
  mqtt: MqttView;
  /** The broker in use or being tried (docs/fleet.md §Several brokers). */
  readonly mqttUrl: string;
  outbox: OutboxView;
  notices: NoticesView;
  page(): PageModel | null;
  logRing: LogRing | null;
  led: LedConsolePort | null;
  touch: TouchConsolePort | null;
  /** Restarts the runtime (re-reading the config file); null when this runtime cannot. */
  restart: ((reason: string) => void) | null;
  settings: ConsoleSettings;
  liveConfig: LiveConfigRegistry;
  lockout: PinLockout;
  logger: Logger;
}
