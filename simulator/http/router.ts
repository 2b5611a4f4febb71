/**
 * A small JSON router for the simulator's HTTP API (docs/simulator.md §HTTP API). Handlers return
 * a reply; errors become `{"error": {"code", "message"}}` with a status, never a crash.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Reply =
  | { status?: number; json: unknown }
  | { status?: number; body: Buffer | string; type: string; headers?: Record<string, string> };

export type Handler = (req: IncomingMessage, body: unknown, url: URL) => Promise<Reply> | Reply;

export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const MAX_BODY = 64 * 1024;

/**
 * Keep-alive race fix (see server.ts): responses tell clients `Keep-Alive: timeout=5`, so undici
 * (Node's fetch) drops an idle socket after 4 s and browsers sooner, while the server keeps it 60 s.
 * Setting `connection` ourselves stops Node from advertising its own (longer) timeout.
 */
export const KEEP_ALIVE_HEADERS = { connection: 'keep-alive', 'keep-alive': 'timeout=5' } as const;

async function readJson(req: IncomingMessage): Promise<unknown> {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req) {
    n += (c as Buffer).length;
    if (n > MAX_BODY) throw new HttpError(413, 'SP_HTTP_TOO_LARGE', `body over ${MAX_BODY} bytes`);
    chunks.push(c as Buffer);
  }
  if (n === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'SP_HTTP_BAD_JSON', 'body is not JSON');
  }
}

export class Router {
  private readonly routes = new Map<string, Handler>();

  add(method: 'GET' | 'POST', path: string, h: Handler): this {
    this.routes.set(`${method} ${path}`, h);
    return this;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const h = this.routes.get(`${req.method} ${url.pathname}`);
    try {
      if (!h) throw new HttpError(404, 'SP_HTTP_NOT_FOUND', `no route ${req.method} ${url.pathname}`);
      const reply = await h(req, await readJson(req), url);
      send(res, reply);
    } catch (e) {
      const he = e instanceof HttpError ? e : new HttpError(500, 'SP_HTTP_INTERNAL', (e as Error).message);
      send(res, { status: he.status, json: { error: { code: he.code, message: he.message } } });
    }
  }
}

function send(res: ServerResponse, r: Reply): void {
  if ('json' in r) {
    const body = JSON.stringify(r.json);
    res.writeHead(r.status ?? 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...KEEP_ALIVE_HEADERS });
    res.end(body);
  } else {
    res.writeHead(r.status ?? 200, { 'content-type': r.type, 'cache-control': 'no-store', ...KEEP_ALIVE_HEADERS, ...r.headers });
    res.end(r.body);
  }
}
