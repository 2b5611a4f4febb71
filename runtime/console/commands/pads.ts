/**
 * `pads status | set <pad> on|off` (docs/console.md §Commands) through the pads service's
 * `pads.status` (or its health) and `pads.set {pad, on}` (docs/charging.md §Commands).
 */
import { consoleError } from '../errors.js';
import { PAD_NUMBERS } from '../../pads/commands.js';
import { callDevice } from './device-call.js';
import { deviceCheck, deviceStatus } from './field-bus.js';
import { renderPadsStatus } from './field-console-text.js';
import type { PadsStatus } from '../../pads/pads-service.js';
import type { ConsoleModule } from './module.js';

export const padsModule: ConsoleModule = {
  checks: [deviceCheck('pads')],
  command: {
    name: 'pads', level: 'tech', summary: 'phone-charging pads: status, switch a pad on or off', defaultSub: 'status',
    subcommands: [
      { name: 'status', level: 'tech', summary: 'each pad: on/off, in use, power, temperature, faults', run: (ctx) => deviceStatus(ctx, 'pads', (r: PadsStatus, _tz, paint) => renderPadsStatus(r, paint)) },
      {
        name: 'set', level: 'tech', usage: '<pad> on|off', summary: 'switch one pad on or off',
        args: [{ name: 'pad', required: true }, { name: 'on|off', required: true, values: () => ['on', 'off'] }],
        async run(ctx, a) {
          const pad = Number(a.positionals[0]);
          if (!Number.isInteger(pad) || pad < PAD_NUMBERS.min || pad > PAD_NUMBERS.max) throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: `a pad is a number, ${PAD_NUMBERS.min}–${PAD_NUMBERS.max}` });
          const v = a.positionals[1];
          if (v !== 'on' && v !== 'off') throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: 'pads set <pad> on|off' });
          const r = await callDevice(ctx, 'pads.set', { pad, on: v === 'on' });
          return { result: { pad, on: v === 'on', reply: r }, text: `Pad ${pad} switched ${v}.` };
        },
      },
    ],
  },
};
