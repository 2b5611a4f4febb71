import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Router } from './router.js';
import { parseBody } from './body.js';
import { safeNext } from './core/login.js';
import { html, raw } from './html.js';

describe('router, body, html', () => {
  it('matches params (decoded), prefers literal segments, refuses duplicates', () => {
    const r = new Router();
    r.get('/notices/:id', 'editor', () => ({ json: 1 })).get('/notices/new', 'editor', () => ({ json: 2 })).post('/notices/:id/withdraw', 'editor', () => ({ json: 3 }));
    expect(r.match('GET', '/notices/new')!.route.segments).toEqual(['notices', 'new']);
    expect(r.match('GET', '/notices/n%2D1')!.params).toEqual({ id: 'n-1' });
    expect(r.match('HEAD', '/notices/x')).not.toBeNull();
    expect(r.match('GET', '/notices/x/withdraw')).toBeNull();
    expect(r.match('GET', '/notices/%E0%A4%A')).toBeNull();
    expect(() => r.get('/notices/:other', 'editor', () => ({ json: 0 }))).toThrow(/twice/);
  });
  it('parses forms (repeated fields) and JSON; refuses other types', () => {
    expect(parseBody('application/x-www-form-urlencoded', Buffer.from('a=1&g=x&g=y&t=%E4%B8%AD'))).toMatchObject({ form: { a: '1', g: 'y', t: '中' }, formAll: { g: ['x', 'y'] } });
    expect(parseBody('application/json; charset=utf-8', Buffer.from('{"a":1,"g":["x"]}')).form).toEqual({ a: '1', g: 'x' });
    expect(() => parseBody('application/json', Buffer.from('{'))).toThrow(expect.objectContaining({ code: 'SP_SERVE_BAD_REQUEST' }));
    expect(() => parseBody('multipart/form-data', Buffer.from(''))).toThrow(expect.objectContaining({ code: 'SP_SERVE_BAD_REQUEST' }));
    fc.assert(fc.property(fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain'), fc.uint8Array({ maxLength: 200 }), (t, b) => {
      try { parseBody(t, Buffer.from(b)); } catch (e) { expect((e as { code?: string }).code).toBe('SP_SERVE_BAD_REQUEST'); }
    }), { numRuns: 500 });
  });
  it('escapes every interpolated value unless raw', () => {
    expect(html`<p title="${'"><script>'}">${'<b>&'}${raw('<i>')}${[1, html`<u>${'<'}</u>`]}</p>`.s).toBe('<p title="&quot;&gt;&lt;script&gt;">&lt;b&gt;&amp;<i>1<u>&lt;</u></p>');
  });
  it('redirects after login only to a path of this console', () => {
    expect(safeNext('/fleet?group=a')).toBe('/fleet?group=a');
    for (const bad of ['//evil.example/', '/\\evil.example', 'https://evil.example', '/login', null, 'javascript:alert(1)']) expect(safeNext(bad)).toBe('/');
  });
});
