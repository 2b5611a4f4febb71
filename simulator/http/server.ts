/**
 * The simulator's HTTP server: the JSON API, the web viewer's static files, and a WebSocket
 * (`/api/ws`) that pushes live updates. Listens on loopback with the same port fallback as the broker.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import { listenWithFallback } from '../broker.js';
import { KEEP_ALIVE_HEADERS, Router, type Reply } from './router.js';
import { allowedHosts, guardRequest } from './guard.js';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.png': 'image/png', '.svg': 'image/svg+xml' };

/** How long the server keeps an idle keep-alive socket. */
const KEEP_ALIVE_MS = 60_000;

export interface SimHttpServer {
  readonly port: number;
  readonly url: string;
  readonly router: Router;
  broadcast(msg: unknown): void;
  onConnection(cb: (ws: WebSocket) => void): void;
  close(): Promise<void>;
}

export async function startHttpServer(o: { host?: string; port: number; webRoot: string; logger: Logger; say: (m: string) => void; token: string }): Promise<SimHttpServer> {
  const host = o.host ?? '127.0.0.1';
  const log = o.logger.child({ service: 'sim-http' });
  const router = new Router();
  let hosts: string[] = [];
  const serveStatic = async (path: string): Promise<Reply | null> => {
    const rel = normalize(path === '/' ? '/index.html' : path).replace(/^(\.\.[/\\])+/, '');
    const type = TYPES[extname(rel)];
    if (!type) return null;
    try {
      const body = await readFile(join(o.webRoot, rel));
      // The viewer page carries the per-run token so its own POSTs pass the guard; other origins cannot read it.
      return { body: rel.endsWith('.html') ? body.toString('utf8').replace('__SMARTPOLE_TOKEN__', o.token) : body, type };
    } catch {
      return null;
    }
  };
  const server: Server = createServer((req, res) => {
    const refused = guardRequest(req.method ?? 'GET', req.headers, { hosts, token: o.token });
    if (refused) {
      log.warn({ method: req.method, url: req.url?.slice(0, 200), host: req.headers.host, origin: req.headers.origin, code: refused.code }, 'HTTP request refused');
      res.writeHead(refused.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...KEEP_ALIVE_HEADERS });
      res.end(JSON.stringify({ error: { code: refused.code, message: refused.message } }));
      return;
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'GET' && !path.startsWith('/api/')) {
      void serveStatic(path).then((r) => {
        if (!r || !('body' in r)) { res.writeHead(404, { 'content-type': 'text/plain', ...KEEP_ALIVE_HEADERS }); res.end('not found'); return; }
        res.writeHead(200, { 'content-type': r.type, 'cache-control': 'no-store', ...KEEP_ALIVE_HEADERS });
        res.end(r.body);
      });
      return;
    }
    void router.handle(req, res);
  });
  // Keep-alive race (a client reusing a socket in the instant the server closes it gets "other
  // side closed"): the server keeps idle sockets far longer than it tells clients to
  // (KEEP_ALIVE_HINT), so a client always gives a socket up first. headersTimeout must exceed
  // keepAliveTimeout, or a slow first request on a reused socket is cut.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 5_000;
  const port = await listenWithFallback(server, host, o.port, 'web viewer', log, o.say);
  hosts = allowedHosts(host, port);
  // Created after listen(): a WebSocketServer re-emits the HTTP server's listen errors as its own.
  // permessage-deflate (level 1: cheap on a shared CPU): screen updates are flat UI colours and shrink a lot.
  const wss = new WebSocketServer({ server, path: '/api/ws', verifyClient: ({ req }: { req: import('node:http').IncomingMessage }) => guardRequest('GET', req.headers, { hosts, token: o.token }) === null, maxPayload: 64 * 1024, perMessageDeflate: { zlibDeflateOptions: { level: 1 }, threshold: 1024 } });
  wss.on('error', (e) => log.warn({ err: e.message }, 'websocket server error'));
  const connectionHandlers: ((ws: WebSocket) => void)[] = [];
  wss.on('connection', (ws) => {
    ws.on('error', (e) => log.debug({ err: e.message }, 'websocket error'));
    for (const h of connectionHandlers) h(ws);
  });
  return {
    port,
    url: `http://${host}:${port}`,
    router,
    broadcast(msg) {
      const s = JSON.stringify(msg);
      for (const c of wss.clients) if (c.readyState === c.OPEN && c.bufferedAmount < 4 * 1024 * 1024) c.send(s);
    },
    onConnection(cb) { connectionHandlers.push(cb); },
    close: () => new Promise<void>((r) => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
