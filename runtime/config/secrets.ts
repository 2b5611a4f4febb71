/**
 * Which configuration values are secrets, and how to show a config without them (docs/configuration.md:
 * no secrets in logs; the MQTT `config.get`, the console's `config show|set` and its audit). One list
 * for every place that shows or records config, so they cannot drift apart.
 */

/** Config keys (last path segment) whose values are secrets anywhere in the config. */
export const SECRET_NAMES: ReadonlySet<string> = new Set(['password', 'apnPassword', 'simPin', 'pinHash', 'privateKey', 'secret', 'token']);

export const REDACTED = '[redacted]';

/** `devices.modem.simPin` → true: the value is a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_NAMES.has(key.split('.').at(-1) ?? '');
}

/** mqtt://user:secret@host → mqtt://user:[redacted]@host */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]+):[^@/\s]*@/i, `$1:${REDACTED}@`);
}

/**
 * A deep copy with every secret replaced by "[redacted]" (unset secrets stay absent) and
 * passwords inside URLs (`mqtt.url` may carry one) removed.
 */
export function redactConfig<T>(v: T): T {
  return redact(v) as T;
}

function redact(v: unknown): unknown {
  if (typeof v === 'string') return redactUrl(v);
  if (Array.isArray(v)) return v.map(redact);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, SECRET_NAMES.has(k) && x !== undefined ? REDACTED : redact(x)]));
  }
  return v;
}

/**
 * Free text that may hold secrets (a console line such as `config set devices.modem
 * {apn: cmnet, apnPassword: x}` or `config set mqtt.url mqtt://u:pw@h`): URL passwords and
 * `name: value` / `name=value` pairs of secret names are replaced.
 */
export function redactText(text: string): string {
  const names = [...SECRET_NAMES].join('|');
  return text
    .split(/(\s+)/).map(redactUrl).join('')
    .replace(new RegExp(`(["']?\\b(?:${names})\\b["']?\\s*[:=]\\s*)("[^"]*"|'[^']*'|[^,}\\]\\s]+)`, 'g'), `$1${REDACTED}`);
}
