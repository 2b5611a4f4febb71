/**
 * `config show [key] | set <key> <value>` (docs/console.md §Commands). `show` prints the running
 * config with secrets redacted and lists what the file changed that waits for a restart. `set`
 * validates with the zod schema, saves the YAML file keeping its comments, and applies the key at once
 * when a service registered it as live (runtime/console/live-config.ts); otherwise it says to `reboot`.
 */
import { stringify as toYaml } from 'yaml';
import { deepFreeze } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { ConfigEditor, getPath, keyPath, withPath } from '../config-editor.js';
import { REDACTED, isSecretKey, redactConfig, redactText } from '../../config/secrets.js';
import type { ConsoleEnv } from '../env.js';
import { consoleError } from '../errors.js';
import type { ConsoleModule } from './module.js';

function leaves(o: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (o && typeof o === 'object' && !Array.isArray(o)) {
    for (const [k, v] of Object.entries(o)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, JSON.stringify(o));
  return out;
}

/** A JSON leaf for people: strings without quotes. */
function plain(json: string): string {
  try {
    const v: unknown = JSON.parse(json);
    return typeof v === 'string' ? v : json;
  } catch {
    return json;
  }
}

/** Keys whose file value differs from the running value (they take effect after a restart). */
export function pendingRestart(env: ConsoleEnv): { key: string; file: string; running: string }[] {
  if (!env.configFile) return [];
  let file: Readonly<Config>;
  try { file = new ConfigEditor(env.configFile).readFile(); } catch { return []; }
  const a = leaves(redactConfig(file));
  const b = leaves(redactConfig(env.running.get()));
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).sort().map((k) => ({ key: k, file: a.get(k) ?? '(absent)', running: b.get(k) ?? '(absent)' }));
}

/** Config keys for Tab completion. */
function configKeys(env: () => ConsoleEnv | null): () => string[] {
  return () => {
    const e = env();
    return e ? [...leaves(e.running.get()).keys()] : [];
  };
}

export function configModule(env: () => ConsoleEnv | null): ConsoleModule {
  return {
    command: {
      name: 'config', level: 'tech', summary: 'show the running config (secrets redacted), or change one key', defaultSub: 'show',
      subcommands: [
        {
          name: 'show', level: 'tech', usage: '[key]', summary: 'the running config, or the part under key (e.g. config show devices.console)',
          args: [{ name: 'key', values: configKeys(env) }],
          run(ctx, a) {
            const e = ctx.env;
            const key = a.positionals[0];
            const red = redactConfig(e.running.get());
            const part = key ? getPath(red, keyPath(key)) : red;
            if (part === undefined) throw consoleError('SP_CONSOLE_NOT_FOUND', { key }, { message: `no config key "${key}" is set (docs/configuration.md lists them)` });
            const pending = pendingRestart(e).filter((p) => !key || p.key === key || p.key.startsWith(`${key}.`));
            const yaml = toYaml(key ? { [key]: part } : part, { lineWidth: 0 }).trimEnd().split('\n');
            return {
              result: { key: key ?? null, value: part, file: e.configFile, pendingRestart: pending },
              text: [
                `# running config${key ? ` under ${key}` : ''}; secrets redacted${e.configFile ? `; file ${e.configFile}` : ''}`,
                ...yaml,
                ...(pending.length ? ['', ctx.paint(`Saved in the file, waiting for a restart (reboot):`, 'yellow'), ...pending.map((p) => `  ${p.key}: ${plain(p.running)} now → ${plain(p.file)} after restart`)] : []),
              ],
            };
          },
        },
        {
          name: 'set', level: 'tech', usage: '<key> <value>', summary: 'validate, save to the config file (comments kept), and apply',
          args: [{ name: 'key', required: true, values: configKeys(env) }, { name: 'value', required: true, rest: true }],
          help: [
            'The value is read as YAML: 30, true, debug, [a, b]. Words after the key form the value, so',
            '`config set pole.location.address 武汉市 江岸区` needs no quotes. The whole file is checked',
            'against the schema before it is written; a bad value changes nothing.',
            'Live (no restart): devices.console.idleLogoutSec, .color, .pinHash, .maxPinAttempts,',
            '.lockoutBaseSec, .lockoutMaxSec, and keys other services register. Everything else is',
            'saved and takes effect after `reboot`; `config show` lists what waits.',
          ],
          redact: (words) => (words[0] && isSecretKey(words[0]) ? [words[0], REDACTED] : redactText(words.join(' ')).split(' ')),
          run(ctx, a) {
            const e = ctx.env;
            const [key, ...rest] = a.positionals as [string, ...string[]];
            const path = keyPath(key);
            const running = getPath(e.running.get(), path);
            const change = new ConfigEditor(e.configFile).set(key, rest.join(' '));
            const live = e.liveConfig.apply(key, change.config);
            if (live) e.running.set(deepFreeze(withPath(e.running.get(), path, change.after)));
            change.before ??= running;
            const show = (v: unknown) => (isSecretKey(key) ? '[redacted]' : v === undefined ? '(not set)' : typeof v === 'string' ? v : JSON.stringify(v));
            return {
              result: { key, before: isSecretKey(key) ? '[redacted]' : change.before ?? null, after: isSecretKey(key) ? '[redacted]' : change.after, file: e.configFile, live, restartNeeded: !live },
              text: [
                `${key}: ${show(change.before)} → ${show(change.after)}`,
                live ? `Saved to ${e.configFile} and ${ctx.paint('applied now', 'green')}.` : `Saved to ${e.configFile}. ${ctx.paint('Takes effect after a restart', 'yellow')}: type reboot.`,
              ],
            };
          },
        },
      ],
    },
  };
}
