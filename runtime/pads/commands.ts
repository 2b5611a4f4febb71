/** pads.* commands (issue 7 §5). */
import { z } from 'zod';
import type { CommandRegistry } from '../commands/registry.js';
import type { PadsService } from './pads-service.js';

export function registerPadsCommands(reg: CommandRegistry, svc: PadsService): void {
  reg.register({
    name: 'pads.set',
    description: 'switch a phone-charging pad on or off (kept across restarts)',
    args: z.strictObject({ pad: z.number().int().min(1).max(8), on: z.boolean() }),
    run: (a) => svc.set(a.pad, a.on),
  });
  reg.register({
    name: 'pads.status',
    description: 'each pad: enabled, in use, power, temperature, fault',
    args: z.strictObject({}),
    run: () => svc.status(),
  });
}
