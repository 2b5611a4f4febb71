/**
 * Who may talk to the simulator's HTTP API (docs/security.md; docs/simulator.md §HTTP API): the
 * sim holds a signing key, so a web page open in the developer's browser must not be able to make
 * it sign or change anything.
 * - Host must be the address the sim listens on (DNS rebinding: a foreign name resolving to
 *   127.0.0.1 carries its own Host).
 * - Origin, when sent (browsers send it on every cross-origin request and every POST), must be
 *   the sim's own.
 * - A request body must not be a form encoding (`application/x-www-form-urlencoded`,
 *   `multipart/form-data`): an HTML form on any site can send those without JavaScript. JSON and
 *   `text/plain` (what `fetch` labels a string body) are read as JSON.
 * - Anything that changes state or signs (every POST) carries the per-run token: header
 *   `x-smartpole-token`, from `<data dir>/sim.json` (mode 0600) or the viewer page that served it.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from './router.js';

export const TOKEN_HEADER = 'x-smartpole-token';

export interface GuardOptions {
  /** Host header values accepted, e.g. 127.0.0.1:8080, localhost:8080. */
  hosts: readonly string[];
  token: string;
}

export function allowedHosts(host: string, port: number): string[] {
  const names = new Set([host, '127.0.0.1', 'localhost', '[::1]']);
  return [...names].map((n) => `${n}:${port}`);
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The refusal for this request, or null when it may proceed. */
export function guardRequest(method: string, headers: IncomingHttpHeaders, o: GuardOptions): HttpError | null {
  const host = headers.host ?? '';
  if (!o.hosts.includes(host.toLowerCase())) return new HttpError(403, 'SP_HTTP_FORBIDDEN', `Host "${host.slice(0, 100)}" is not this simulator`);
  const origin = headers.origin;
  if (origin !== undefined && origin !== 'null' && !o.hosts.some((h) => origin === `http://${h}`)) {
    return new HttpError(403, 'SP_HTTP_FORBIDDEN', `Origin "${origin.slice(0, 100)}" may not use this simulator`);
  }
  if (origin === 'null') return new HttpError(403, 'SP_HTTP_FORBIDDEN', 'an opaque Origin may not use this simulator');
  if (method === 'GET' || method === 'HEAD') return null;
  const type = headers['content-type'];
  if (type !== undefined && !/^(application\/json|text\/plain)\s*(;|$)/i.test(type)) return new HttpError(415, 'SP_HTTP_CONTENT_TYPE', `content-type "${type.slice(0, 60)}": send application/json`);
  const token = headers[TOKEN_HEADER];
  if (typeof token !== 'string' || !sameToken(token, o.token)) {
    return new HttpError(401, 'SP_HTTP_TOKEN', `${TOKEN_HEADER} missing or wrong: it is in <data dir>/sim.json (the viewer page sends it itself)`);
  }
  return null;
}
