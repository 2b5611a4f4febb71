import { describe, expect, it } from 'vitest';
import { allowedHosts, guardRequest, TOKEN_HEADER } from './guard.js';

const o = { hosts: allowedHosts('127.0.0.1', 8080), token: 't0ken-abc' };
const code = (method: string, h: Record<string, string>) => guardRequest(method, h, o)?.code ?? 'ok';

describe('the sim HTTP guard', () => {
  it('lets the sim’s own viewer and local tools in, with the token for anything that changes state', () => {
    expect(code('GET', { host: '127.0.0.1:8080' })).toBe('ok');
    expect(code('GET', { host: 'localhost:8080', origin: 'http://localhost:8080' })).toBe('ok');
    expect(code('POST', { host: '127.0.0.1:8080', origin: 'http://127.0.0.1:8080', 'content-type': 'application/json', [TOKEN_HEADER]: 't0ken-abc' })).toBe('ok');
    expect(code('POST', { host: '127.0.0.1:8080', [TOKEN_HEADER]: 't0ken-abc' })).toBe('ok');
    expect(code('POST', { host: '127.0.0.1:8080', 'content-type': 'text/plain;charset=UTF-8', [TOKEN_HEADER]: 't0ken-abc' })).toBe('ok');
  });

  it('refuses foreign hosts (DNS rebinding), foreign or opaque origins, non-JSON bodies and a missing or wrong token', () => {
    expect(code('GET', { host: 'evil.example:8080' })).toBe('SP_HTTP_FORBIDDEN');
    expect(code('GET', { host: '127.0.0.1:8080', origin: 'https://evil.example' })).toBe('SP_HTTP_FORBIDDEN');
    expect(code('POST', { host: '127.0.0.1:8080', origin: 'null', [TOKEN_HEADER]: 't0ken-abc' })).toBe('SP_HTTP_FORBIDDEN');
    expect(code('POST', { host: '127.0.0.1:8080', 'content-type': 'multipart/form-data; boundary=x', [TOKEN_HEADER]: 't0ken-abc' })).toBe('SP_HTTP_CONTENT_TYPE');
    expect(code('POST', { host: '127.0.0.1:8080', 'content-type': 'application/x-www-form-urlencoded', [TOKEN_HEADER]: 't0ken-abc' })).toBe('SP_HTTP_CONTENT_TYPE');
    expect(code('POST', { host: '127.0.0.1:8080', 'content-type': 'application/json' })).toBe('SP_HTTP_TOKEN');
    expect(code('POST', { host: '127.0.0.1:8080', 'content-type': 'application/json', [TOKEN_HEADER]: 't0ken-abd' })).toBe('SP_HTTP_TOKEN');
  });
});
