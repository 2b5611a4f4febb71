/**
 * The console's router (docs/ops-console.md §Routes): method + path pattern (`/poles/:id`) → handler,
 * with the role each route needs. Before a handler runs: the session is read from its cookie, a page
 * without a login redirects to /login, a role too low is refused, and every POST must carry the
 * session's CSRF token (form field `_csrf` or header `x-csrf-token`) from a same-origin page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SmartpoleError } from '../../protocols/errors.js';
import { serveError, SERVE_STATUS, type ServeErrorCode } from './errors.js';
import type { Role, User } from './auth/users.js';
import type { Session } from './auth/sessions.js';

export type Reply =
  | { status?: number; html: string; headers?: Record<string, string> }
  | { status?: number; json: unknown; headers?: Record<string, string> }
  | { status?: number; body: Buffer | string; type: string; headers?: Record<string, string> }
  | { redirect: string; status?: 303 | 302; headers?: Record<string, string> }
  /** The handler wrote the response itself (a live feed). */
  | { taken: true };

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  user: User | null;
  session: Session | null;
  /** The token forms on this page must carry (the session's, or the pre-login cookie's). */
  csrf: string;
  /** Form fields (urlencoded or multipart-free JSON object flattened to strings); repeated fields: the last. */
  form: Record<string, string>;
  /** Every value of a repeated form field (checkbox groups). */
  formAll: Record<string, string[]>;
  /** The parsed JSON body, when the request sent JSON. */
  json: unknown;
  ip: string | undefined;
}

/** Who may call a route: `public` (no login), or the least role. */
export type Access = 'public' | Role;

export type Handler = (c: RequestContext) => Promise<Reply> | Reply;

export interface Route {
  method: 'GET' | 'POST';
  segments: string[];
  access: Access;
  handler: Handler;
  /** Body limit in bytes (default 256 KiB; CAP uploads set more). */
  maxBody?: number;
}

export class Router {
  readonly routes: Route[] = [];

  get(path: string, access: Access, handler: Handler): this {
    return this.add('GET', path, access, handler);
  }

  post(path: string, access: Access, handler: Handler, o: { maxBody?: number } = {}): this {
    return this.add('POST', path, access, handler, o.maxBody);
  }

  add(method: 'GET' | 'POST', path: string, access: Access, handler: Handler, maxBody?: number): this {
    const segments = path.split('/').filter(Boolean);
    const shape = (segs: string[]) => segs.map((x) => (x.startsWith(':') ? ':' : x)).join('/');
    if (this.routes.some((r) => r.method === method && shape(r.segments) === shape(segments))) throw new Error(`route ${method} ${path} is registered twice`);
    this.routes.push({ method, segments, access, handler, ...(maxBody ? { maxBody } : {}) });
    return this;
  }

  /** The route and its path parameters; literal segments win over `:param` ones. */
  match(method: string, pathname: string): { route: Route; params: Record<string, string> } | null {
    const parts = pathname.split('/').filter(Boolean);
    let best: { route: Route; params: Record<string, string>; literals: number } | null = null;
    for (const r of this.routes) {
      if (r.method !== (method === 'HEAD' ? 'GET' : method) || r.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let literals = 0;
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const s = r.segments[i]!;
        if (s.startsWith(':')) {
          try { params[s.slice(1)] = decodeURIComponent(parts[i]!); } catch { ok = false; break; }
        } else if (s === parts[i]) literals++;
        else { ok = false; break; }
      }
      if (ok && (!best || literals > best.literals)) best = { route: r, params, literals };
    }
    return best ? { route: best.route, params: best.params } : null;
  }
}

/** An error as the console answers it: status, code, message (no stack, no detail that could leak). */
export function errorOf(e: unknown): { status: number; code: ServeErrorCode | string; message: string } {
  if (e instanceof SmartpoleError) {
    const status = (SERVE_STATUS as Record<string, number>)[e.code] ?? 400;
    return { status, code: e.code, message: e.message };
  }
  return { status: 500, code: 'SP_SERVE_INTERNAL', message: serveError('SP_SERVE_INTERNAL').message };
}

/** A required, trimmed form field, or SP_SERVE_BAD_REQUEST naming it. */
export function field(c: RequestContext, name: string, o: { max?: number; optional?: boolean } = {}): string {
  const v = (c.form[name] ?? '').trim();
  if (!v && !o.optional) throw serveError('SP_SERVE_BAD_REQUEST', { field: name }, { message: `the field "${name}" is required` });
  if (v.length > (o.max ?? 4000)) throw serveError('SP_SERVE_BAD_REQUEST', { field: name }, { message: `the field "${name}" is longer than ${o.max ?? 4000} characters` });
  return v;
}
