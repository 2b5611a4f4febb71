/**
 * The console against 200 light poles (the runtime's uplink stack per pole: bench/lib/uplink-pole.ts)
 * on mosquitto, in headless Chromium: a notice to all is composed, previewed and sent, and its
 * delivery board fills with every pole's receipt. How long that takes is printed (the figure
 * belongs to bench/ops-console.ts, docs/performance.md); the test asserts that it fills.
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startUplinkPole, type UplinkPole } from '../../bench/lib/uplink-pole.js';
import { generateSigningKey, saveSigningKey } from '../../ops/keys.js';
import { parsePublicKey } from '../../protocols/envelope.js';
import { requireTool } from '../helpers/tools.js';
import { freePort, startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { until } from '../helpers/sim-process.js';
import { ADMIN, CHROMIUM_FLAGS, loginAs, startOpsConsole, type OpsConsole } from '../helpers/ops-console.js';

const N = 200;

describe(`ops console with ${N} light poles`, () => {
  let broker: Mosquitto;
  let ops: OpsConsole;
  let browser: Browser;
  let page: Page;
  const poles: UplinkPole[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'sp-ops-fleet-'));
  const key = generateSigningKey('city-ops', 'ops-fleet-e2e');
  const keyFile = join(dir, 'ops.key.json');
  saveSigningKey(keyFile, key);
  const trusted = { kid: key.kid, issuer: key.issuer, key: parsePublicKey(key.publicKey), revoked: false, publicKeyB64: key.publicKey };

  beforeAll(async () => {
    requireTool('chromium');
    requireTool('mosquitto');
    const port = await freePort();
    broker = await startMosquitto(`listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_connections -1\n`, port);
    ops = await startOpsConsole(['--mqtt-url', broker.url, '--key', keyFile]);
    for (let i = 0; i < N; i++) {
      poles.push(startUplinkPole({ poleId: `WH-LP-${String(i).padStart(4, '0')}`, mqttUrl: broker.url, dataDir: ':memory:', key: trusted, groups: [`district/d${i % 7}`] }));
      if (i % 25 === 24) await until(() => poles.every((p) => p.session.connected), 60_000, `${i + 1} poles connected`);
    }
    await until(() => poles.every((p) => p.session.connected), 60_000, 'every pole connected');
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS, timeout: 60_000 });
    page = await loginAs(browser, ops.url, ADMIN);
    await until(async () => {
      const rows = await (await page.request.get(`${ops.url}/api/fleet`)).json() as { liveness: string }[];
      return rows.filter((r) => r.liveness === 'online').length === N;
    }, 60_000, `the console to know ${N} poles online`);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    for (let i = 0; i < poles.length; i += 50) await Promise.all(poles.slice(i, i + 50).map((p) => p.stop()));
    if (ops) expect(await ops.stop()).toBe(0);
    await broker?.stop();
  });

  it('a notice to all: the delivery board fills with every pole\'s receipt', async () => {
    await page.goto(`${ops.url}/notices/new`);
    await page.fill('#f-title_zh', '全市道路结冰预警');
    await page.fill('#f-body_zh', '今夜至明晨全市道路可能结冰，请减速慢行。');
    await page.check('input[name=audience][value=all]');
    await page.click('#preview-button');
    await page.locator('#send-button').waitFor();
    expect(await page.locator('#send-button').innerText()).toContain(`${N}`);
    const t0 = performance.now();
    await page.click('#send-button');
    await page.waitForURL(/\/notices\/n-/);
    // The board on the page, updated live (SSE → fragment), until every pole has a receipt.
    const received = () => page.locator('#board-table tr[data-state=accepted], #board-table tr[data-state=displayed]').count();
    await until(async () => (await received()) === N, 60_000, () => `${N} receipts on the board`);
    const ms = performance.now() - t0;
    console.log(`ops console, ${N} light poles: notice sent → every pole's receipt on the delivery board in ${(ms / 1000).toFixed(2)} s (load ${loadavg().map((x) => x.toFixed(1)).join(' ')})`);
    const api = await (await page.request.get(`${page.url().replace('/notices/', '/api/notices/')}/board`)).json() as { counts: Record<string, number> };
    expect(api.counts.accepted + api.counts.displayed).toBe(N);
    expect(api.counts.refused ?? 0).toBe(0);
  }, 120_000);
});
