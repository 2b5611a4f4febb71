/**
 * The attacks of docs/security.md against `smartpole sim` on a real mosquitto, checked where a
 * citizen would see them: the LED board's decoded framebuffer (GET /api/screen.png) and the page
 * model. Genuine content moved to another audience, a role key beyond its powers, a revoked key and
 * a rolled-back trust list are each refused and reported; the screen stays as it was. The sim's
 * own HTTP API refuses a foreign web page (Origin, Host, content type, per-run token).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { connect } from 'node:net';
import mqtt from 'mqtt';
import { sealEnvelope } from '../../protocols/envelope.js';
import { isoWithOffset } from '../../protocols/time.js';
import { loadSigningKey, type SigningKey } from '../../ops/keys.js';
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { runCli, startSimProcess, until, type SimProcess } from '../helpers/sim-process.js';
import { decodePng, diffFraction, type Rgba } from '../helpers/png.js';

const P = 'smartpole/v1';
const POLE = 'WH-JA-0001';
interface Page { page: string; notice: { id: string } | null }

describe('attacks on a simulated pole (real PTYs, real mosquitto, the board’s framebuffer)', () => {
  let broker: Mosquitto;
  let sim: SimProcess;
  let client: mqtt.MqttClient;
  const events: Record<string, unknown>[] = [];
  const responses: Record<string, unknown>[] = [];
  const births: Record<string, unknown>[] = [];
  let idle: Rgba;
  const key = (name: string): SigningKey => loadSigningKey(join(sim.dataDir, 'keys', `${name}.key.json`));
  const seal = (k: SigningKey, p: Record<string, unknown>) => JSON.stringify(sealEnvelope({ version: Date.now(), issuedAt: isoWithOffset(Date.now() - 1000), ...p }, k.kid, k.privateKey));
  const ops = (...args: string[]) => runCli(['ops', ...args, '--data-dir', sim.dataDir], sim.dataDir);

  /** Publishes, waits for the refusal with `code`, and checks the screen did not change. */
  async function refusedOnScreen(topic: string, raw: string, code: string): Promise<void> {
    const from = events.length + responses.length;
    await client.publishAsync(topic, raw, { qos: 1 });
    await until(() => [...events, ...responses].length > from && [...events.slice(0), ...responses].some((m) => m.code === code || (m.error as { code?: string } | undefined)?.code === code), 10_000, code);
    // Give a wrongly accepted notice time to reach the board before looking.
    await new Promise((r) => setTimeout(r, 1500));
    const page = await sim.api<Page>('/api/page');
    expect(page.page, `${code}: page`).toBe('attract');
    expect(page.notice, `${code}: no notice`).toBeNull();
    const now = await decodePng(await until(() => sim.png(), 5000, 'screen.png'));
    // An emergency page repaints most of the screen; the attract loop's clock and weather a few percent.
    expect(diffFraction(idle, now), `${code}: framebuffer`).toBeLessThan(0.05);
  }

  beforeAll(async () => {
    broker = await startMosquitto();
    sim = await startSimProcess(['--mqtt-url', broker.url]);
    client = await mqtt.connectAsync(broker.url);
    await client.subscribeAsync([`${P}/poles/${POLE}/events`, `${P}/poles/${POLE}/cmd/res`, `${P}/poles/${POLE}/state`]);
    client.on('message', (t, p) => {
      if (!p.length) return;
      const m = JSON.parse(p.toString()) as Record<string, unknown>;
      if (t.endsWith('/events')) events.push(m);
      else if (t.endsWith('/cmd/res')) responses.push(m);
      else births.push(m);
    });
    await until(async () => (await sim.api<{ led: { status: string } }>('/api/health')).led.status === 'ok', 15_000, 'LED board ready');
    await until(async () => (await sim.api<Page>('/api/page'))?.page === 'attract', 10_000, 'first page');
    await until(() => births.some((b) => b.online === true), 15_000, 'the pole online on the broker');
    await new Promise((r) => setTimeout(r, 500));
    idle = await decodePng(await until(() => sim.png(), 5000, 'screen.png'));
  });

  afterAll(async () => {
    await client?.endAsync();
    expect(await sim?.stop()).toBe(0);
    await broker?.stop();
  });

  it('a genuine emergency notice signed for another pole, re-published on notices/all, never reaches the screen', async () => {
    const dev = key('dev-ops');
    const raw = seal(dev, { type: 'notice', id: 'hijack', audience: 'pole:WH-JA-0999', priority: 'emergency', title: { zh: '劫持' }, body: { zh: '这块屏不是目标' } });
    await refusedOnScreen(`${P}/notices/all/hijack`, raw, 'SP_MSG_AUDIENCE_MISMATCH');
  });

  it('a charger.start signed for another pole, re-published on this pole’s cmd topic, is answered with the refusal and not run', async () => {
    const dev = key('dev-ops');
    const raw = seal(dev, { type: 'cmd', id: 'c-steal', audience: 'pole:WH-JA-0999', poleId: 'WH-JA-0999', name: 'charger.start', args: { connector: 1 }, expiresAt: isoWithOffset(Date.now() + 60_000) });
    await refusedOnScreen(`${P}/poles/${POLE}/cmd`, raw, 'SP_MSG_AUDIENCE_MISMATCH');
    expect(responses.find((r) => r.id === 'c-steal')).toMatchObject({ ok: false, error: { code: 'SP_MSG_AUDIENCE_MISMATCH' } });
  });

  it('the payments key cannot put text on the screen; the district key cannot sign all', async () => {
    await refusedOnScreen(`${P}/notices/all/pay`, seal(key('payments'), { type: 'notice', id: 'pay', audience: 'all', priority: 'emergency', title: { zh: '付款' }, body: { zh: '付款' } }), 'SP_MSG_KEY_POWER');
    await refusedOnScreen(`${P}/notices/all/dist`, seal(key('district-jiangan'), { type: 'notice', id: 'dist', audience: 'all', priority: 'high', title: { zh: '区' }, body: { zh: '区' } }), 'SP_MSG_KEY_POWER');
  });

  it('one `ops trust revoke` takes a key away from the fleet; the captured older list cannot bring it back', async () => {
    let r = ops('trust', 'init');
    expect(r.out, r.out).toMatch(/published trust list version 1 .*\n.*WH-JA-0001: applied version 1/);
    const v1 = await new Promise<Buffer>((resolve) => {
      const c = mqtt.connect(broker.url);
      c.on('message', (_t, p) => { resolve(p); c.end(); });
      c.subscribe(`${P}/trust/list`);
    });
    const notices = key('notices');
    r = ops('trust', 'revoke', notices.kid);
    expect(r.out, r.out).toMatch(/WH-JA-0001: applied version 2/);
    await until(() => births.some((b) => (b.trust as { listVersion?: number } | undefined)?.listVersion === 2), 5000, 'birth with list version 2');
    await refusedOnScreen(`${P}/notices/all/revoked`, seal(notices, { type: 'notice', id: 'revoked', audience: 'all', priority: 'emergency', title: { zh: '吊销' }, body: { zh: '吊销' } }), 'SP_MSG_REVOKED_KEY');
    await refusedOnScreen(`${P}/trust/list`, v1.toString(), 'SP_TRUST_ROLLBACK');
    r = ops('trust', 'show');
    expect(r.out).toMatch(/version 2[\s\S]*revoked: .*notices-/);
  });
});

