/**
 * `screen.brightness`: the operators' brightness command (CommandRegistry; run over MQTT by
 * the MQTT command channel and on the technician console's).
 *   {"percent": 40, "durationSec": 7200}  override for two hours
 *   {"auto": true}                         back to schedule/automatic
 *   {}                                     report only
 */
import { z } from 'zod';
import type { CommandRegistry } from '../commands/registry.js';
import { commandError } from '../commands/errors.js';
import type { BrightnessService } from './brightness.js';

export const BrightnessArgs = z.strictObject({
  percent: z.number().int().min(0).max(100).optional(),
  durationSec: z.number().int().min(1).max(7 * 86400).default(3600),
  auto: z.literal(true).optional(),
}).refine((a) => !(a.percent !== undefined && a.auto), { message: 'give either percent or auto, not both' });

export function registerBrightnessCommands(registry: CommandRegistry, service: BrightnessService | null): void {
  registry.register({
    name: 'screen.brightness',
    description: 'screen brightness: {"percent": 0-100, "durationSec": N} overrides, {"auto": true} resumes schedule/automatic, {} reports',
    args: BrightnessArgs,
    run: (a) => {
      if (!service) throw commandError('SP_CMD_NOT_FITTED', { device: 'led' }, { message: 'no LED board is fitted on this pole' });
      if (a.auto) return service.setOverride(null);
      if (a.percent !== undefined) return service.setOverride(a.percent, a.durationSec);
      return service.state();
    },
  });
}
