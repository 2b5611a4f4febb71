/**
 * `console.unlock` (MQTT only, signed; docs/security.md): opens a console sealed after repeated
 * PIN lockouts and clears any lockout. It is refused from the console itself — the point is that
 * someone at the port cannot open it. Reported as a security event with who unlocked it.
 */
import { z } from 'zod';
import type { CommandRegistry } from '../commands/registry.js';
import { commandError } from '../commands/errors.js';
import type { Reporter } from '../uplink/reporter.js';
import type { PinLockout } from './lockout.js';

export function registerConsoleUnlock(commands: CommandRegistry, lockout: PinLockout, reporter: Reporter): void {
  commands.register({
    name: 'console.unlock',
    description: 'open the technician console after repeated PIN lockouts (city operations only)',
    args: z.object({}).strict(),
    run: (_args, ctx) => {
      if (ctx.source !== 'mqtt') throw commandError('SP_CMD_UNAVAILABLE', {}, { message: 'console.unlock comes from city operations over MQTT only' });
      const before = lockout.unlock();
      reporter.event({ code: 'console.unlocked', severity: 'security', message: `technician console unlocked by ${ctx.principal ?? 'operations'}`, by: ctx.principal, wasSealed: before.sealed, lockouts: before.lockouts });
      return { unlocked: true, wasSealed: before.sealed, lockouts: before.lockouts };
    },
  });
}
