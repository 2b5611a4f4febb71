/**
 * The public screen end to end: the sim on real PTYs (socat). Taps are sent through `POST /api/touch`,
 * which writes real eGalax packets on the touch panel's PTY; the runtime decodes, calibrates,
 * navigates, renders and sends frames over the LED link; the simulated board decodes them. Each step is
 * checked on the page model (GET /api/page) and on the board's decoded framebuffer, which must
 * equal — pixel for pixel — the page model rendered here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { loadSigningKey } from '../../ops/keys.js';
import { sealEnvelope } from '../../protocols/envelope.js';
import { isoWithOffset } from '../../protocols/time.js';
import { FeedbackRecord } from '../../protocols/uplink.js';
import { startSimProcess, until, type SimProcess, withToken } from '../helpers/sim-process.js';
import { screenDriver } from '../helpers/screen-driver.js';

describe('touch → runtime → LED board, end to end (real PTYs)', () => {
  let sim: SimProcess;
  let watcher: mqtt.MqttClient;
  const feedback: unknown[] = [];
  const { page, touch, boardShows, tapId, devicesReady, leaveMessage } = screenDriver(() => sim);

  beforeAll(async () => {
    sim = await startSimProcess();
    await devicesReady();
    watcher = await mqtt.connectAsync(sim.mqttUrl);
    await watcher.subscribeAsync('smartpole/v1/poles/WH-JA-0001/feedback', { qos: 1 });
    watcher.on('message', (_t, p) => feedback.push(JSON.parse(p.toString())));
    await boardShows((m) => m.page === 'attract', 'the attract loop');
  });

  afterAll(async () => {
    await watcher?.endAsync();
    expect(await sim?.stop()).toBe(0);
  });

  it('the panel is a real PTY and the simulated controller speaks eGalax through the inverse calibration', async () => {
    const devices = await sim.api<{ name: string; path: string; state: { calibration: number[] } }[]>('/api/devices');
    const t = devices.find((d) => d.name === 'touch')!;
    expect(execFileSync('readlink', ['-f', t.path]).toString()).toMatch(/^\/dev\/pts\/\d+/);
    expect(t.state.calibration).toEqual([2016, -41, -390878, 30, 3343, -1009096, 65536]);
  });

  it('wakes, switches language, and walks the services search by touch alone', async () => {
    await tapId('wake', (m) => m.page === 'home', 'home');
    await tapId('tile:lang', (m) => m.page === 'home' && m.lang === 'en', 'home in English');
    await tapId('tile:lang', (m) => m.page === 'home' && m.lang === 'zh', 'home in Chinese');
    await tapId('tile:services', (m) => m.page === 'services', 'services');
    await tapId('search', (m) => m.page === 'service-search', 'the keyboard');
    await tapId('key:h', (m) => m.page === 'service-search' && m.query === 'h', 'h typed');
    const s = await tapId('key:z', (m) => m.page === 'service-search' && m.query === 'hz', 'hz typed');
    expect(s.page === 'service-search' && s.results[0]!.id).toBe('exit-entry-hall');
    const p = await tapId('row:0', (m) => m.page === 'service', 'the exit-entry hall');
    expect(p.page === 'service' && p.place.name).toBe('武汉市公安局出入境接待大厅');
    await tapId('nav:home', (m) => m.page === 'home', 'home again');
  });

  it('shows press feedback on the board while a finger is down, and sliding off cancels', async () => {
    const m = await page();
    const tile = m.hits.find((h) => h.id === 'tile:transit')!;
    await touch(tile.rect.x + 30, tile.rect.y + 30, 'down');
    await boardShows((x) => x.page === 'home' && x.pressed === 'tile:transit', 'the pressed tile');
    await touch(5, 5, 'move');
    await touch(5, 5, 'up');
    await boardShows((x) => x.page === 'home' && x.pressed === null, 'the tile released');
  });

  it('pages notices with a swipe made of down/move/up packets', async () => {
    const key = loadSigningKey(join(sim.dataDir, 'keys', 'dev-ops.key.json'));
    const client = await mqtt.connectAsync(sim.mqttUrl);
    for (let i = 1; i <= 6; i++) {
      const payload = { type: 'notice', audience: 'all', id: `e2e-${i}`, version: 1, issuedAt: isoWithOffset(Date.now() - i * 60_000), priority: 'normal', title: { zh: `第${i}条公告` }, body: { zh: `内容${i}` } };
      await client.publishAsync(`smartpole/v1/notices/all/e2e-${i}`, JSON.stringify(sealEnvelope(payload, key.kid, key.privateKey)), { qos: 1, retain: true });
    }
    await client.endAsync();
    await tapId('tile:notices', (m) => m.page === 'notices' && m.total === 6, 'six notices');
    // A swipe must be quick (≤ 800 ms); on a loaded machine the HTTP calls may be slower, so try again.
    await until(async () => {
      await touch(400, 400, 'down');
      for (const x of [300, 200, 100]) await touch(x, 402, 'move');
      await touch(100, 404, 'up');
      await new Promise((r) => setTimeout(r, 200));
      const m = await page();
      return m.page === 'notices' && m.pager.index === 2;
    }, 20_000, 'a swipe to page the notices');
    const p2 = await boardShows((m) => m.page === 'notices' && m.pager.index === 2, 'page 2 of the notices');
    expect(p2.page === 'notices' && p2.items.map((x) => x.title)).toEqual(['第5条公告', '第6条公告']);
    await tapId('nav:home', (m) => m.page === 'home', 'home');
  });

  it('submits a message to the city and publishes it on poles/{id}/feedback', async () => {
    const ticket = await leaveMessage();
    expect(ticket).toMatch(/^\d{9}$/);
    await until(() => feedback.length > 0, 10_000, 'the feedback record on MQTT');
    expect(FeedbackRecord.parse(feedback[0])).toMatchObject({ ticket, problem: 'lamp-out', poleId: 'WH-JA-0001', location: { address: '武汉市江岸区澳门路' } });
    // …and looks it up on the keypad.
    await tapId('nav:home', (m) => m.page === 'home', 'home');
    await tapId('tile:feedback', (m) => m.page === 'feedback', 'the message board');
    await tapId('lookup', (m) => m.page === 'ticket-lookup', 'the keypad');
    for (const [i, d] of [...ticket].entries()) await tapId(`key:${d}`, (m) => m.page === 'ticket-lookup' && m.input.length === i + 1, `digit ${i + 1}`);
    const r = await tapId('key:submit', (m) => m.page === 'ticket-result', 'the ticket status');
    expect(r.page === 'ticket-result' && r.found).toBe(true);
  });

  it('survives an unplugged touch panel and works again after replug', async () => {
    await sim.api('/api/faults', { method: 'POST', body: JSON.stringify({ device: 'touch', fault: 'unplug' }) });
    const res = await fetch(`${sim.httpUrl}/api/touch`, withToken({ method: 'POST', body: JSON.stringify({ x: 10, y: 10, action: 'tap' }) }, sim.token));
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SP_SIM_DEVICE_UNPLUGGED');
    await until(async () => (await sim.api<Record<string, { status: string }>>('/api/health')).touch!.status === 'down', 10_000, 'touch health down');
    await sim.api('/api/faults', { method: 'POST', body: JSON.stringify({ device: 'touch', fault: 'replug' }) });
    await until(async () => (await sim.api<Record<string, { status: string }>>('/api/health')).touch!.status === 'ok', 15_000, 'touch health back');
    await sim.api('/api/faults', { method: 'POST', body: JSON.stringify({ device: 'touch', fault: 'garbage', args: { bytes: 64 } }) });
    await until(async () => { await touch(5, 5); return (await page()).page !== 'ticket-result' ? true : null; }, 15_000, 'a tap after replug to act');
  });
});
