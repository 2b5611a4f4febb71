/**
 * The console's command tree (docs/console.md §Commands): commands with subcommands, a level each,
 * flags, positional arguments, one-line and long help. Names resolve by exact match or unique prefix at
 * every level (`le sn` = `led snapshot`). Each device's commands live in their own file under
 * commands/ and are assembled in commands/index.ts.
 */
import type { Painter } from '../../protocols/console/ansi.js';
import { matchName, suggest, type FlagSpec, type ParsedArgs } from '../../protocols/console/argv.js';
import type { CompletionNode } from '../../protocols/console/complete.js';
import { consoleError } from './errors.js';
import type { ConsoleEnv } from './env.js';

export type Level = 'guest' | 'tech';

export interface ArgSpec {
  name: string;
  required?: boolean;
  /** Takes all remaining words (e.g. the AT command). */
  rest?: boolean;
  /** Values Tab offers (and that a unique prefix resolves to, when `strict`). */
  values?: () => string[];
}

export interface CommandResult {
  /** What `--json` prints as `result`. */
  result: unknown;
  /** What a human sees; omitted when the command printed as it went. */
  text?: string | string[];
  /** Runs after the output is written (e.g. the restart after `reboot`). */
  after?: () => void;
}

export interface SessionInfo {
  id: string;
  level: Level;
  since: number;
  color: boolean;
}

export interface RunContext {
  env: ConsoleEnv;
  session: SessionInfo;
  json: boolean;
  signal: AbortSignal;
  paint: Painter;
  /** Writes a line now (human mode only; nothing in --json mode). */
  print(line?: string): void;
  /** Asks the technician for a line; null when cancelled (Ctrl-C, logout). */
  ask(prompt: string): Promise<string | null>;
  /** Changes the session's colour setting (`color on|off`). */
  setColor(on: boolean): void;
  /** Ends the session after this command (`logout`). */
  logout(): void;
  /** Offers to raise the session to tech (`login`). */
  elevate(): Promise<boolean>;
}

export interface ConsoleCommand {
  name: string;
  /** One line for `help`. */
  summary: string;
  level: Level;
  /** Arguments part of the usage line, e.g. "<level 0-100> [minutes]". */
  usage?: string;
  /** More help: what it does, units, examples. */
  help?: string[];
  args?: ArgSpec[];
  flags?: FlagSpec[];
  subcommands?: ConsoleCommand[];
  /** The subcommand a bare group runs (`led` = `led status`). */
  defaultSub?: string;
  run?(ctx: RunContext, args: ParsedArgs): Promise<CommandResult> | CommandResult;
  /** Ctrl-C is this command's normal end (`log tail --follow`): it returns its result, no ERR. */
  ctrlCEnds?: boolean;
  /** The words as they may be audited (hide secrets). */
  redact?(words: string[]): string[];
}

/** Flags every command takes. */
export const COMMON_FLAGS: FlagSpec[] = [
  { name: 'json', description: 'machine-readable output: one JSON line' },
  { name: 'help', short: 'h', description: 'show help for the command' },
];

export interface Resolved {
  cmd: ConsoleCommand;
  path: ConsoleCommand[];
  /** Words after the command path (flags and arguments). */
  rest: string[];
}

/** Walks the tree along the leading words. Throws SP_CONSOLE_UNKNOWN / SP_CONSOLE_AMBIGUOUS. */
export function resolve(roots: ConsoleCommand[], words: string[]): Resolved {
  let pool = roots;
  const path: ConsoleCommand[] = [];
  let i = 0;
  for (; i < words.length; i++) {
    const w = words[i]!;
    if (path.length > 0 && (w.startsWith('-') || !pool.length)) break;
    const m = matchName(w, pool.map((c) => c.name));
    if (!m.ok) {
      const where = path.length ? `${path.map((c) => c.name).join(' ')} ` : '';
      if (m.reason === 'ambiguous') {
        throw consoleError('SP_CONSOLE_AMBIGUOUS', { word: w, candidates: m.candidates }, { message: `"${where}${w}" could be: ${m.candidates.map((c) => where + c).join(', ')}` });
      }
      const close = suggest(w, pool.map((c) => c.name));
      const hint = close.length ? `; did you mean ${close.map((c) => where + c).join(' or ')}?` : `; type ${where ? `help ${where.trim()}` : 'help'} for the list`;
      throw consoleError('SP_CONSOLE_UNKNOWN', { word: w }, { message: `no command "${where}${w}"${hint}` });
    }
    const cmd = pool.find((c) => c.name === m.name)!;
    path.push(cmd);
    pool = cmd.subcommands ?? [];
    if (!cmd.subcommands) { i++; break; }
  }
  const cmd = path.at(-1)!;
  return { cmd, path, rest: words.slice(i) };
}

/** The tree as Tab sees it at a level: guests complete only what they may run. */
export function completionTree(roots: ConsoleCommand[], level: Level): CompletionNode[] {
  const visible = (c: ConsoleCommand) => level === 'tech' || c.level === 'guest';
  const node = (c: ConsoleCommand): CompletionNode => ({
    name: c.name,
    children: c.subcommands?.filter(visible).map(node),
    values: c.args?.[0]?.values,
    flags: c.flags?.map((f) => `--${f.name}`),
  });
  return roots.filter(visible).map(node);
}
