/**
 * The web viewer is a touch screen too: pressing on the screen image sends down/move/up to
 * POST /api/touch, which the simulated panel turns into eGalax packets (Debian chromium driven by
 * playwright-core).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import type { PageModel } from '../../display/page-model.js';
import { startSimProcess, until, type SimProcess } from '../helpers/sim-process.js';

describe('web viewer touch', () => {
  let sim: SimProcess;
  let browser: Browser;

  beforeAll(async () => {
    sim = await startSimProcess();
    await until(async () => (await sim.api<Record<string, { status: string }>>('/api/health')).touch?.status === 'ok', 15_000, 'touch ready');
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
    expect(await sim?.stop()).toBe(0);
  });

  it('navigates the real runtime by clicking the screen image', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    await page.goto(sim.httpUrl);
    const img = page.locator('#screen');
    await img.waitFor();
    const box = (await img.boundingBox())!;
    const border = 6; // style.css
    const click = async (x: number, y: number) => {
      await page.mouse.move(box.x + border + x, box.y + border + y);
      await page.mouse.down();
      await page.mouse.up();
    };
    await click(240, 400);
    await until(async () => (await sim.api<PageModel>('/api/page')).page === 'home', 10_000, 'home after a click');
    const home = await sim.api<PageModel>('/api/page');
    const tile = home.hits.find((h) => h.id === 'tile:transit')!;
    await click(tile.rect.x + 40, tile.rect.y + 40);
    await until(async () => (await sim.api<PageModel>('/api/page')).page === 'transit', 10_000, 'transit after a click on its tile');
    await page.close();
  });
});
