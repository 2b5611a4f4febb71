/** pads.* commands (docs/charging.md §Commands). */
import { z } from 'zod';
import type { CommandRegistry } from '../commands/registry.js';
import type { PadsService } from './pads-service.js';

/** Pad numbers a command may name (the console checks the same range: runtime/console/commands/pads.ts). */
export const PAD_NUMBERS = { min: 1, max: 8 } as const;

export function registerPadsCommands(reg: CommandRegistry, svc: PadsService): void {
  reg.register({
    name: 'pads.set',
    description: 'switch a phone-charging pad on or off (kept across restarts)',
    args: z.strictObject({ pad: z.number().int().min(PAD_NUMBERS.min).max(PAD_NUMBERS.max), on: z.boolean() }),
    run: (a) => svc.set(a.pad, a.on),
  });
  reg.register({
    name: 'pads.status',
    description: 'each pad: enabled, in use, power, temperature, fault',
    args: z.strictObject({}),
    run: () => svc.status(),
  });
}
