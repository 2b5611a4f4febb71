/**
 * `config set` behind the scenes (docs/console.md §Commands): changes one key in the YAML config file,
 * keeping its comments and layout (yaml's Document API), validates the whole file with the zod schema
 * first, and replaces the file atomically (write, fsync, rename). The value is read as YAML
 * (`30`, `true`, `[a, b]`), falling back to a plain string when only that passes the schema.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeSync, chmodSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse as parseYaml, parseDocument, type Document } from 'yaml';
import { parseConfig } from '../config/load.js';
import { ConfigSchema, type Config } from '../config/schema.js';
import { consoleError } from './errors.js';

export function keyPath(key: string): (string | number)[] {
  if (!/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/.test(key)) {
    throw consoleError('SP_CONSOLE_BAD_ARGS', { key }, { message: `"${key}" is not a config key (e.g. devices.console.idleLogoutSec)` });
  }
  return key.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function getPath(obj: unknown, path: (string | number)[]): unknown {
  let v: unknown = obj;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/** A copy of `obj` with `value` at `path` (for patching the running config on a live change). */
export function withPath<T>(obj: T, path: (string | number)[], value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path;
  const src = (obj ?? {}) as Record<string | number, unknown>;
  const copy = (Array.isArray(src) ? [...src] : { ...src }) as Record<string | number, unknown>;
  copy[head!] = withPath(src[head!], rest, value);
  return copy as T;
}

export interface ConfigChange {
  key: string;
  before: unknown;
  after: unknown;
  /** The whole new config as parsed from the written file. */
  config: Readonly<Config>;
}

export class ConfigEditor {
  constructor(private readonly file: string | null) {}

  get path(): string | null {
    return this.file;
  }

  private load(): Document {
    if (!this.file) throw consoleError('SP_CONSOLE_CONFIG_READONLY', undefined, { message: 'this pole was started without a config file, so there is nothing to change' });
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      throw consoleError('SP_CONSOLE_CONFIG_READONLY', { file: this.file }, { message: `cannot read ${this.file}: ${(e as Error).message}` });
    }
    const doc = parseDocument(text);
    if (doc.errors.length) throw consoleError('SP_CONSOLE_CONFIG_INVALID', { file: this.file }, { message: `${this.file} has a YAML error: ${doc.errors[0]!.message.split('\n')[0]}` });
    return doc;
  }

  /** The config as the file says now (it may differ from the running one until a restart). */
  readFile(): Readonly<Config> {
    const doc = this.load();
    return parseConfig(doc.toJS(), dirname(this.file!), this.file!);
  }

  set(key: string, raw: string): ConfigChange {
    const path = keyPath(key);
    const doc = this.load();
    const before = doc.getIn(path);
    const candidates: unknown[] = [];
    try { candidates.push(parseYaml(raw)); } catch { /* not YAML: only the string form */ }
    if (!candidates.some((c) => c === raw)) candidates.push(raw);
    let firstProblem = '';
    for (const value of candidates) {
      const next = doc.clone();
      next.setIn(path, value);
      const r = ConfigSchema.safeParse(next.toJS());
      if (!r.success) {
        const issue = r.error.issues.find((i) => i.path.join('.') === key) ?? r.error.issues[0]!;
        firstProblem ||= `${issue.path.join('.') || key}: ${issue.message}`;
        continue;
      }
      this.write(next.toString());
      const config = parseConfig(next.toJS(), dirname(this.file!), this.file!);
      return { key, before: toJs(before), after: getPath(config, path), config };
    }
    throw consoleError('SP_CONSOLE_CONFIG_INVALID', { key }, { message: `not saved: ${firstProblem}` });
  }

  private write(text: string): void {
    const file = this.file!;
    const tmp = `${file}.tmp-${process.pid}`;
    try {
      const mode = statSync(file).mode & 0o777;
      const fd = openSync(tmp, 'w', mode);
      try {
        writeSync(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      chmodSync(tmp, mode);
      renameSync(tmp, file);
    } catch (e) {
      throw consoleError('SP_CONSOLE_CONFIG_READONLY', { file }, { message: `cannot write ${file}: ${(e as Error).message}` });
    }
  }
}

function toJs(v: unknown): unknown {
  return v && typeof v === 'object' && 'toJSON' in v ? (v as { toJSON(): unknown }).toJSON() : v;
}
