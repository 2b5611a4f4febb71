/**
 * Reads the config file (YAML or JSON), validates it once with zod, resolves relative paths
 * against the file's directory, and freezes the result. A bad field fails with its path.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SmartpoleError } from '../../protocols/errors.js';
import { ConfigSchema, type Config, type ConfigInput } from './schema.js';
import { configError } from './errors.js';

export function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/** Validates an already-parsed object. `baseDir` resolves relative paths (dataDir, TLS files). */
export function parseConfig(input: unknown, baseDir = process.cwd(), source = '(inline)'): Readonly<Config> {
  const r = ConfigSchema.safeParse(input);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
    const first = issues[0]!;
    throw configError('SP_CONFIG_INVALID', { source, issues }, {
      message: `config ${source}: ${first.path}: ${first.message}` + (issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''),
    });
  }
  const c = r.data;
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  c.storage.dataDir = abs(c.storage.dataDir);
  if (c.screen.seedDataDir) c.screen.seedDataDir = abs(c.screen.seedDataDir);
  for (const tls of [c.mqtt.tls, ...(c.mqtt.urls ?? []).map((u) => (typeof u === 'string' ? undefined : u.tls))]) {
    if (!tls) continue;
    for (const k of ['caFile', 'certFile', 'keyFile'] as const) if (tls[k]) tls[k] = abs(tls[k]!);
  }
  return deepFreeze(c);
}

export function loadConfigFile(path: string): Readonly<Config> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw configError('SP_CONFIG_UNREADABLE', { path }, { message: `cannot read config ${path}: ${(e as Error).message}`, cause: e });
  }
  let input: unknown;
  try {
    input = parseYaml(text, { prettyErrors: true });
  } catch (e) {
    throw configError('SP_CONFIG_SYNTAX', { path }, { message: `config ${path} is not valid YAML/JSON: ${(e as Error).message.split('\n')[0]}`, cause: e });
  }
  return parseConfig(input, dirname(resolve(path)), path);
}

export function isConfigError(e: unknown): e is SmartpoleError {
  return e instanceof SmartpoleError && e.code.startsWith('SP_CONFIG_');
}

export type { Config, ConfigInput };
