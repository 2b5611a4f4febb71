/**
 * The simulator's web viewer in a real browser: Debian chromium driven by playwright-core
 * with the flags of docs/simulator.md §Web viewer, against `smartpole sim` as a user runs it. One
 * browser, one sim, one page.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { PageModel } from '../../display/page-model.js';
import { decodePng } from '../helpers/png.js';
import { ROOT, startSimProcess, until, type SimProcess } from '../helpers/sim-process.js';

const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const ARTIFACTS = join(ROOT, 'test-artifacts');

type Health = Record<string, Record<string, unknown> & { status: string }>;

describe('web viewer', () => {
  let sim: SimProcess;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const foreignRequests: string[] = [];

  const boardPage = async () => (await sim.api<PageModel>('/api/page')).page;
  /** The live canvas as the browser has it, losslessly (PNG from toDataURL). */
  const canvasPng = async () => Buffer.from((await page.locator('#screen').evaluate((c) => (c as unknown as { toDataURL(t: string): string }).toDataURL('image/png'))).split(',')[1]!, 'base64');
  const samePixels = async () => {
    const [a, b] = await Promise.all([canvasPng().then(decodePng), sim.png().then(decodePng)]);
    return a.width === b.width && a.height === b.height && Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer));
  };
  /** Press at a screen pixel on the canvas (zoom 1:1, so one CSS pixel is one screen pixel). */
  const press = async (x: number, y: number, to?: { x: number; y: number }) => {
    const box = (await page.locator('#screen').boundingBox())!;
    await page.mouse.move(box.x + x + 0.5, box.y + y + 0.5);
    await page.mouse.down();
    if (to) await page.mouse.move(box.x + to.x + 0.5, box.y + to.y + 0.5, { steps: 12 });
    await page.mouse.up();
  };
  const panelText = (device: string) => page.locator(`#dev-${device} table.kv`).innerText();
  /** The pole's receipt for `id` with `status`, as the event log shows it (whatever the ops result line says meanwhile). */
  const receiptInLog = (id: string, status: string) => expect.poll(
    () => page.locator('#log li[data-kind=receipt]', { hasText: id }).filter({ hasText: `: ${status}` }).count(), { timeout: 60_000 },
  ).toBeGreaterThan(0);
  /** The id the last push produced (the withdraw field takes it). */
  const pushedId = async (re: RegExp) => {
    await expect.poll(() => page.locator('#ops-result').innerText(), { timeout: 60_000 }).toMatch(re);
    return page.locator('#withdraw-id').inputValue();
  };

  beforeAll(async () => {
    sim = await startSimProcess();
    await until(async () => (await sim.api<Health>('/api/health')).touch?.status === 'ok', 30_000, 'touch ready');
    await until(async () => (await sim.api<Health>('/api/health')).mqtt?.state === 'connected', 60_000, 'pole online');
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS, timeout: 60_000 });
    page = await browser.newPage({ viewport: { width: 1680, height: 1250 } });
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
    // No CDN, works offline: every request goes to the sim itself.
    page.on('request', (r) => { if (!r.url().startsWith(sim.httpUrl) && !r.url().startsWith(sim.httpUrl.replace('http', 'ws'))) foreignRequests.push(r.url()); });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    expect(await sim?.stop()).toBe(0);
  });

  it('loads: pole id, live link, every device card', async () => {
    await page.goto(sim.httpUrl);
    await expect.poll(() => page.locator('#pole').innerText(), { timeout: 30_000 }).toBe('WH-JA-0001');
    await expect.poll(() => page.locator('#conn').innerText(), { timeout: 30_000 }).toBe('live');
    for (const d of ['led', 'sign', 'touch', 'modem', 'broker', 'fieldbus', 'ev', 'meter', 'pads', 'lamp', 'console']) await page.locator(`#dev-${d}`).waitFor();
    await until(async () => Number(await page.locator('#screen').getAttribute('data-updates')) > 0, 30_000, 'a first screen update');
    // The Onbon notice sign's panel: its picture, loaded from /api/sign.png, at 4 px a LED.
    await until(async () => (await page.locator('#sign-img').evaluate((i) => (i as unknown as { naturalWidth: number }).naturalWidth)) === 160 * 4, 30_000, 'the sign panel picture');
    expect(await page.locator('#sign-meta').innerText()).toMatch(/BX-5E2 160×32/);
  }, 90_000);

  it('shows the live screen pixel for pixel as /api/screen.png', async () => {
    await until(samePixels, 60_000, 'canvas = /api/screen.png');
  }, 90_000);

  it('a click on a home tile changes the board framebuffer', async () => {
    // A first press wakes the attract loop to the home page (or does nothing on home).
    await until(async () => {
      if ((await boardPage()) === 'home') return true;
      await press(240, 400);
      return until(async () => (await boardPage()) === 'home', 5000, 'home').catch(() => false);
    }, 60_000, 'home page');
    const before = await sim.png();
    const tile = (await sim.api<PageModel>('/api/page')).hits.find((h) => h.id === 'tile:transit')!;
    await press(tile.rect.x + Math.floor(tile.rect.w / 2), tile.rect.y + Math.floor(tile.rect.h / 2));
    await until(async () => (await boardPage()) === 'transit', 30_000, 'transit page after a click on its tile');
    await until(async () => !(await sim.png()).equals(before), 30_000, 'the board framebuffer to change');
    await until(samePixels, 60_000, 'the live screen to follow');
  }, 150_000);

  it('a swipe on the canvas reaches the runtime as a swipe', async () => {
    const swipes = async () => Number(((await sim.api<Health>('/api/health')).touch!.touch as { swipes: number }).swipes);
    const n = await swipes();
    await press(420, 420, { x: 60, y: 430 });
    await until(async () => (await swipes()) > n, 30_000, 'a swipe counted by the touch driver');
  }, 60_000);

  it('pushes a notice that appears on the screen and in the log, and withdraws it', async () => {
    const form = page.locator('#notice-form');
    await form.locator('[name=titleZh]').fill('浏览器推送测试');
    await form.locator('[name=bodyZh]').fill('这条通知由网页查看器签名并经MQTT发布。');
    // An emergency notice pre-empts whatever page is up (docs/mqtt-api.md §Notices).
    await form.locator('[name=priority]').selectOption('emergency');
    await form.locator('button[type=submit]').click();
    const id = await pushedId(/^pushed n-/);
    expect(id).toMatch(/^n-/);
    await receiptInLog(id, 'accepted');
    const shown = await until(async () => {
      const p = await sim.api<{ page: string; notice?: { id: string; title: string } }>('/api/page');
      return p.page === 'emergency' && p.notice?.id === id ? p.notice : null;
    }, 30_000, 'the notice on the screen');
    expect(shown.title).toBe('浏览器推送测试');
    await until(samePixels, 60_000, 'the live screen to show it');

    await page.locator('#withdraw').click();
    await expect.poll(() => page.locator('#ops-result').innerText(), { timeout: 60_000 }).toMatch(/^withdrew /);
    await receiptInLog(id, 'withdrawn');
    await until(async () => (await boardPage()) !== 'emergency', 30_000, 'the notice off the screen');
  }, 150_000);

  it('pushes a CAP sample and its cancellation', async () => {
    await page.locator('#cap-sample').selectOption('wuhan-rainstorm-orange.xml');
    await page.locator('#cap-push').click();
    const id = await pushedId(/^pushed CAP cap-/);
    await receiptInLog(id, 'accepted');
    await page.locator('#cap-sample').selectOption('wuhan-rainstorm-cancel.xml');
    await page.locator('#cap-push').click();
    // The Cancel goes on its chain's topic, under the same id (docs/mqtt-api.md §CAP).
    expect(await pushedId(/^pushed CAP cap-/)).toBe(id);
    await receiptInLog(id, 'withdrawn');
  }, 150_000);

  it('sends a command and shows its response', async () => {
    const form = page.locator('#cmd-form');
    await form.locator('[name=name]').fill('ping');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => page.locator('#cmd-response').innerText(), { timeout: 60_000 }).toContain('"pong": true');
  }, 90_000);

  it('fault buttons change the device panel (LED module, broker outage)', async () => {
    await page.locator('#dev-led button[data-fault="fail-module"]').click();
    await expect.poll(() => panelText('led'), { timeout: 30_000 }).toMatch(/failed modules\s+4/);
    await page.locator('#dev-led button[data-fault="clear"]').click();
    await expect.poll(() => panelText('led'), { timeout: 30_000 }).toMatch(/failed modules\s+none/);

    await page.locator('#dev-fieldbus button[data-fault="garbage"]').click();
    await expect.poll(() => panelText('fieldbus'), { timeout: 30_000 }).toMatch(/noise sent\s+32 B/);

    await page.locator('#dev-broker button[data-fault="stop"]').click();
    await expect.poll(() => panelText('broker'), { timeout: 30_000 }).toMatch(/broker\s+stopped/);
    await expect.poll(() => panelText('broker'), { timeout: 60_000 }).not.toMatch(/pole MQTT\s+connected/);
    await page.locator('#dev-broker button[data-fault="start"]').click();
    await expect.poll(() => panelText('broker'), { timeout: 30_000 }).toMatch(/broker\s+running/);
    await expect.poll(() => panelText('broker'), { timeout: 120_000 }).toMatch(/pole MQTT\s+connected/);
    await expect.poll(() => page.locator('#log li[data-kind=fault]').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(4);
  }, 300_000);

  it('saves a screenshot of the whole page', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const png = await page.screenshot({ fullPage: true });
    writeFileSync(join(ARTIFACTS, 'viewer.png'), png);
    // The documentation's copy (docs/simulator.md) is refreshed on request only.
    if (process.env.UPDATE_DOCS) writeFileSync(join(ROOT, 'docs', 'images', 'viewer.png'), png);
    expect(png.length).toBeGreaterThan(50_000);
    expect(pageErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  }, 60_000);
});
