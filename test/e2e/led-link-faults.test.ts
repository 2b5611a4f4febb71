/**
 * The LED-link fault matrix end to end over real pseudo-terminals (socat): the runtime's LedLink and
 * LedPresenter against the simulated board, with each fault injected through the same fault specs
 * /api/faults uses. After each run the board's front buffer must equal the last rendered frame
 * pixel for pixel, and every PRESENT the board ever carried out must have shown a whole rendered
 * frame (its CRC-32 is one of the rendered frames') — no half-drawn frame, ever.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedLink } from '../../device/led/led-link.js';
import { LedPresenter } from '../../device/led/led-presenter.js';
import { Renderer } from '../../display/renderer.js';
import type { Frame } from '../../lib/frame.js';
import type { PageModel } from '../../display/page-model.js';
import { crc32 } from '../../protocols/crc32.js';
import { MsgType, encodeBrightness, encodeTestPattern, TestPattern } from '../../protocols/led-link/messages.js';
import { PtyPair } from '../../simulator/serial/pty-pair.js';
import { SimLedBoard } from '../../simulator/devices/led-board.js';
import { ledBoardFaults } from '../../simulator/devices/led-board-faults.js';
import { requireTool } from '../helpers/tools.js';
import { until } from '../helpers/sim-process.js';
import { testLogger } from '../helpers/logger.js';
import { startLedRig, type LedRig } from '../helpers/led-rig.js';

const W = 480;
const H = 800;

const model = (i: number, emergency = false): PageModel => emergency
  ? { page: 'emergency', lang: 'zh', clock: { time: `10:${String(i % 60).padStart(2, '0')}`, date: '11月26日 星期四' }, notice: { id: `e${i}`, priority: 'emergency', title: `暴雨红色预警 ${i}`, body: '请立即停止户外活动，远离低洼地带。'.repeat(1 + (i % 3)) }, rotation: { index: 1, count: 1 }, step: 1, cycle: { index: 1, count: 1 }, blocks: [{ lang: 'zh', title: [`暴雨红色预警 ${i}`], lines: Array.from({ length: 1 + (i % 3) }, () => '请立即停止户外活动，远离低洼地带。') }], hits: [], pressed: null, idle: null }
  : {
    page: 'attract', lang: i % 2 ? 'en' : 'zh', clock: { time: `10:${String(i % 60).padStart(2, '0')}`, date: '11月26日 星期四' }, location: '武汉市江岸区澳门路',
    notice: i % 2
      ? { id: `n${i}`, priority: i % 3 ? 'normal' : 'high', title: `Notice ${i}: Riverside park hours`, body: 'Please take care. '.repeat(1 + (i % 5)) }
      : { id: `n${i}`, priority: i % 3 ? 'normal' : 'high', title: `第${i}条公告：江滩公园开放时间调整`, body: '内容：请注意安全。'.repeat(1 + (i % 5)) },
    rotation: { index: 1 + (i % 4), count: 4 }, weather: null, status: { lamp: null, charging: null, pads: null }, hits: [], pressed: null, idle: null,
  };

describe('LED link fault matrix over real PTYs', () => {
  const log = testLogger();
  const renderer = new Renderer(W, H);
  const frames: Frame[] = Array.from({ length: 10 }, (_, i) => renderer.render(model(i, i % 4 === 3)));
  const rendered = new Set(frames.map((f) => crc32(new Uint8Array(f.pixels.buffer))));
  let rig: LedRig;
  let pair: PtyPair;
  let board: SimLedBoard;
  let link: LedLink;
  let presenter: LedPresenter;
  let faults: ReturnType<typeof ledBoardFaults>;

  beforeAll(async () => {
    requireTool('socat');
    rig = await startLedRig({ logger: log, width: W, height: H, linkRate: 2_000_000, baudRate: 1_000_000, statusIntervalMs: 500 });
    ({ pair, board, link, presenter } = rig);
    faults = ledBoardFaults(board, pair);
  });

  afterAll(async () => { await rig?.stop(); });

  /** Shows frames[from..to) one after another (some coalesce) and waits for the last to land. */
  async function showAndLand(from: number, to: number, mid?: () => Promise<void> | void): Promise<void> {
    for (let i = from; i < to; i++) {
      presenter.show(frames[i % frames.length]!, `f${i}`);
      if (i === from && mid) await mid();
      await new Promise((r) => setTimeout(r, 15));
    }
    const last = frames[(to - 1) % frames.length]!;
    await until(() => presenter.shown === last && Buffer.from(board.front.buffer).equals(Buffer.from(last.pixels.buffer)), 30_000, 'last frame on the board');
  }

  function expectNoHalfFrames(): void {
    // A blank board after a reboot is the only picture that was never rendered.
    const blank = crc32(new Uint8Array(W * H * 2));
    for (const p of board.presents) expect(rendered.has(p.crc) || p.crc === blank, `present ${p.frameId}`).toBe(true);
  }

  it('clean link: frames land exactly', async () => {
    await showAndLand(0, 4);
    expectNoHalfFrames();
  });

  it('1 % of bytes corrupted both ways: FEC switches on and every frame lands exactly', async () => {
    await faults.corrupt!.run({ rate: 0.01 });
    try {
      await showAndLand(4, 10);
      expect(link.fecState()!.parity).toBeGreaterThan(0);
      expect(board.stats.corruptedBytes).toBeGreaterThan(0);
    } finally {
      await faults.corrupt!.run({ rate: 0 });
    }
    expectNoHalfFrames();
  });

  it('dropped frames: SACK and timeouts retransmit them', async () => {
    await faults.drop!.run({ rate: 0.1 });
    try {
      await showAndLand(0, 5);
      expect(board.stats.droppedFrames).toBeGreaterThan(0);
      expect(link.stats.retransmits).toBeGreaterThan(0);
    } finally {
      await faults.drop!.run({ rate: 0 });
    }
    expectNoHalfFrames();
  });

  it('a stalled board: retries, resynchronises, repaints', async () => {
    await showAndLand(5, 6);
    await showAndLand(6, 8, () => faults.stall!.run({ ms: 1200 }));
    expect(board.stats.stalledBytes).toBeGreaterThan(0);
    expectNoHalfFrames();
  });

  it('a spontaneous board reset mid-transfer: HELLO again, full repaint', async () => {
    const resets = link.stats.boardResets;
    const repaints = presenter.stats.fullRepaints;
    await showAndLand(0, 3, () => { setTimeout(() => faults.reset!.run({}), 5); });
    await until(() => link.stats.boardResets > resets, 5_000, 'reset noticed');
    await showAndLand(3, 4);
    expect(presenter.stats.fullRepaints).toBeGreaterThan(repaints);
    expectNoHalfFrames();
  });

  it('cable pulled and put back mid-transfer', async () => {
    await showAndLand(4, 6, async () => { await faults.unplug!.run({}); await new Promise((r) => setTimeout(r, 100)); await faults.replug!.run({}); });
    expectNoHalfFrames();
  });

  it('a failed module is reported in STATUS and FAULT, and the framebuffer stays exact', async () => {
    const fault = new Promise((r) => link.once('fault', r));
    await faults['fail-module']!.run({ module: 4, failed: true });
    expect(await fault).toMatchObject({ code: 3, active: true, module: 4 });
    await until(() => link.lastStatus?.failedModules.includes(4) === true, 5_000, 'status names module 4');
    await showAndLand(7, 9);
    await faults.clear!.run({});
    expectNoHalfFrames();
  });

  it('brightness and test patterns change the panel without a repaint', async () => {
    await showAndLand(2, 3);
    const presents = board.presents.length;
    await link.send(MsgType.BRIGHTNESS, encodeBrightness({ percent: 35, rampMs: 0 }));
    await until(() => link.lastStatus?.brightness === 35, 5_000, 'status reports 35 %');
    await link.send(MsgType.TEST_PATTERN, encodeTestPattern({ pattern: TestPattern.GRID, r: 0, g: 0, b: 0, param: 20 }));
    expect(board.panel.testPattern.pattern).toBe(TestPattern.GRID);
    await link.send(MsgType.TEST_PATTERN, encodeTestPattern({ pattern: TestPattern.OFF, r: 0, g: 0, b: 0, param: 0 }));
    expect(board.presents.length).toBe(presents);
    expect(Buffer.from(board.front.buffer).equals(Buffer.from(frames[2]!.pixels.buffer))).toBe(true);
  });
});
