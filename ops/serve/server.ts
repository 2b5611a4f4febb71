/**
 * `smartpole ops serve`: one process — the store, the MQTT link, the areas, the HTTP server
 * (docs/ops-console.md). Every request goes through the same pipeline: static files, route match,
 * session, login and role, same-origin and CSRF for POST, body, handler, reply with security headers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Logger } from 'pino';
import { packageRoot } from '../../runtime/version.js';
import type { SigningKey } from '../keys.js';
import type { OpsConnection } from '../mqtt-client.js';
import { openOpsStore, closeOpsStore, type OpsDb } from './store.js';
import { allMigrations } from './migrations.js';
import { AREAS } from './areas.js';
import { pageReply, type OpsApp } from './app.js';
import { Router, errorOf, type Reply, type RequestContext } from './router.js';
import { readBody } from './body.js';
import { UserStore, hasRole, type LockoutPolicy } from './auth/users.js';
import { SessionStore, parseCookies, sameSecret, SESSION_COOKIE, type SessionPolicy } from './auth/sessions.js';
import type { ScryptCost } from './auth/passwords.js';
import { AuditLog } from './audit.js';
import { LiveHub } from './live.js';
import { MqttLink } from './link.js';
import { html, bi, notice } from './html.js';
import { serveError } from './errors.js';

export const WEB_DIR = join(packageRoot(), 'ops', 'serve', 'web');
const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };
const PRE_COOKIE = 'sp_ops_pre';

/** Sent with every response (docs/ops-console.md §Security). No inline script or style is allowed. */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export interface OpsServeOptions {
  dbFile: string;
  httpHost?: string;
  httpPort: number;
  connection: OpsConnection;
  prefix: string;
  key: SigningKey;
  logger: Logger;
  /** Add `Secure` to cookies (set when the console is reached over HTTPS through a proxy). */
  secureCookies?: boolean;
  /** QoS of the record subscriptions (default 1; docs/ops-console.md §MQTT). */
  subscribeQos?: 0 | 1;
  lockout?: LockoutPolicy;
  sessions?: SessionPolicy;
  scryptCost?: ScryptCost;
  now?: () => number;
}

export interface OpsServe {
  readonly url: string;
  readonly port: number;
  readonly app: OpsApp;
  close(): Promise<void>;
}

export async function startOpsServe(o: OpsServeOptions): Promise<OpsServe> {
  const now = o.now ?? Date.now;
  const log = o.logger.child({ service: 'ops-serve' });
  const db: OpsDb = openOpsStore(o.dbFile, allMigrations());
  const router = new Router();
  const link = new MqttLink({ connection: o.connection, prefix: o.prefix, logger: log, sessionName: `${o.dbFile}|${o.prefix}`, subscribeQos: o.subscribeQos ?? 1 });
  const app: OpsApp = {
    router, db, link, key: o.key, prefix: o.prefix, logger: log, nav: [], poleSections: [], now,
    users: new UserStore(db, now, o.lockout, o.scryptCost),
    sessions: new SessionStore(db, now, o.sessions),
    audit: new AuditLog(db, now),
    live: new LiveHub(),
    page: (c, title, body, po) => pageReply(app, c, title, body, po),
  };
  const closers = AREAS.map((a) => a.register(app)).filter((x): x is { close(): void | Promise<void> } => !!x);
  const secure = o.secureCookies ?? false;

  const server: Server = createServer((req, res) => { void handle(app, req, res, secure, log); });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.httpPort, o.httpHost ?? '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.httpPort;
  const host = o.httpHost && o.httpHost !== '0.0.0.0' && o.httpHost !== '::' ? o.httpHost : '127.0.0.1';
  link.start();
  const prune = setInterval(() => app.sessions.prune(), 60_000);
  prune.unref();
  log.info({ port, db: o.dbFile, kid: o.key.kid }, 'ops serve: listening');
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    app,
    close: async () => {
      clearInterval(prune);
      app.live.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      for (const c of closers) await c.close();
      await link.stop();
      closeOpsStore(db);
    },
  };
}

