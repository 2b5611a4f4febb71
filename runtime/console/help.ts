/**
 * Help text from the command tree (docs/console.md §Commands: `help`, `help <cmd>`, `<cmd> --help`):
 * usage lines, subcommands with their one-line summaries, flags, and the command's own notes.
 */
import type { Painter } from '../../protocols/console/ansi.js';
import { formatTable } from '../../protocols/console/table.js';
import { wrapText } from '../../protocols/console/text-width.js';
import { COMMON_FLAGS, type ConsoleCommand, type Level } from './command-tree.js';

const visible = (level: Level) => (c: ConsoleCommand) => level === 'tech' || c.level === 'guest';

export function usageOf(path: ConsoleCommand[]): string {
  const cmd = path.at(-1)!;
  const base = path.map((c) => c.name).join(' ');
  if (cmd.subcommands?.length) return `${base} ${cmd.subcommands.map((s) => s.name).join(' | ')}`;
  return cmd.usage ? `${base} ${cmd.usage}` : base;
}

export interface HelpJson {
  command: string;
  summary: string;
  usage: string;
  level: Level;
  subcommands?: { name: string; summary: string; level: Level; usage: string }[];
  flags: { name: string; description: string }[];
  notes?: string[];
}

export function helpJson(path: ConsoleCommand[]): HelpJson {
  const cmd = path.at(-1)!;
  return {
    command: path.map((c) => c.name).join(' '), summary: cmd.summary, usage: usageOf(path), level: cmd.level,
    subcommands: cmd.subcommands?.map((s) => ({ name: s.name, summary: s.summary, level: s.level, usage: usageOf([...path, s]) })),
    flags: [...(cmd.flags ?? []), ...COMMON_FLAGS].map((f) => ({ name: `--${f.name}${f.value ? ' <value>' : ''}`, description: f.description })),
    notes: cmd.help,
  };
}

/** `help` with no argument: every command the level may run. */
export function helpOverview(roots: ConsoleCommand[], level: Level, paint: Painter): string[] {
  const rows = roots.filter(visible(level)).map((c) => [c.name, c.summary]);
  return [
    `Commands at the ${level} level. ${paint('help <command>', 'bold')} or ${paint('<command> --help', 'bold')} explains one.`,
    'Any unique abbreviation works (sta = status, le sn = led snapshot). Add --json',
    'for one machine-readable JSON line. Errors read ERR <code> <message>; the codes',
    'are listed in docs/errors.md.',
    '',
    ...formatTable([{ title: 'COMMAND' }, { title: 'WHAT IT DOES', wrap: true }], rows, { paint }),
    '',
    'Keys: Up/Down history · Tab completes · Ctrl-C cancels · Ctrl-U clears the line',
    ...(level === 'guest' ? ['Guest is read-only: type login to enter the technician PIN.'] : []),
  ];
}

/** `help <cmd>` / `<cmd> --help`. */
export function helpFor(path: ConsoleCommand[], level: Level, paint: Painter): string[] {
  const cmd = path.at(-1)!;
  const out = [`${paint(usageOf(path), 'bold')}`, `  ${cmd.summary}${cmd.level === 'tech' && level === 'guest' ? ' (tech level)' : ''}`];
  if (cmd.help?.length) out.push('', ...wrapText(cmd.help.join(' ').replace(/\s+/g, ' '), 76).map((l) => `  ${l}`));
  if (cmd.subcommands?.length) {
    out.push('', 'Subcommands:');
    out.push(...formatTable([{ title: 'USAGE' }, { title: 'WHAT IT DOES', wrap: true }],
      cmd.subcommands.map((s) => [usageOf([...path, s]), s.summary + (s.level === 'tech' && level === 'guest' ? ' (tech)' : '')]), { paint, indent: 2 }));
    if (cmd.defaultSub) out.push(`  "${path.map((c) => c.name).join(' ')}" alone runs "${cmd.defaultSub}".`);
  }
  const flags = [...(cmd.flags ?? []), ...COMMON_FLAGS];
  out.push('', 'Flags:', ...formatTable([{ title: 'FLAG' }, { title: 'MEANING', wrap: true }],
    flags.map((f) => [`--${f.name}${f.value ? ' <value>' : ''}${f.short ? `, -${f.short}` : ''}`, f.description]), { paint, indent: 2 }).slice(1));
  return out;
}
