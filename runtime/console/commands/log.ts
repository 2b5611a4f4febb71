/**
 * `log tail [n] [--level L] [--follow]` (docs/console.md §Commands): the runtime's newest log lines
 * from the in-memory LogRing (runtime/logger.ts), so logs are readable with no network and no disk
 * access. Times are local (the zone is printed once, in the heading).
 */
import { formatClock, offsetLabel } from '../../../protocols/console/units.js';
import type { Style } from '../../../protocols/console/ansi.js';
import type { RunContext } from '../command-tree.js';
import { consoleError } from '../errors.js';
import type { ConsoleModule } from './module.js';

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
const NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const STYLE: Record<number, Style | null> = { 40: 'yellow', 50: 'red', 60: 'red', 20: 'dim', 10: 'dim' };
const SKIP = new Set(['level', 'time', 'msg', 'name', 'pid', 'hostname', 'device', 'service', 'v']);
const MAX_LINE = 200;

export interface LogEntry {
  level: number;
  time?: string;
  msg?: string;
  device?: string;
  service?: string;
  [k: string]: unknown;
}

export function parseLine(line: string): LogEntry | null {
  try {
    const o = JSON.parse(line) as LogEntry;
    return typeof o === 'object' && o && typeof o.level === 'number' ? o : null;
  } catch {
    return null;
  }
}

export function formatEntry(e: LogEntry, ctx: Pick<RunContext, 'paint'> & { timeZone: string }): string {
  const t = e.time ? formatClock(Date.parse(e.time), ctx.timeZone) : '--:--:--';
  const lvl = (NAMES[e.level] ?? String(e.level)).padEnd(5);
  const who = (e.device ?? e.service ?? '').padEnd(8);
  const extra = Object.entries(e).filter(([k]) => !SKIP.has(k)).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
  let line = `${t} ${lvl} ${who} ${e.msg ?? ''}${extra ? `  ${extra}` : ''}`;
  if (line.length > MAX_LINE) line = line.slice(0, MAX_LINE - 1) + '…';
  return ctx.paint(line, STYLE[e.level] ?? null);
}

export const logModule: ConsoleModule = {
  command: {
    name: 'log', level: 'tech', summary: 'the runtime\'s recent log lines', defaultSub: 'tail',
    subcommands: [{
      name: 'tail', level: 'tech', usage: '[n] [--level L] [--follow]', summary: 'the newest n lines (default 20, max 500), optionally only level L and above',
      args: [{ name: 'n' }],
      flags: [
        { name: 'level', value: true, description: 'only this level and above: trace, debug, info, warn, error, fatal' },
        { name: 'follow', short: 'f', description: 'keep printing new lines until Ctrl-C' },
      ],
      help: ['Lines are kept in memory (the newest 2000) at the configured log.level; to see debug lines set', 'log.level to debug (config set log.level debug, then reboot).'],
      ctrlCEnds: true,
      async run(ctx, a) {
        const ring = ctx.env.logRing;
        if (!ring) throw consoleError('SP_CONSOLE_UNSUPPORTED', undefined, { message: 'log tail: this runtime keeps no log lines in memory (no LogRing wired)' });
        const n = a.positionals[0] === undefined ? 20 : Number(a.positionals[0]);
        if (!Number.isInteger(n) || n < 1 || n > 500) throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: 'n is a whole number of lines, 1–500' });
        const lname = typeof a.flags.level === 'string' ? a.flags.level.toLowerCase() : 'trace';
        const min = LEVELS[lname];
        if (min === undefined) throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: `--level is one of ${Object.keys(LEVELS).join(', ')}` });
        const follow = a.flags.follow === true;
        if (follow && ctx.json) throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: '--follow prints as lines come; it does not combine with --json' });
        const tz = ctx.env.timeZone;
        const entries: LogEntry[] = [];
        const all = ring.tail(2000);
        for (let i = all.length - 1; i >= 0 && entries.length < n; i--) {
          const e = parseLine(all[i]!);
          if (e && e.level >= min) entries.unshift(e);
        }
        const fmt = { paint: ctx.paint, timeZone: tz };
        if (!follow) {
          return {
            result: { lines: entries, timeZone: tz },
            text: [`Times in ${tz} (${offsetLabel(tz, ctx.env.now())}); ${entries.length} line${entries.length === 1 ? '' : 's'}${min > 10 ? ` at ${lname} and above` : ''}:`, ...entries.map((e) => formatEntry(e, fmt))],
          };
        }
        ctx.print(`Times in ${tz} (${offsetLabel(tz, ctx.env.now())}). Following; Ctrl-C stops.`);
        for (const e of entries) ctx.print(formatEntry(e, fmt));
        let printed = 0;
        await new Promise<void>((resolve) => {
          const off = ring.subscribe((l) => {
            const e = parseLine(l);
            if (e && e.level >= min) { printed++; ctx.print(formatEntry(e, fmt)); }
          });
          const done = () => { off(); resolve(); };
          if (ctx.signal.aborted) done();
          else ctx.signal.addEventListener('abort', done, { once: true });
        });
        return { result: { followed: printed }, text: `(${printed} new line${printed === 1 ? '' : 's'} while following)` };
      },
    }],
  },
};
