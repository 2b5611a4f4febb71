/**
 * The pole's own commands (docs/mqtt-api.md §Commands): ping, state.rebirth, config.get, log.level.
 * Other areas register theirs from a commands.ts beside their service (screen.brightness: the LED link;
 * notice.list: runtime/notices/commands.ts; screen.snapshot: ./screen-snapshot.ts).
 */
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { redactConfig } from '../config/secrets.js';
import type { MqttSession } from '../uplink/mqtt-session.js';
import type { CommandRegistry } from './registry.js';
import { commandError } from './errors.js';


export interface BuiltinCommandDeps {
  config: Readonly<Config>;
  mqtt: MqttSession;
  /** The root logger: its level is every service's level (pino children follow it). */
  logger: Logger;
  startedAt: number;
  now: () => number;
}

const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']);

export function registerBuiltinCommands(reg: CommandRegistry, d: BuiltinCommandDeps): void {
  let revertTimer: NodeJS.Timeout | null = null;

  reg.register({
    name: 'ping',
    description: 'answers pong with the pole id, uptime and MQTT bdSeq',
    args: z.strictObject({ echo: z.string().max(200).optional() }),
    run: (a) => ({
      pong: true, poleId: d.config.pole.id, at: new Date(d.now()).toISOString(),
      uptimeSec: Math.round((d.now() - d.startedAt) / 1000), bdSeq: d.mqtt.bdSeq, ...(a.echo !== undefined ? { echo: a.echo } : {}),
    }),
  });

  reg.register({
    name: 'state.rebirth',
    description: 'publishes the retained birth on poles/{id}/state again (same bdSeq)',
    args: z.strictObject({}),
    run: async () => {
      if (!d.mqtt.connected) throw commandError('SP_CMD_UNAVAILABLE', {}, { message: 'MQTT is not connected' });
      return { bdSeq: await d.mqtt.rebirth() };
    },
  });

  reg.register({
    name: 'config.get',
    description: 'the running configuration with secrets redacted; `path` (e.g. mqtt.url) picks a part',
    args: z.strictObject({ path: z.string().max(200).regex(/^[A-Za-z0-9_.]+$/).optional() }),
    run: (a) => {
      let v: unknown = redactConfig(d.config as unknown);
      for (const part of a.path ? a.path.split('.') : []) {
        if (!v || typeof v !== 'object' || !(part in v)) throw commandError('SP_CMD_BAD_ARGS', { path: a.path }, { message: `config.get: no config at "${a.path}"` });
        v = (v as Record<string, unknown>)[part];
      }
      return { path: a.path ?? '', value: v };
    },
  });

  reg.register({
    name: 'log.level',
    description: 'sets the log level of every service; `revertAfterSec` goes back to the configured level',
    args: z.strictObject({ level: LogLevel, revertAfterSec: z.number().int().min(10).max(86_400).optional() }),
    run: (a) => {
      const previous = d.logger.level;
      d.logger.level = a.level;
      if (revertTimer) clearTimeout(revertTimer);
      revertTimer = null;
      let revertAt: string | undefined;
      if (a.revertAfterSec) {
        revertAt = new Date(d.now() + a.revertAfterSec * 1000).toISOString();
        revertTimer = setTimeout(() => { d.logger.level = d.config.log.level; revertTimer = null; }, a.revertAfterSec * 1000);
        revertTimer.unref?.();
      }
      d.logger.warn({ service: 'commands', previous, newLevel: a.level, revertAt }, 'log level changed');
      return { previous, level: a.level, ...(revertAt ? { revertAt } : {}) };
    },
  });
}
