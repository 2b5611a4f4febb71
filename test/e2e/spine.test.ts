/**
 * The spine's end-to-end test (notice in, pixels out, uplink back): the sim on real PTYs (socat)
 * against a real mosquitto broker. A Chinese notice pushed with mosquitto_pub and with `smartpole ops`
 * reaches the board's decoded framebuffer; a forged one changes nothing and is reported.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { loadSigningKey } from '../../ops/keys.js';
import { sealEnvelope } from '../../protocols/envelope.js';
import { isoWithOffset } from '../../protocols/time.js';
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { runCli, startSimProcess, until, type SimProcess } from '../helpers/sim-process.js';
import { decodePng, diffFraction } from '../helpers/png.js';

// The attract page's notice card (display/pages/attract.ts attractLayout at 480×800): not the weather
// line above it nor the live lamp/charging status below it, which change by themselves.
const NOTICE_REGION = { x: 24, y: 196, w: 432, h: 380 };

describe('walking skeleton end to end (real PTYs, real mosquitto)', () => {
  let broker: Mosquitto;
  let sim: SimProcess;
  let idle: Awaited<ReturnType<typeof decodePng>>;
  const events: Record<string, unknown>[] = [];
  let watcher: mqtt.MqttClient;

  beforeAll(async () => {
    broker = await startMosquitto();
    sim = await startSimProcess(['--mqtt-url', broker.url]);
    watcher = await mqtt.connectAsync(broker.url);
    await watcher.subscribeAsync('smartpole/v1/poles/WH-JA-0001/#');
    watcher.on('message', (t, p) => { if (t.endsWith('/events') || t.endsWith('/receipts')) events.push({ topic: t, ...JSON.parse(p.toString()) }); });
    await until(async () => (await sim.api<{ led: { status: string } }>('/api/health')).led.status === 'ok', 10_000, 'LED board ready');
    await until(async () => (await sim.api<{ page: string }>('/api/page'))?.page === 'attract', 5_000, 'first page');
    await new Promise((r) => setTimeout(r, 300));
    idle = await decodePng(await sim.png());
  });

  afterAll(async () => {
    await watcher?.endAsync();
    const code = await sim?.stop();
    expect(code).toBe(0);
    await broker?.stop();
    // Ctrl-C leaves no socat and no PTY links behind.
    const left = spawnSync('pgrep', ['-f', sim.ptyDir]).stdout.toString().trim();
    expect(left).toBe('');
    expect(existsSync(join(sim.ptyDir, 'led'))).toBe(false);
  });

  it('runs the devices on real pseudo-terminals', async () => {
    const devices = await sim.api<{ name: string; path: string }[]>('/api/devices');
    const led = devices.find((d) => d.name === 'led')!;
    expect(execFileSync('readlink', ['-f', led.path]).toString()).toMatch(/^\/dev\/pts\/\d+/);
    expect((await sim.api<{ serial: string }>('/api/sim')).serial).toBe('pty');
  });

  it('shows a Chinese notice published with mosquitto_pub', async () => {
    const key = loadSigningKey(join(sim.dataDir, 'keys', 'dev-ops.key.json'));
    const payload = {
      type: 'notice', id: 'e2e-mosq', version: 1, issuedAt: isoWithOffset(Date.now()), priority: 'normal',
      title: { zh: '江岸区停水通知' }, body: { zh: '因管道检修，11月30日9:00至17:00澳门路沿线停水，请提前储水。' },
    };
    const env = JSON.stringify(sealEnvelope(payload, key.kid, key.privateKey));
    execFileSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(broker.port), '-q', '1', '-r', '-t', 'smartpole/v1/notices/all/e2e-mosq', '-m', env]);
    const page = await until(async () => {
      const p = await sim.api<{ notice?: { id: string; title: string } }>('/api/page');
      return p.notice?.id === 'e2e-mosq' ? p : null;
    }, 10_000, 'page to name the notice');
    expect(page.notice!.title).toBe('江岸区停水通知'); // the page model carries text in the screen's language
    // The board's decoded framebuffer changed in the notice region.
    const shown = await until(async () => {
      const img = await decodePng(await sim.png());
      return diffFraction(idle, img, NOTICE_REGION) > 0.01 ? img : null;
    }, 5_000, 'framebuffer to change');
    expect(diffFraction(idle, shown, NOTICE_REGION)).toBeGreaterThan(0.01);
    await until(() => events.some((e) => e.id === 'e2e-mosq' && e.status === 'displayed'), 5_000, 'displayed receipt');
    expect(events.find((e) => e.id === 'e2e-mosq' && e.status === 'accepted')).toBeTruthy();
  });

  it('shows a notice pushed with `smartpole ops notice push`', async () => {
    const file = join(sim.dataDir, 'notice.json');
    writeFileSync(file, JSON.stringify({ priority: 'high', title: { zh: '寒潮蓝色预警' }, body: { zh: '未来48小时气温下降8至10℃，请注意防寒保暖。' } }));
    const before = await decodePng(await sim.png());
    const r = runCli(['ops', 'notice', 'push', '--file', file, '--data-dir', sim.dataDir], sim.dataDir);
    expect(r.out).toMatch(/WH-JA-0001: accepted/);
    expect(r.code).toBe(0);
    const page = await until(async () => {
      const p = await sim.api<{ notice?: { title: string } }>('/api/page');
      return p.notice?.title === '寒潮蓝色预警' ? p : null;
    }, 10_000, 'page to show the ops notice');
    expect(page).toBeTruthy();
    // …and the board shows it: its decoded framebuffer changed where notices are drawn.
    await until(async () => diffFraction(before, await decodePng(await sim.png()), NOTICE_REGION) > 0.01, 5_000, 'framebuffer to show the ops notice');
  });

  it('ignores a forged notice and reports it', async () => {
    // What a forged notice could change: the page and the notice on it (the clock and the live
    // charging/lamp status on the same page keep changing by themselves).
    const shown = async () => { const p = await sim.api<{ page: string; notice?: unknown; rotation?: unknown }>('/api/page'); return { page: p.page, notice: p.notice, rotation: p.rotation }; };
    const before = await shown();
    // The page model changes before the board has presented it: wait until the picture is steady.
    let beforePng = await decodePng(await sim.png());
    await until(async () => {
      await new Promise((r) => setTimeout(r, 200));
      const next = await decodePng(await sim.png());
      const steady = diffFraction(beforePng, next) === 0;
      beforePng = next;
      return steady;
    }, 10_000, 'a steady picture on the board');
    const key = loadSigningKey(join(sim.dataDir, 'keys', 'dev-ops.key.json'));
    const attacker = generateKeyPairSync('ed25519');
    const payload = {
      type: 'notice', id: 'forged', version: 99, issuedAt: isoWithOffset(Date.now()), priority: 'emergency',
      title: { zh: '伪造的紧急通知' }, body: { zh: '这不应该出现在屏幕上' },
    };
    // Right key id, wrong private key: the signature cannot verify.
    const env = JSON.stringify(sealEnvelope(payload, key.kid, attacker.privateKey));
    execFileSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(broker.port), '-q', '1', '-r', '-t', 'smartpole/v1/notices/all/forged', '-m', env]);
    execFileSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(broker.port), '-q', '1', '-t', 'smartpole/v1/notices/all/unsigned', '-m', JSON.stringify(payload)]);
    await until(() => events.filter((e) => e.code === 'SP_MSG_BAD_SIGNATURE' || e.code === 'SP_MSG_MALFORMED').length >= 2, 5_000, 'refusal events');
    await new Promise((r) => setTimeout(r, 300));
    expect(await shown()).toEqual(before);
    expect(diffFraction(beforePng, await decodePng(await sim.png()), NOTICE_REGION)).toBe(0);
    expect(events.find((e) => e.id === 'forged' && e.status === 'rejected')).toMatchObject({ code: 'SP_MSG_BAD_SIGNATURE' });
  });
});
