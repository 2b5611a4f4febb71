/**
 * What every area module gets from the composition root (docs/architecture.md §Modules): the
 * logger, the clocks, the serial binding, and the two registries each area adds itself to — its
 * health entry (birth, console `status`, /api/health) and its commands (MQTT and console).
 */
import type { BindingInterface } from '@serialport/bindings-interface';
import type { Logger } from 'pino';
import type { HealthRegistry } from './health.js';
import type { CommandRegistry } from './commands/registry.js';

export interface ModuleBase {
  logger: Logger;
  /** Wall clock, ms since the epoch. */
  now: () => number;
  /** Monotonic ms (rate limits, lockouts); runtime/clock-watch.ts monotonicClock. */
  monotonic: () => number;
  binding?: BindingInterface | undefined;
  health: HealthRegistry;
  commands: CommandRegistry;
}
