/** Request bodies: urlencoded forms and JSON, with a size limit (SP_SERVE_TOO_LARGE, SP_SERVE_BAD_REQUEST). */
import type { IncomingMessage } from 'node:http';
import { serveError } from './errors.js';

export interface ParsedBody {
  form: Record<string, string>;
  formAll: Record<string, string[]>;
  json: unknown;
}

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<ParsedBody> {
  const empty: ParsedBody = { form: {}, formAll: {}, json: undefined };
  if (req.method === 'GET' || req.method === 'HEAD') return empty;
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw serveError('SP_SERVE_TOO_LARGE', { limit: maxBytes });
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req) {
    n += (c as Buffer).length;
    if (n > maxBytes) throw serveError('SP_SERVE_TOO_LARGE', { limit: maxBytes });
    chunks.push(c as Buffer);
  }
  return parseBody(String(req.headers['content-type'] ?? ''), Buffer.concat(chunks));
}

/** Parses a body by its content type; never throws anything but SP_SERVE_BAD_REQUEST. */
export function parseBody(contentType: string, buf: Buffer): ParsedBody {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const text = buf.toString('utf8');
  if (type === 'application/json') {
    if (!text) return { form: {}, formAll: {}, json: undefined };
    let json: unknown;
    try { json = JSON.parse(text); } catch { throw serveError('SP_SERVE_BAD_REQUEST', undefined, { message: 'the body is not JSON' }); }
    const form: Record<string, string> = {};
    const formAll: Record<string, string[]> = {};
    if (json && typeof json === 'object' && !Array.isArray(json)) {
      for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') { form[k] = String(v); formAll[k] = [String(v)]; }
        else if (Array.isArray(v)) { formAll[k] = v.map(String); form[k] = String(v.at(-1) ?? ''); }
      }
    }
    return { form, formAll, json };
  }
  if (type === 'application/x-www-form-urlencoded' || type === '') {
    const form: Record<string, string> = {};
    const formAll: Record<string, string[]> = {};
    for (const [k, v] of new URLSearchParams(text)) {
      form[k] = v;
      (formAll[k] ??= []).push(v);
    }
    return { form, formAll, json: undefined };
  }
  throw serveError('SP_SERVE_BAD_REQUEST', { contentType: type }, { message: `cannot read a ${type} body (send a form or JSON)` });
}