describe('the sim HTTP API against a web page in the developer’s browser', () => {
  let sim: SimProcess;
  beforeAll(async () => { sim = await startSimProcess(); });
  afterAll(async () => { expect(await sim?.stop()).toBe(0); });

  it('refuses a foreign Origin, a rebinding Host, a form post and a missing token; signs nothing', async () => {
    const body = JSON.stringify({ title: { zh: '跨站' }, body: { zh: '跨站' }, priority: 'emergency' });
    const post = (headers: Record<string, string>) => fetch(`${sim.httpUrl}/api/ops/notice`, { method: 'POST', headers, body })
      .then(async (r) => ({ status: r.status, code: ((await r.json()) as { error?: { code: string } }).error?.code }));
    const port = new URL(sim.httpUrl).port;
    // What the ops panel signed and pushed (its log lines say "signed by <kid>").
    const signed = async () => (await sim.api<{ text?: string; message?: string }[]>('/api/events?kind=ops')).filter((e) => /signed by/.test(JSON.stringify(e)));
    expect(await signed()).toEqual([]);
    expect(await post({ origin: 'https://evil.example', 'content-type': 'application/json', 'x-smartpole-token': sim.token })).toEqual({ status: 403, code: 'SP_HTTP_FORBIDDEN' });
    // A rebinding attack: the browser sends the attacker's own name as Host (fetch cannot forge Host; a raw request can).
    const rebound = await new Promise<string>((resolve) => {
      const s = connect(Number(port), '127.0.0.1', () => s.write(`POST /api/ops/notice HTTP/1.1\r\nHost: evil.example:${port}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`));
      let got = '';
      s.on('data', (d) => { got += d.toString(); if (got.includes('"error"')) { s.destroy(); resolve(got); } });
    });
    expect(rebound).toMatch(/^HTTP\/1.1 403[\s\S]*SP_HTTP_FORBIDDEN/);
    expect(await post({ 'content-type': 'application/x-www-form-urlencoded', 'x-smartpole-token': sim.token })).toEqual({ status: 415, code: 'SP_HTTP_CONTENT_TYPE' });
    expect(await post({ 'content-type': 'application/json' })).toEqual({ status: 401, code: 'SP_HTTP_TOKEN' });
    expect(await signed()).toEqual([]);
    expect((await sim.api<Page>('/api/page')).notice).toBeNull();
  });
});
