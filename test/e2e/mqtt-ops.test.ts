/**
 * City operations end to end: `smartpole ops` against the sim on real PTYs and a real
 * mosquitto. The CAP samples in docs/examples/cap reach the screen (page model and the board's
 * decoded framebuffer): alert, update, test (ignored), cancel; commands answer; the fleet view
 * shows the pole; screen.snapshot returns what the board shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { ROOT, runCli, startSimProcess, until, type SimProcess } from '../helpers/sim-process.js';
import { decodePng, diffFraction } from '../helpers/png.js';

const CAP = (f: string) => join(ROOT, 'docs/examples/cap', f);
/** The page model carries text in the screen's language (zh by default). */
interface Page { page: string; lang: string; notice: { id: string; priority: string; title: string } | null }

describe('ops against a simulated pole (real PTYs, real mosquitto)', () => {
  let broker: Mosquitto;
  let sim: SimProcess;
  let watcher: mqtt.MqttClient;
  const receipts: Record<string, unknown>[] = [];
  const ops = (...args: string[]) => runCli(['ops', ...args, '--data-dir', sim.dataDir], sim.dataDir);
  const page = () => sim.api<Page>('/api/page');
  // The sim's HTTP server may close an idle keep-alive socket just as fetch reuses it: retry.
  const png = () => until(() => sim.png(), 5000, 'screen.png');

  beforeAll(async () => {
    broker = await startMosquitto();
    sim = await startSimProcess(['--mqtt-url', broker.url]);
    watcher = await mqtt.connectAsync(broker.url);
    await watcher.subscribeAsync('smartpole/v1/poles/WH-JA-0001/receipts');
    watcher.on('message', (_t, p) => receipts.push(JSON.parse(p.toString()) as Record<string, unknown>));
    await until(async () => (await sim.api<{ led: { status: string } }>('/api/health')).led.status === 'ok', 15_000, 'LED board ready');
    await until(async () => (await page())?.page === 'attract', 10_000, 'first page');
  });

  afterAll(async () => {
    await watcher?.endAsync();
    expect(await sim?.stop()).toBe(0);
    await broker?.stop();
  });

  it('shows the Wuhan rainstorm warning, its red update, ignores the test alert, and clears on cancel', async () => {
    await new Promise((r) => setTimeout(r, 300));
    const idle = await decodePng(await png());
    let r = ops('cap', 'push', '--file', CAP('wuhan-rainstorm-orange.xml'), '--rebase-time');
    expect(r.out).toMatch(/WH-JA-0001: accepted/);
    const orange = await until(async () => { const p = await page(); return p.page === 'emergency' ? p : null; }, 10_000, 'emergency page');
    expect(orange.notice).toMatchObject({ priority: 'emergency', title: '武汉市气象台发布暴雨橙色预警信号' });
    // The board's own decoded framebuffer: the emergency page replaced the attract loop.
    const shown = await until(async () => { const img = await decodePng(await png()); return diffFraction(idle, img) > 0.3 ? img : null; }, 10_000, 'framebuffer to change');
    await until(() => receipts.some((x) => x.status === 'displayed' && x.id === orange.notice!.id), 10_000, 'displayed receipt');

    r = ops('cap', 'push', '--file', CAP('wuhan-rainstorm-red-update.xml'), '--rebase-time');
    expect(r.out).toMatch(/WH-JA-0001: accepted/);
    await until(async () => (await page()).notice?.title === '武汉市气象台将暴雨橙色预警信号升级为红色', 10_000, 'red update on screen');
    await until(async () => diffFraction(shown, await decodePng(await png()), { x: 0, y: 150, w: 480, h: 650 }) > 0.01, 10_000, 'framebuffer to show the update');

    r = ops('cap', 'push', '--file', CAP('wuhan-test.xml'), '--rebase-time');
    expect(r.out).toMatch(/WH-JA-0001: ignored SP_CAP_NOT_ACTUAL/);
    expect((await page()).notice?.title).toBe('武汉市气象台将暴雨橙色预警信号升级为红色');

    r = ops('cap', 'push', '--file', CAP('shiyan-heat-yellow.xml'), '--rebase-time');
    expect(r.out).toMatch(/WH-JA-0001: ignored SP_CAP_OUT_OF_AREA/);

    r = ops('cap', 'push', '--file', CAP('wuhan-rainstorm-cancel.xml'), '--rebase-time');
    expect(r.out).toMatch(/WH-JA-0001: withdrawn/);
    await until(async () => (await page()).page === 'attract', 10_000, 'back to the attract loop');
  });

  it('runs commands: ping, notice.list, screen.snapshot (what the board shows), config.get without secrets', async () => {
    let r = ops('cmd', 'WH-JA-0001', 'ping', 'echo=你好');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ ok: true, result: { pong: true, echo: '你好' } });

    r = ops('cmd', 'WH-JA-0001', 'notice.list', '{"all": true}');
    const list = JSON.parse(r.out) as { result: { notices: { id: string; state: string; origin?: { identifier: string } }[] } };
    expect(list.result.notices.find((n) => n.origin?.identifier === '42010041600000_20260710163000_1'), JSON.stringify(list.result.notices)).toMatchObject({ state: 'withdrawn' });

    await new Promise((res) => setTimeout(res, 500));
    const file = join(sim.dataDir, 'snapshot.png');
    r = ops('cmd', 'WH-JA-0001', 'screen.snapshot', '--out', file);
    expect(r.code).toBe(0);
    const snap = await decodePng(readFileSync(file));
    const board = await decodePng(await png());
    expect([snap.width, snap.height]).toEqual([480, 800]);
    expect(diffFraction(snap, board, { x: 0, y: 0, w: 480, h: 100 })).toBeLessThan(0.05); // the clock may have ticked
    expect(diffFraction(snap, board, { x: 0, y: 100, w: 480, h: 700 })).toBe(0);

    r = ops('cmd', 'WH-JA-0001', 'config.get');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).result.value.trust.keys[0].publicKey).toMatch(/=$/);
    expect(JSON.parse(r.out).result.value.devices.modem.simPin).toBe('[redacted]');

    r = ops('cmd', 'WH-JA-0001', 'no.such.command');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, error: { code: 'SP_CMD_UNKNOWN' } });
  });

  it('shows the pole in the fleet table from its retained birth', () => {
    const r = ops('fleet', '--wait', '1');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/WH-JA-0001\s+online\s+\d+\s+0\.1\.0/);
    const json = JSON.parse(ops('fleet', '--wait', '1', '--json').out) as { pole: string; online: boolean }[];
    expect(json).toEqual([expect.objectContaining({ pole: 'WH-JA-0001', online: true })]);
  });
});
