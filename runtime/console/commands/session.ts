/** Session commands: help, login, logout, color (guest level: they change nothing on the pole). */
import { resolve, type ConsoleCommand } from '../command-tree.js';
import { helpFor, helpJson, helpOverview } from '../help.js';
import { consoleError } from '../errors.js';
import type { ConsoleModule } from './module.js';

export function helpModule(roots: () => ConsoleCommand[]): ConsoleModule {
  return {
    command: {
      name: 'help', level: 'guest', usage: '[command …]', summary: 'list commands, or explain one (also: <command> --help, ?)',
      args: [{ name: 'command', rest: true, values: () => roots().map((c) => c.name) }],
      run(ctx, a) {
        if (a.positionals.length === 0) {
          const list = roots().filter((c) => ctx.session.level === 'tech' || c.level === 'guest');
          return { result: { level: ctx.session.level, commands: list.map((c) => ({ name: c.name, summary: c.summary, level: c.level, subcommands: c.subcommands?.map((s) => s.name) })) }, text: helpOverview(roots(), ctx.session.level, ctx.paint) };
        }
        const r = resolve(roots(), a.positionals);
        if (r.rest.length) throw consoleError('SP_CONSOLE_UNKNOWN', undefined, { message: `no command "${a.positionals.join(' ')}"; try help ${r.path.map((c) => c.name).join(' ')}` });
        return { result: helpJson(r.path), text: helpFor(r.path, ctx.session.level, ctx.paint) };
      },
    },
  };
}

export const logoutModule: ConsoleModule = {
  command: {
    name: 'logout', level: 'guest', summary: 'end this session (also after 10 min without input)',
    run(ctx) {
      ctx.logout();
      return { result: { session: ctx.session.id, loggedOut: true } };
    },
  },
};

export const loginModule: ConsoleModule = {
  command: {
    name: 'login', level: 'guest', summary: 'raise this guest session to the tech level (asks the PIN)',
    async run(ctx) {
      if (ctx.session.level === 'tech') return { result: { level: 'tech' }, text: 'Already at the tech level.' };
      if (ctx.json) throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: 'login asks for the PIN: run it without --json' });
      const ok = await ctx.elevate();
      if (!ok) throw consoleError('SP_CONSOLE_WRONG_PIN', undefined, { message: 'still guest: the PIN was not accepted' });
      return { result: { level: 'tech' }, text: `Now at the ${ctx.paint('tech', 'green')} level: every command you run is audited.` };
    },
  },
};

export const colorModule: ConsoleModule = {
  command: {
    name: 'color', level: 'guest', usage: '[on|off]', summary: 'colour output for this session (off by default: a serial line has no TERM)',
    args: [{ name: 'on|off', values: () => ['on', 'off'] }],
    help: ['Colours mark PASS/ok green, FAIL/down red and warnings yellow. They are ANSI escape codes,', 'so turn them on only if your terminal shows colour (picocom, PuTTY and minicom do).'],
    run(ctx, a) {
      const v = a.positionals[0];
      if (v !== undefined && v !== 'on' && v !== 'off') throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: 'color on | color off' });
      if (v) ctx.setColor(v === 'on');
      const on = v ? v === 'on' : ctx.session.color;
      return { result: { color: on }, text: `Colour is ${on ? ctx.paint('on', 'green') : 'off'} for this session.` };
    },
  },
};
