/**
 * The sim's HTTP server keeps idle keep-alive sockets much longer than it tells clients to, so a
 * client never reuses a socket in the instant the server closes it ("other side closed").
 */
import { connect } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testLogger } from '../../test/helpers/logger.js';
import { startHttpServer, type SimHttpServer } from './server.js';

describe('sim HTTP server keep-alive', () => {
  let http: SimHttpServer;

  beforeAll(async () => {
    http = await startHttpServer({ port: 0, webRoot: mkdtempSync(join(tmpdir(), 'sp-web-')), logger: testLogger(), say: () => {}, token: 'test-token' });
    http.router.add('GET', '/api/x', () => ({ json: { ok: true } }));
  });
  afterAll(() => http.close());

  it('tells clients 5 s', async () => {
    const r = await fetch(`${http.url}/api/x`);
    expect(r.headers.get('keep-alive')).toBe('timeout=5');
    expect(r.headers.get('connection')).toBe('keep-alive');
    const nf = await fetch(`${http.url}/nothing.html`);
    expect(nf.status).toBe(404);
    expect(nf.headers.get('keep-alive')).toBe('timeout=5');
  });

  it('still answers on a socket idle for longer than that', async () => {
    const sock = connect(http.port, '127.0.0.1');
    let got = '';
    sock.on('data', (d) => { got += d.toString(); });
    const req = `GET /api/x HTTP/1.1\r\nHost: 127.0.0.1:${http.port}\r\n\r\n`;
    const responses = () => got.split('HTTP/1.1 200').length - 1;
    sock.write(req);
    await until(() => responses() === 1);
    await new Promise((r) => setTimeout(r, 5600));
    expect(sock.destroyed).toBe(false);
    sock.write(req);
    await until(() => responses() === 2);
    sock.destroy();
  }, 20_000);
});

async function until(f: () => boolean): Promise<void> {
  const end = Date.now() + 10_000;
  while (!f()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
