/**
 * The 5G modem area (docs/modem.md): the AT port, registration, the data context and the recovery
 * ladder, when `devices.modem` is enabled. Owns the `modem` health entry and the `modem.*` commands.
 * Its `online` / `offline` events carry the uplink's data path (runtime/pole.ts wires them).
 */
import type { Config } from '../config/schema.js';
import type { Health } from '../health.js';
import type { ModuleBase } from '../module.js';
import type { KvStore } from '../storage/kv.js';
import { primaryUrl } from '../uplink/broker-list.js';
import type { Reporter } from '../uplink/reporter.js';
import { registerModemCommands } from './commands.js';
import { ModemService } from './modem-service.js';

export interface ModemModule {
  /** Emits `online` and `offline(reason)`; null when no modem is fitted. */
  readonly service: ModemService | null;
  start(): void;
  stop(): Promise<void>;
}

export interface ModemDeps extends Omit<ModuleBase, 'monotonic'> {
  kv: KvStore;
  reporter: Reporter;
  /** Whether MQTT is connected: the modem's data check leans on it. */
  uplinkConnected: () => boolean;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname || '127.0.0.1';
  } catch {
    return '127.0.0.1';
  }
}

export function createModem(config: Readonly<Config>, d: ModemDeps): ModemModule {
  const cfg = config.devices.modem;
  if (!cfg?.enabled) {
    d.health.register('modem', (): Health => ({
      status: 'absent',
      detail: cfg ? 'not fitted: the 5G modem is disabled (devices.modem.enabled: false)' : 'not fitted: no 5G modem on this pole (no devices.modem section in the config)',
    }));
    return { service: null, start: () => {}, stop: async () => {} };
  }
  const modem = new ModemService({
    config: cfg, logger: d.logger, reporter: d.reporter, kv: d.kv, poleId: config.pole.id, binding: d.binding, now: d.now,
    uplinkConnected: d.uplinkConnected, probeHost: cfg.probeHost ?? hostOf(primaryUrl(config.mqtt, config.pole.id)),
  });
  d.health.register('modem', () => modem.health());
  registerModemCommands(d.commands, modem);
  return {
    service: modem,
    start: () => modem.start(),
    stop: () => modem.stop(),
  };
}
