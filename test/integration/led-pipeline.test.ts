/**
 * The pixel path without MQTT: renderer → presenter → LED link → in-process serial pair →
 * simulated board. The board's front buffer must equal the rendered frame pixel for pixel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import type { BindingInterface } from '@serialport/bindings-interface';
import { InProcessSerialHub } from '../../device/serial/in-process-binding.js';
import { SerialLink } from '../../device/serial/serial-link.js';
import { LedLink } from '../../device/led/led-link.js';
import { LedPresenter } from '../../device/led/led-presenter.js';
import { Renderer } from '../../display/renderer.js';
import { InProcessPair } from '../../simulator/serial/in-process-pair.js';
import { SimLedBoard } from '../../simulator/devices/led-board.js';
import { testLogger } from '../helpers/logger.js';
import type { PageModel } from '../../display/page-model.js';

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const s of stops.splice(0).reverse()) await s(); });

async function rig() {
  const log = testLogger();
  const hub = new InProcessSerialHub();
  const pair = new InProcessPair('led', '/sim', hub);
  await pair.start();
  const board = new SimLedBoard({ pair, width: 480, height: 800, logger: log, linkRate: 20_000_000 });
  board.start();
  const serial = new SerialLink({ path: pair.hostPath, baudRate: 1_000_000, name: 'led', logger: log, binding: hub.binding as unknown as BindingInterface, backoff: { initialMs: 10, maxMs: 50 } });
  const link = new LedLink({ serial, logger: log });
  const presenter = new LedPresenter(link, log);
  serial.start();
  stops.push(() => board.stop(), () => { link.close(); return serial.stop(); });
  await once(link, 'ready');
  return { pair, board, presenter, link };
}

const model = (title: string, time = '10:00'): PageModel => ({
  page: 'attract', lang: 'zh', clock: { time, date: '11月26日 星期四' }, location: '武汉市江岸区澳门路',
  notice: { id: 'n', priority: 'normal', title, body: '内容：请注意安全。' }, rotation: { index: 1, count: 1 },
  weather: null, status: { lamp: null, charging: null, pads: null }, hits: [], pressed: null, idle: null,
});

describe('LED pipeline', () => {
  it('lands a full frame and then a small change exactly, sending less the second time', async () => {
    const { board, presenter } = await rig();
    const r = new Renderer(480, 800);
    const f1 = r.render(model('第一条公告'));
    presenter.show(f1);
    const p1 = (await once(presenter, 'presented'))[0];
    expect(Buffer.from(board.front.buffer).equals(Buffer.from(f1.pixels.buffer))).toBe(true);
    const f2 = r.render(model('第一条公告', '10:01'));
    presenter.show(f2);
    const p2 = (await once(presenter, 'presented'))[0];
    expect(Buffer.from(board.front.buffer).equals(Buffer.from(f2.pixels.buffer))).toBe(true);
    expect(p2.bytes).toBeLessThan(p1.bytes / 5);
  });

  it('coalesces frames shown faster than the link drains to the newest', async () => {
    const { board, presenter } = await rig();
    const r = new Renderer(480, 800);
    const frames = ['甲', '乙', '丙', '丁', '戊'].map((t) => r.render(model(t)));
    for (const f of frames) presenter.show(f);
    await new Promise<void>((resolve) => presenter.on('presented', () => {
      if (Buffer.from(board.front.buffer).equals(Buffer.from(frames.at(-1)!.pixels.buffer))) resolve();
    }));
    expect(presenter.stats.coalesced).toBeGreaterThan(0);
    expect(presenter.stats.presented).toBeLessThan(frames.length);
  });

  it('repaints everything after the board resets', async () => {
    const { board, presenter, link } = await rig();
    const r = new Renderer(480, 800);
    const f = r.render(model('重置测试'));
    presenter.show(f);
    await once(presenter, 'presented');
    board.boot(); // blanks the panel and announces CAPS
    await once(link, 'reset');
    presenter.show(f);
    await once(presenter, 'presented');
    expect(Buffer.from(board.front.buffer).equals(Buffer.from(f.pixels.buffer))).toBe(true);
    expect(presenter.stats.fullRepaints).toBe(2);
  });

  it('recovers when the cable is pulled and put back', async () => {
    const { pair, board, presenter, link } = await rig();
    const r = new Renderer(480, 800);
    await pair.unplug();
    await new Promise((res) => setTimeout(res, 30));
    const f = r.render(model('拔插测试'));
    presenter.show(f);
    await pair.replug();
    await once(link, 'ready');
    await once(presenter, 'presented');
    expect(Buffer.from(board.front.buffer).equals(Buffer.from(f.pixels.buffer))).toBe(true);
  });
});
