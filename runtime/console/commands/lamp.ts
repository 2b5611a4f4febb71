/**
 * `lamp status | set <level> [minutes] | resume` (docs/console.md §Commands) through the lamp service's
 * `lamp.status`, `lamp.set {level, until?}`, `lamp.resume` (docs/lamp-schedule.md §Overrides). An
 * override without minutes lasts until `lamp resume`; `until` is sent as ISO 8601 with the pole's
 * offset.
 */
import { formatLocalTime } from '../../../protocols/console/units.js';
import { isoInZone } from '../../../protocols/time.js';
import { consoleError } from '../errors.js';
import { callDevice } from './device-call.js';
import { deviceCheck, deviceStatus } from './field-bus.js';
import { renderLampStatus } from './field-console-text.js';
import type { ConsoleModule } from './module.js';

export const lampModule: ConsoleModule = {
  checks: [deviceCheck('lamp')],
  command: {
    name: 'lamp', level: 'tech', summary: 'the street lamp: status, manual level, back to schedule', defaultSub: 'status',
    subcommands: [
      { name: 'status', level: 'tech', summary: 'level, power, energy, operating hours, failures, schedule step', run: (ctx) => deviceStatus(ctx, 'lamp', renderLampStatus) },
      {
        name: 'set', level: 'tech', usage: '<level 0-100> [minutes]', summary: 'override the lamp level in percent, for N minutes or until resume',
        args: [{ name: 'level', required: true }, { name: 'minutes' }],
        async run(ctx, a) {
          const level = Number(a.positionals[0]);
          if (!Number.isInteger(level) || level < 0 || level > 100) throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: 'the level is a whole percent, 0–100' });
          const minutes = a.positionals[1] === undefined ? null : Number(a.positionals[1]);
          if (minutes !== null && (!Number.isInteger(minutes) || minutes < 1 || minutes > 7 * 24 * 60)) throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: 'minutes is a whole number, 1–10080 (7 days)' });
          const until = minutes === null ? null : ctx.env.now() + minutes * 60_000;
          const r = await callDevice(ctx, 'lamp.set', { level, ...(until ? { until: isoInZone(until, ctx.env.timeZone) } : {}) });
          return {
            result: { levelPct: level, until: until ? isoInZone(until, ctx.env.timeZone) : null, reply: r },
            text: `Lamp set to ${level}%${until ? ` until ${formatLocalTime(until, ctx.env.timeZone)}` : ' until lamp resume'}.`,
          };
        },
      },
      {
        name: 'resume', level: 'tech', summary: 'end the override: back to the schedule',
        async run(ctx) {
          const r = await callDevice(ctx, 'lamp.resume', {});
          return { result: { resumed: true, reply: r }, text: 'Lamp back on its schedule.' };
        },
      },
    ],
  },
};
