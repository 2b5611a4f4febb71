/**
 * lamp.* commands (docs/lamp-schedule.md §Overrides): overrides with expiry (TALQ OverrideCommand) and
 * status.
 */
import { z } from 'zod';
import { IsoDateTime } from '../../protocols/time.js';
import type { CommandRegistry } from '../commands/registry.js';
import type { LampService } from './lamp-service.js';
import { lampError } from './errors.js';

export function registerLampCommands(reg: CommandRegistry, svc: LampService): void {
  reg.register({
    name: 'lamp.set',
    description: 'override the lamp level (0–100 %) until a time (ISO 8601) or for forSec seconds; without either until lamp.resume',
    args: z.strictObject({
      level: z.number().min(0).max(100),
      until: IsoDateTime.optional(),
      forSec: z.number().int().min(1).max(30 * 86_400).optional(),
      rampSec: z.number().min(0).max(3600).optional(),
    }).refine((a) => !(a.until && a.forSec), { message: 'give until or forSec, not both' }),
    run: (a, ctx) => {
      const until = a.until ? Date.parse(a.until) : a.forSec ? ctx.now + a.forSec * 1000 : null;
      if (until !== null && until <= ctx.now) throw lampError('SP_LAMP_UNTIL_PAST', { until: a.until });
      return svc.set(a.level, until, a.rampSec ?? null, ctx.source, ctx.principal ?? null);
    },
  });
  reg.register({
    name: 'lamp.resume',
    description: 'end the override: the lamp follows its schedule again',
    args: z.strictObject({}),
    run: () => svc.resume(),
  });
  reg.register({
    name: 'lamp.status',
    description: 'level, reason (override/photocell/program/default), schedule, photocell, D4i data and alarms',
    args: z.strictObject({}),
    run: () => svc.status(),
  });
}