function wantsJson(req: IncomingMessage, url: URL): boolean {
  if (url.pathname.startsWith('/api/')) return true;
  const accept = String(req.headers.accept ?? '');
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** A POST must come from a page of this console: Origin (or, lacking it, Referer) names this host. */
function sameOrigin(req: IncomingMessage): boolean {
  const host = req.headers.host;
  const origin = req.headers.origin ?? (req.headers.referer ? (() => { try { return new URL(String(req.headers.referer)).origin; } catch { return 'bad'; } })() : undefined);
  if (!origin) return true; // non-browser clients (curl, tests) send neither; the CSRF token still applies
  try { return new URL(origin).host === host; } catch { return false; }
}

async function serveStatic(res: ServerResponse, name: string): Promise<void> {
  const type = TYPES[extname(name)];
  if (!type || !/^[a-z0-9][a-z0-9._-]*$/i.test(name)) { send(res, { status: 404, body: 'not found', type: 'text/plain; charset=utf-8' }); return; }
  try {
    const body = await readFile(join(WEB_DIR, name));
    send(res, { body, type, headers: { 'cache-control': 'no-cache' } });
  } catch {
    send(res, { status: 404, body: 'not found', type: 'text/plain; charset=utf-8' });
  }
}

async function handle(app: OpsApp, req: IncomingMessage, res: ServerResponse, secure: boolean, log: Logger): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://console.invalid');
  if (req.method === 'GET' && url.pathname.startsWith('/static/')) { await serveStatic(res, url.pathname.slice(8)); return; }
  const cookies = parseCookies(req.headers.cookie);
  const session = app.sessions.get(cookies[SESSION_COOKIE]);
  const user = session ? app.users.byId(session.userId) : null;
  const live = user && !user.disabled ? user : null;
  const setCookies: string[] = [];
  let pre = cookies[PRE_COOKIE];
  if (!live && !(pre && /^[A-Za-z0-9_-]{32}$/.test(pre))) {
    pre = randomBytes(24).toString('base64url');
    setCookies.push(`${PRE_COOKIE}=${pre}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`);
  }
  const c: RequestContext = {
    req, res, url, params: {}, user: live, session: live ? session : null, csrf: live ? session!.csrf : pre!,
    form: {}, formAll: {}, json: undefined, ip: req.socket.remoteAddress,
  };
  let reply: Reply;
  try {
    const m = app.router.match(req.method ?? 'GET', url.pathname);
    if (!m) throw serveError('SP_SERVE_NOT_FOUND', { path: url.pathname.slice(0, 200) });
    c.params = m.params;
    if (m.route.access !== 'public') {
      if (!c.user) {
        if (req.method === 'GET' && !wantsJson(req, url)) {
          send(res, { redirect: `/login?next=${encodeURIComponent(url.pathname + url.search)}`, headers: cookieHeader(setCookies) });
          return;
        }
        throw serveError('SP_SERVE_UNAUTHENTICATED');
      }
      if (!hasRole(c.user, m.route.access)) throw serveError('SP_SERVE_FORBIDDEN', { need: m.route.access });
    }
    if (req.method === 'POST') {
      if (!sameOrigin(req)) throw serveError('SP_SERVE_CSRF', { origin: String(req.headers.origin ?? req.headers.referer ?? '').slice(0, 100) });
      const body = await readBody(req, m.route.maxBody ?? 256 * 1024);
      c.form = body.form; c.formAll = body.formAll; c.json = body.json;
      const token = String(req.headers['x-csrf-token'] ?? c.form._csrf ?? '');
      if (!sameSecret(token, c.csrf)) throw serveError('SP_SERVE_CSRF');
    }
    reply = await m.route.handler(c);
  } catch (e) {
    const err = errorOf(e);
    if (err.status >= 500) log.error({ err: e, path: url.pathname }, 'ops serve: request failed');
    else log.info({ code: err.code, path: url.pathname, user: c.user?.username }, 'ops serve: request refused');
    reply = wantsJson(req, url) || req.method === 'POST' && String(req.headers.accept ?? '').includes('application/json')
      ? { status: err.status, json: { error: { code: err.code, message: err.message } } }
      : app.page(c, { zh: '出错了', en: 'Something went wrong' }, html`${notice('error', html`<strong>${err.code}</strong> — ${err.message}`)}
          <p><a href="/">${bi('返回首页', 'Back to the start page')}</a></p>`, { status: err.status });
  }
  if ('taken' in reply) return;
  reply.headers = { ...reply.headers, ...cookieHeader(setCookies) };
  send(res, reply);
}

function cookieHeader(cookies: string[]): Record<string, string> {
  return cookies.length ? { 'set-cookie': cookies.join('\n') } : {};
}

export function send(res: ServerResponse, r: Exclude<Reply, { taken: true }>): void {
  if (res.headersSent) return;
  const headers: Record<string, string | string[]> = { ...SECURITY_HEADERS, 'cache-control': 'no-store' };
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k] = k === 'set-cookie' ? v.split('\n') : v;
  if ('redirect' in r) {
    res.writeHead(r.status ?? 303, { ...headers, location: r.redirect });
    res.end();
  } else if ('html' in r) {
    res.writeHead(r.status ?? 200, { ...headers, 'content-type': 'text/html; charset=utf-8' });
    res.end(r.html);
  } else if ('json' in r) {
    res.writeHead(r.status ?? 200, { ...headers, 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(r.json));
  } else {
    res.writeHead(r.status ?? 200, { ...headers, 'content-type': r.type });
    res.end(r.body);
  }
}
