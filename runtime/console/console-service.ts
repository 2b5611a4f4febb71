/**
 * ConsoleService: the technician console on the service serial port, built by
 * runtime/console/module.ts when `devices.console` is configured. Owns the port (SerialLink →
 * ConsoleTerminal), the session state machine, the command tree and executor, the PIN lockout,
 * the audit trail, and registers the console's live-config keys and its health.
 */
import { primaryUrl } from '../uplink/broker-list.js';
import type { BindingInterface } from '@serialport/bindings-interface';
import type { Logger } from 'pino';
import { SerialLink } from '../../device/serial/serial-link.js';
import { ConsoleTerminal } from '../../device/console/console-terminal.js';
import type { PageModel } from '../../display/page-model.js';
import type { PoleTopics } from '../../protocols/topics.js';
import { formatDuration } from '../../protocols/console/units.js';
import type { Config } from '../config/schema.js';
import type { HealthRegistry, Health } from '../health.js';
import type { CommandRegistry } from '../commands/registry.js';
import type { Outbox } from '../uplink/outbox.js';
import type { Reporter } from '../uplink/reporter.js';
import type { LogRing } from '../logger.js';
import type { KvStore } from '../storage/kv.js';
import { ConsoleAudit } from './audit.js';
import { buildConsoleTree, type ConsoleTree } from './commands/index.js';
import type { LedConsolePort, TouchConsolePort } from './device-ports.js';
import type { ConsoleEnv, ConsoleSection, MqttView, NoticesView, RunningConfig, StorageView } from './env.js';
import { CommandExecutor } from './executor.js';
import type { LiveConfigRegistry } from './live-config.js';
import { PinLockout } from './lockout.js';
import { registerConsoleUnlock } from './unlock-command.js';
import { ConsoleSession, SessionState } from './session.js';

export interface ConsoleDeps {
  config: Readonly<Config>;
  configFile: string | null;
  binding?: BindingInterface | undefined;
  logger: Logger;
  now: () => number;
  startedAt: number;
  softwareVersion: string;
  storage: StorageView;
  kv: KvStore;
  topics: PoleTopics;
  health: HealthRegistry;
  commands: CommandRegistry;
  mqtt: MqttView;
  outbox: Outbox;
  reporter: Reporter;
  notices: NoticesView;
  page: () => PageModel | null;
  logRing: LogRing | null;
  led: LedConsolePort | null;
  touch: TouchConsolePort | null;
  restart: ((reason: string) => void) | null;
  liveConfig: LiveConfigRegistry;
}

export class ConsoleService {
  readonly env: ConsoleEnv;
  readonly serial: SerialLink;
  readonly terminal: ConsoleTerminal;
  readonly session: ConsoleSession;
  readonly tree: ConsoleTree;
  readonly audit: ConsoleAudit;

  constructor(d: ConsoleDeps) {
    const cfg = d.config.devices.console as ConsoleSection;
    let current = d.config;
    const running: RunningConfig = { get: () => current, set: (next) => { current = next; } };
    const lockout = new PinLockout(d.kv, { maxAttempts: cfg.maxPinAttempts, baseMs: cfg.lockoutBaseSec * 1000, maxMs: cfg.lockoutMaxSec * 1000, now: d.now });
    this.env = {
      poleId: d.config.pole.id, timeZone: d.config.pole.timezone, address: d.config.pole.location.address, softwareVersion: d.softwareVersion,
      startedAt: d.startedAt, now: d.now, running, configFile: d.configFile,
      mqttSettings: () => current.mqtt, trustSettings: () => current.trust, consoleSettings: () => current.devices.console,
      deviceSection: (key) => current.devices[key] as { enabled?: boolean } | undefined, dataDir: d.config.storage.dataDir, storage: d.storage,
      health: d.health, commands: d.commands, mqtt: d.mqtt, get mqttUrl() { return d.mqtt.brokerUrl ?? primaryUrl(d.config.mqtt, d.config.pole.id); }, outbox: d.outbox, notices: d.notices, page: d.page,
      logRing: d.logRing, led: d.led, touch: d.touch, restart: d.restart,
      settings: { idleLogoutMs: cfg.idleLogoutSec * 1000, color: cfg.color }, liveConfig: d.liveConfig, lockout, logger: d.logger,
    };
    // Session settings the console re-reads at once (config set … applies live).
    const c = (n: Readonly<Config>) => n.devices.console as ConsoleSection;
    d.liveConfig.register('devices.console.idleLogoutSec', (n) => { this.env.settings.idleLogoutMs = c(n).idleLogoutSec * 1000; });
    d.liveConfig.register('devices.console.color', (n) => { this.env.settings.color = c(n).color; });
    d.liveConfig.register('devices.console.pinHash', () => { /* read from env.consoleSettings() at each attempt */ });
    for (const k of ['maxPinAttempts', 'lockoutBaseSec', 'lockoutMaxSec']) {
      d.liveConfig.register(`devices.console.${k}`, (n) => lockout.configure({ maxAttempts: c(n).maxPinAttempts, baseMs: c(n).lockoutBaseSec * 1000, maxMs: c(n).lockoutMaxSec * 1000 }));
    }

    this.serial = new SerialLink({ path: cfg.path, baudRate: cfg.baudRate, name: 'console', logger: d.logger, binding: d.binding, maxQueuedBytes: 256 * 1024 });
    this.terminal = new ConsoleTerminal({ serial: this.serial, logger: d.logger });
    this.audit = new ConsoleAudit({ outbox: d.outbox, topic: d.topics.audit, poleId: this.env.poleId, timeZone: this.env.timeZone, port: cfg.path, logger: d.logger, now: d.now });
    this.tree = buildConsoleTree(() => this.env);
    const executor = new CommandExecutor({ roots: () => this.tree.roots, env: this.env, audit: this.audit, logger: d.logger });
    this.session = new ConsoleSession({
      terminal: this.terminal, env: this.env, executor, audit: this.audit, reporter: d.reporter, roots: () => this.tree.roots, logger: d.logger,
      pinHash: () => this.env.consoleSettings()?.pinHash,
    });
    d.health.register('console', () => this.health());
    registerConsoleUnlock(d.commands, lockout, d.reporter);
  }

  start(): void {
    this.session.start();
    this.serial.start();
  }

  async stop(reason?: string): Promise<void> {
    await this.session.stop(reason);
    this.audit.flushGuests();
    this.env.lockout.close();
    // Let the goodbye reach the technician: written to the OS, then read by the other side (a PTY
    // loses what its master has not read when the last slave fd closes).
    await this.terminal.flush();
    await new Promise((r) => setTimeout(r, 100));
    await this.serial.stop();
  }

  health(): Health {
    const s = this.session;
    const info = s.session;
    const lock = this.env.lockout.snapshot;
    const who = info ? `${info.level} logged in for ${formatDuration(this.env.now() - info.since)}` : s.state === SessionState.Pin || s.state === SessionState.Verifying ? 'PIN prompt shown' : 'nobody logged in';
    return {
      status: this.serial.isOpen ? 'ok' : 'down',
      detail: this.serial.isOpen ? undefined : `serial device ${this.serial.path} unavailable: ${this.serial.stats.lastError ?? this.serial.state}`,
      path: this.serial.path, state: s.state, session: who + (lock.remainingMs > 0 ? `; PIN entry locked for ${formatDuration(lock.remainingMs)}` : ''),
      level: info?.level ?? null, lockedForSec: Math.ceil(lock.remainingMs / 1000), stats: { ...s.stats }, terminal: { ...this.terminal.stats },
    };
  }
}
