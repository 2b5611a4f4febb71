/**
 * `smartpole ops serve [--mqtt-url …] [--db FILE] [--http-port N] [--http-host H] [--key FILE]
 * [--init-admin NAME [--admin-password-file F]]` (docs/ops-console.md §Starting). Broker, prefix and
 * key default to the running sim's, as for every ops command.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino, type Logger } from 'pino';
import { OpsUsageError, resolveContext } from '../context.js';
import { DEFAULT_DATA_DIR } from '../sim-discovery.js';
import { startOpsServe, type OpsServe } from './server.js';
import { MIN_PASSWORD_LENGTH } from './auth/passwords.js';
import type { UserStore } from './auth/users.js';

export const SERVE_USAGE = `usage: smartpole ops serve [flags]
  --mqtt-url URL[,URL…]   broker(s) (default: the running sim's)
  --db FILE               the console's SQLite store (default <sim data dir or ./.smartpole>/ops-console.db)
  --http-port N           web port (default 8090; 0 = any free port)
  --http-host H           listen address (default 127.0.0.1; put TLS in front before using another)
  --key FILE              the signing key (default: the running sim's dev key)
  --init-admin NAME       create this administrator if no user of that name exists; the password is read
                          from --admin-password-file, else $SMARTPOLE_OPS_ADMIN_PASSWORD, else generated and
                          written to <db dir>/ops-admin-password (mode 0600)
  --admin-password-file F the first administrator's password (one line, ≥ ${MIN_PASSWORD_LENGTH} characters)
  --secure-cookies        mark cookies Secure (the console is reached over HTTPS through a proxy)
  --subscribe-qos 0|1     QoS of the record subscriptions (default 1; 0 on a NATS cluster: docs/ops-console.md §MQTT)
  --prefix P --username U --password P --ca F --cert F --client-key F --data-dir DIR   as for every ops command`;

const OPTIONS = {
  'mqtt-url': { type: 'string' }, key: { type: 'string' }, prefix: { type: 'string' }, 'data-dir': { type: 'string' },
  username: { type: 'string' }, password: { type: 'string' }, ca: { type: 'string' }, cert: { type: 'string' }, 'client-key': { type: 'string' },
  db: { type: 'string' }, 'http-port': { type: 'string' }, 'http-host': { type: 'string' }, 'init-admin': { type: 'string' },
  'admin-password-file': { type: 'string' }, 'secure-cookies': { type: 'boolean' }, 'subscribe-qos': { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

/** Creates the first administrator when asked; returns a line for the operator (never the password itself). */
export async function initAdmin(users: UserStore, name: string, o: { passwordFile?: string | undefined; env?: string | undefined; dbFile: string }): Promise<string> {
  if (users.byName(name)) return `administrator ${name} exists already (nothing changed)`;
  let password = o.passwordFile ? readFileSync(o.passwordFile, 'utf8').split('\n')[0]!.trim() : o.env?.trim();
  let where = o.passwordFile ? `the password in ${o.passwordFile}` : 'the password in $SMARTPOLE_OPS_ADMIN_PASSWORD';
  if (!password) {
    password = randomBytes(12).toString('base64url');
    const file = join(o.dbFile === ':memory:' ? '.' : dirname(o.dbFile), 'ops-admin-password');
    writeFileSync(file, `${password}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    where = `the password written to ${file} (mode 0600; change it after logging in)`;
  }
  await users.create({ username: name, displayName: name, role: 'administrator', password });
  return `created administrator ${name} with ${where}`;
}

export interface ServeRun { serve: OpsServe; stop(): Promise<void> }

export async function runServe(argv: string[], out: (s: string) => void, logger?: Logger): Promise<ServeRun> {
  const v = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  const ctx = resolveContext(v);
  const port = Number(v['http-port'] ?? 8090);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new OpsUsageError('--http-port must be a port number 0–65535');
  const qos = v['subscribe-qos'] ?? '1';
  if (qos !== '0' && qos !== '1') throw new OpsUsageError('--subscribe-qos must be 0 or 1');
  const dataDir = ctx.sim?.dataDir ?? resolve(DEFAULT_DATA_DIR);
  const dbFile = resolve(v.db ?? join(dataDir, 'ops-console.db'));
  if (v['admin-password-file'] && !existsSync(v['admin-password-file'])) throw new OpsUsageError(`--admin-password-file ${v['admin-password-file']} does not exist`);
  const log = logger ?? pino({ level: process.env.SMARTPOLE_LOG_LEVEL ?? 'info' }, pino.destination(2));
  const serve = await startOpsServe({
    dbFile, httpPort: port, httpHost: v['http-host'], connection: ctx.connection, prefix: ctx.prefix, key: ctx.key(), logger: log,
    secureCookies: v['secure-cookies'] ?? false, subscribeQos: qos === '0' ? 0 : 1,
  });
  if (v['init-admin']) out(await initAdmin(serve.app.users, v['init-admin'], { passwordFile: v['admin-password-file'], env: process.env.SMARTPOLE_OPS_ADMIN_PASSWORD, dbFile }));
  if (serve.app.users.count() === 0) out('no users yet: restart with --init-admin NAME to create the first administrator (docs/ops-console.md §Users)');
  out(`ops console  ${serve.url}  (store ${dbFile}, broker ${ctx.connection.url.split(',').length > 1 ? 'cluster' : 'single'}, key ${serve.app.key.kid})`);
  return { serve, stop: () => serve.close() };
}

export async function serveMain(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { out(SERVE_USAGE); return 0; }
  let run: ServeRun;
  try {
    run = await runServe(argv, out);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    err(`smartpole ops serve: ${typeof code === 'string' && code.startsWith('SP_') ? `${code}: ` : ''}${(e as Error).message}${e instanceof OpsUsageError || (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? `\n${SERVE_USAGE}` : ''}`);
    return e instanceof OpsUsageError || String(code).startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  }
  await new Promise<void>((r) => { process.once('SIGINT', () => r()); process.once('SIGTERM', () => r()); });
  await run.stop();
  return 0;
}
