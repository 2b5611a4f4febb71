/**
 * The screen for everyone, end to end on the sim's real PTYs (socat): taps go as eGalax packets
 * on the touch panel's PTY (`POST /api/touch`), and every step is checked on the page model and on
 * the simulated board's decoded framebuffer, which must equal — pixel for pixel — the page model
 * rendered here. Elder mode: in by touch, a service reached through short lists, out again on
 * idle. A bilingual CAP alert, signed with the ops helpers and pushed over MQTT: both languages
 * on the board within 10 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { loadSigningKey } from '../../ops/keys.js';
import { sign } from '../../ops/sign.js';
import { capPayloadFromXml } from '../../ops/commands/cap.js';
import { noticeTopic } from '../../protocols/topics.js';
import type { EmergencyPage } from '../../display/page-model.js';
import { ROOT, startSimProcess, until, type SimProcess } from '../helpers/sim-process.js';
import { screenDriver } from '../helpers/screen-driver.js';

describe('elder mode and bilingual alerts, touch → runtime → LED board (real PTYs)', () => {
  let sim: SimProcess;
  const { boardShows, tapId, devicesReady } = screenDriver(() => sim);

  beforeAll(async () => {
    sim = await startSimProcess();
    await devicesReady();
    await boardShows((m) => m.page === 'attract', 'the attract loop');
  });

  afterAll(async () => {
    expect(await sim?.stop()).toBe(0);
  });

  it('taps into elder mode, reaches a service through short lists, and idles back to the standard screen', async () => {
    const home = await tapId('elder', (m) => m.page === 'elder-home', 'the elder home page');
    expect(home.page === 'elder-home' && home.hotline.number).toBe('12345');
    expect(home.page === 'elder-home' && home.services.map((s) => s.id)).toEqual(['social', 'id-hukou', 'community', 'halls']);
    await tapId('elder:all', (m) => m.page === 'elder-services', 'all services');
    const places = await tapId('row:1', (m) => m.page === 'elder-places', 'the exit-entry places');
    expect(places.page === 'elder-places' && places.title).toBe('出入境（护照、通行证）');
    const place = await tapId('row:0', (m) => m.page === 'elder-place', 'one place');
    expect(place.page === 'elder-place' && place.place.name).toBe('武汉市公安局出入境接待大厅');
    // No touch: the countdown, then the attract loop (screen.idleTimeoutSec 45 s in the sim).
    await boardShows((m) => m.page === 'elder-place' && m.idle !== null, 'the idle countdown', 40_000);
    await boardShows((m) => m.page === 'attract', 'the attract loop after idle', 40_000);
    await tapId('wake', (m) => m.page === 'home', 'the standard home page');
  }, 120_000);

  it('shows a bilingual CAP alert in both languages on the board within 10 s of its push', async () => {
    const key = loadSigningKey(join(sim.dataDir, 'keys', 'dev-ops.key.json'));
    const file = join(ROOT, 'docs/examples/cap/wuhan-rainstorm-orange.xml');
    const { payload } = capPayloadFromXml(readFileSync(file, 'utf8'), file, true);
    const client = await mqtt.connectAsync(sim.mqttUrl);
    const t0 = Date.now();
    await client.publishAsync(noticeTopic('smartpole/v1', { scope: 'all' }, payload.id), JSON.stringify(sign(payload, key)), { qos: 1, retain: true });
    await client.endAsync();
    // Every screen of the alert's cycle, as the board shows it, within 10 s of the push.
    const seen = new Map<number, EmergencyPage>();
    await until(async () => {
      const m = await boardShows((x) => x.page === 'emergency', 'the emergency page');
      if (m.page === 'emergency') seen.set(m.cycle.index, m);
      const count = [...seen.values()][0]?.cycle.count ?? 0;
      return count > 0 && seen.size === count;
    }, 15_000, 'every screen of the alert');
    expect(Date.now() - t0).toBeLessThanOrEqual(10_000 + 2_000); // 10 s, plus one board check of slack on a loaded machine
    const screens = [...seen.values()];
    expect(screens[0]!.cycle.count).toBeLessThanOrEqual(2);
    for (const s of screens) expect(s.blocks.map((b) => b.lang)).toEqual(['zh', 'en']);
    const text = (lang: 'zh' | 'en') => screens.flatMap((s) => s.blocks.filter((b) => b.lang === lang).flatMap((b) => [...b.title, ...b.lines])).join('').replace(/\s+/g, '');
    expect(text('zh')).toContain('武汉市气象台发布暴雨橙色预警信号');
    expect(text('en')).toMatch(/[A-Za-z]{4,}/);
    const xml = readFileSync(file, 'utf8');
    const enHeadline = /<language>en-US<\/language>[\s\S]*?<headline>([^<]+)<\/headline>/.exec(xml)![1]!;
    expect(text('en')).toContain(enHeadline.replace(/\s+/g, ''));
  }, 60_000);
});
