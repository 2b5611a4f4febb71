/** pads.* commands (issue 7 §5). */
import { z } from 'zod';
import type { CommandRegistry } from '../commands/registry.js';
import { commandError } from '../commands/errors.js';
import type { PadsService } from './pads-service.js';

export function registerPadsCommands(reg: CommandRegistry, svc: PadsService | null): void {
  const need = (name: string): PadsService => {
    if (!svc) throw commandError('SP_CMD_NOT_FITTED', { command: name, device: 'pads' }, { message: `${name}: no phone-charging pads on this pole` });
    return svc;
  };
  reg.register({
    name: 'pads.set',
    description: 'switch a phone-charging pad on or off (kept across restarts)',
    args: z.strictObject({ pad: z.number().int().min(1).max(8), on: z.boolean() }),
    run: (a) => need('pads.set').set(a.pad, a.on),
  });
  reg.register({
    name: 'pads.status',
    description: 'each pad: enabled, in use, power, temperature, fault',
    args: z.strictObject({}),
    run: () => need('pads.status').status(),
  });
}
