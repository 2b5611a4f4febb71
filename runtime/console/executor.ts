/**
 * CommandExecutor: one command line → the command tree → output (docs/console.md §Commands).
 * Tokenises, resolves names and abbreviations, checks the session's level, parses flags, runs the
 * command with an AbortSignal (Ctrl-C), prints text or one `--json` line, turns any failure into one
 * `ERR <code> <message>` line, and audits every command run at tech level.
 */
import { redactText } from '../config/secrets.js';
import type { Logger } from 'pino';
import { painter } from '../../protocols/console/ansi.js';
import { parseFlags, tokenize, type ParsedArgs } from '../../protocols/console/argv.js';

import { COMMON_FLAGS, resolve, type CommandResult, type ConsoleCommand, type RunContext, type SessionInfo } from './command-tree.js';
import { consoleError, jsonStatus } from './errors.js';
import { helpFor, helpJson } from './help.js';
import type { ConsoleEnv } from './env.js';
import type { ConsoleAudit } from './audit.js';
import { asSmartpoleError } from './render.js';

export interface ExecutorIo {
  write(text: string): void;
  ask(prompt: string): Promise<string | null>;
  setColor(on: boolean): void;
  logout(): void;
  elevate(): Promise<boolean>;
}

export interface ExecutorOptions {
  roots: () => ConsoleCommand[];
  env: ConsoleEnv;
  audit: ConsoleAudit;
  logger: Logger;
}

export interface Execution {
  code: string | null;
  durationMs: number;
}

export class CommandExecutor {
  private readonly log: Logger;

  constructor(private readonly o: ExecutorOptions) {
    this.log = o.logger.child({ service: 'console' });
  }

  async execute(line: string, session: SessionInfo, io: ExecutorIo, signal: AbortSignal): Promise<Execution> {
    const t0 = performance.now();
    const paint = painter(session.color);
    let json = /(^|\s)--json(\s|$)/.test(line);
    let label = '';
    let audited: string | null = null;
    let after: (() => void) | undefined;
    try {
      const tok = tokenize(line);
      if (!tok.ok) throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: tok.reason });
      const words = tok.words[0] === '?' ? ['help', ...tok.words.slice(1)] : tok.words;
      if (words.length === 0) return { code: null, durationMs: 0 };
      const r = resolve(this.o.roots(), words);
      const cmd = r.cmd;
      label = r.path.map((c) => c.name).join(' ');
      const parsed = parseFlags(r.rest, [...(cmd.flags ?? []), ...COMMON_FLAGS]);
      if (!parsed.ok) throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: `${label}: ${parsed.reason} (see ${label} --help)` });
      const args = parsed.args;
      json = args.flags.json === true;
      if (args.flags.help === true) {
        this.print(io, json, { result: helpJson(r.path), text: helpFor(r.path, session.level, paint) }, label);
        return { code: null, durationMs: performance.now() - t0 };
      }
      let target = cmd;
      let path = r.path;
      if (cmd.subcommands?.length) {
        const sub = cmd.defaultSub && args.positionals.length === 0 ? cmd.subcommands.find((s) => s.name === cmd.defaultSub) : undefined;
        if (!sub) throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: `${label} needs one of: ${cmd.subcommands.map((s) => s.name).join(', ')} (see help ${label})` });
        target = sub;
        path = [...r.path, sub];
        label = path.map((c) => c.name).join(' ');
      }
      if (path.some((c) => c.level === 'tech') && session.level !== 'tech') {
        throw consoleError('SP_CONSOLE_FORBIDDEN', { command: label }, { message: `${label} needs the tech level; type login and enter the technician PIN` });
      }
      checkArity(target, args, label);
      if (session.level === 'tech') {
        const rest = target.redact ? target.redact(r.rest) : r.rest;
        // Whatever a command's own redaction misses, URL passwords and `secret: value` pairs do not reach the audit.
        audited = redactText([label, ...rest].join(' '));
      }
      const ctx: RunContext = {
        env: this.o.env, session, json, signal, paint,
        print: (l = '') => { if (!json) io.write(l + '\n'); },
        ask: (p) => io.ask(p), setColor: (on) => io.setColor(on), logout: () => io.logout(), elevate: () => io.elevate(),
      };
      const running = Promise.resolve().then(() => target.run!(ctx, args));
      const result = await (target.ctrlCEnds ? running : raceAbort(running, signal));
      after = result.after;
      this.print(io, json, result, label);
      if (audited) this.o.audit.record({ action: 'command', session: session.id, level: 'tech', command: audited, ok: true, durationMs: Math.round(performance.now() - t0) });
      return { code: null, durationMs: performance.now() - t0 };
    } catch (e) {
      const err = asSmartpoleError(e);
      if (err.code === 'SP_INTERNAL') this.log.error({ err: (e as Error)?.stack ?? String(e), command: label }, 'console command failed');
      else this.log.debug({ code: err.code, command: label }, 'console command refused');
      const message = err.code === 'SP_INTERNAL' ? `internal error: ${err.message} (logged)` : err.message;
      if (json) io.write(JSON.stringify({ ok: false, status: jsonStatus(err.code), command: label || null, error: { code: err.code, message } }) + '\n');
      else io.write(`${painter(session.color)('ERR', 'red')} ${err.code} ${oneLine(message)}\n`);
      if (audited) this.o.audit.record({ action: 'command', session: session.id, level: 'tech', command: audited, ok: false, code: err.code, durationMs: Math.round(performance.now() - t0) });
      return { code: err.code, durationMs: performance.now() - t0 };
    } finally {
      if (after) setImmediate(after);
    }
  }

  private print(io: ExecutorIo, json: boolean, r: CommandResult, label: string): void {
    if (json) { io.write(JSON.stringify({ ok: true, status: 0, command: label, result: r.result ?? null }) + '\n'); return; }
    if (r.text === undefined) return;
    const lines = Array.isArray(r.text) ? r.text : [r.text];
    if (lines.length) io.write(lines.join('\n') + '\n');
  }
}

function checkArity(cmd: ConsoleCommand, args: ParsedArgs, label: string): void {
  const specs = cmd.args ?? [];
  const required = specs.filter((a) => a.required).length;
  const max = specs.some((a) => a.rest) ? Infinity : specs.length;
  const n = args.positionals.length;
  if (n < required || n > max) {
    const usage = `${label}${cmd.usage ? ' ' + cmd.usage : ''}`;
    const what = n < required ? `missing <${specs[n]!.name}>` : `unexpected "${args.positionals[max]}"`;
    throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: `${what}; usage: ${usage}` });
  }
}

/** Ctrl-C returns the prompt at once, even if a command ignores its signal. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  p.catch(() => { /* an abandoned command's late failure is of no interest */ });
  if (signal.aborted) return Promise.reject(consoleError('SP_CONSOLE_CANCELLED', undefined, { message: 'cancelled (Ctrl-C)' }));
  return new Promise<T>((resolvePromise, reject) => {
    const onAbort = () => reject(consoleError('SP_CONSOLE_CANCELLED', undefined, { message: 'cancelled (Ctrl-C)' }));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then((v) => { signal.removeEventListener('abort', onAbort); resolvePromise(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e); });
  });
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, '; ');
}

