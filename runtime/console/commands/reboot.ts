/**
 * `reboot [--yes]` (docs/console.md §Commands): restarts the smartpole runtime after a confirmation —
 * ports closed, database flushed, offline state published, config file read again, everything started
 * anew. It does not power-cycle the pole computer (that is the cabinet breaker).
 */
import { consoleError } from '../errors.js';
import type { ConsoleModule } from './module.js';

export const rebootModule: ConsoleModule = {
  command: {
    name: 'reboot', level: 'tech', usage: '[--yes]', summary: 'restart the pole runtime (asks to confirm); re-reads the config file',
    flags: [{ name: 'yes', description: 'do not ask (for scripts)' }],
    help: ['The screen goes dark for a few seconds and this session ends; press Enter afterwards to log in again.', 'Changes saved with config set that need a restart take effect.'],
    async run(ctx, a) {
      const restart = ctx.env.restart;
      if (!restart) throw consoleError('SP_CONSOLE_UNSUPPORTED', undefined, { message: 'reboot: this runtime was started without a supervisor that can restart it' });
      if (a.flags.yes !== true) {
        if (ctx.json) throw consoleError('SP_CONSOLE_CONFIRM', undefined, { message: 'reboot from a script needs --yes' });
        const answer = await ctx.ask('Restart the pole runtime now? The screen goes dark for a few seconds and this session ends. Type yes to restart: ');
        if (answer?.trim().toLowerCase() !== 'yes') throw consoleError('SP_CONSOLE_CANCELLED', undefined, { message: 'not restarted' });
      }
      return {
        result: { restarting: true },
        text: 'Restarting the runtime… the console is back in a few seconds (press Enter).',
        after: () => restart(`console reboot (session ${ctx.session.id})`),
      };
    },
  },
};
