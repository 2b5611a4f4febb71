/**
 * Shared output pieces for console commands: generic rendering of results the console does not
 * know the shape of (other areas' `*.status` through the CommandRegistry), health words, and
 * cancellation/timeouts for device calls.
 */
import { statusStyle, type Painter } from '../../protocols/console/ansi.js';
import { formatFields, formatTable } from '../../protocols/console/table.js';
import { flattenForDisplay, formatValue, unitForKey } from '../../protocols/console/units.js';
import { SmartpoleError } from '../../protocols/errors.js';
import { consoleError } from './errors.js';

/**
 * Any JSON value for a human: an object becomes aligned fields (nested keys dotted, units from the
 * key names), an array of objects a table, anything else one line.
 */
export function renderGeneric(v: unknown, paint: Painter): string[] {
  if (Array.isArray(v) && v.length && v.every((x) => x && typeof x === 'object' && !Array.isArray(x))) {
    const rows = v as Record<string, unknown>[];
    const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))].slice(0, 8);
    return formatTable(cols.map((c) => ({ title: columnTitle(c), style: statusStyle })), rows.map((r) => cols.map((c) => formatValue(c, r[c]))), { paint });
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    return formatFields(flattenForDisplay(v as Record<string, unknown>).map(([k, s]) => [k, s, statusStyle(s)]), { paint });
  }
  return [formatValue('', v)];
}

/** `currentA` → "CURRENT", `rsrpDbm` → "RSRP": the unit shows in each cell instead. */
export function columnTitle(key: string): string {
  const bare = unitForKey(key) ? key.replace(/(Pct|Percent|Dbm|Db|KWh|Wh|Kw|W|Ma|A|Mv|V|Celsius|C|Lux|Hz|Ms|Sec|Seconds|S|Min|Minutes|Hours|H|Bytes|Mm|Px|Baud)$/i, '') : key;
  return (bare || key).replace(/([a-z0-9])([A-Z])/g, '$1 $2').toUpperCase();
}

/** Rejects with SP_CONSOLE_CANCELLED on abort and SP_CONSOLE_TIMEOUT after `ms`. */
export function withCancel<T>(p: Promise<T>, signal: AbortSignal, ms: number, what: string): Promise<T> {
  p.catch(() => { /* if we give up on it, its late failure must not become an unhandled rejection */ });
  if (signal.aborted) return Promise.reject(consoleError('SP_CONSOLE_CANCELLED', { what }, { message: `${what}: cancelled` }));
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => { cleanup(); reject(consoleError('SP_CONSOLE_TIMEOUT', { what, ms }, { message: `${what}: no answer within ${ms / 1000} s` })); }, ms);
    const onAbort = () => { cleanup(); reject(consoleError('SP_CONSOLE_CANCELLED', { what }, { message: `${what}: cancelled` })); };
    const cleanup = () => { clearTimeout(timer); signal.removeEventListener('abort', onAbort); };
    signal.addEventListener('abort', onAbort, { once: true });
    p.then((v) => { cleanup(); resolve(v); }, (e: unknown) => { cleanup(); reject(e); });
  });
}

/** Sleeps `ms` unless cancelled. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return withCancel(new Promise<void>((r) => setTimeout(r, ms)), signal, ms + 1000, 'wait');
}

export function asSmartpoleError(e: unknown): SmartpoleError {
  if (e instanceof SmartpoleError) return e;
  const code = e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string' && /^SP_/.test((e as { code: string }).code)
    ? (e as { code: string }).code : 'SP_INTERNAL';
  return new SmartpoleError(code, (e as Error)?.message ?? String(e));
}
