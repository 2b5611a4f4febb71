/**
 * Half-duplex RS-485 (docs/protocols/led-link.md §5.5) over real pseudo-terminals: the host and
 * the simulated board both in half-duplex mode at 921600 baud. The board counts a collision
 * whenever host bytes arrive while its own answer is still on the line; with the turn rules
 * there must be none — except after an answer the board sent later than the host's answer time
 * (`late`: the simulated board shares a starved event loop on a loaded machine; a real board answers
 * in bounded time) — frames must land exactly (also through 1 % corruption), and the board's
 * STATUS must still reach the host although the board may only speak when asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedLink } from '../../device/led/led-link.js';
import { LedPresenter } from '../../device/led/led-presenter.js';
import { Renderer } from '../../display/renderer.js';
import type { Frame } from '../../display/frame.js';
import type { PageModel } from '../../display/page-model.js';
import { crc32 } from '../../protocols/crc32.js';
import { SimLedBoard } from '../../simulator/devices/led-board.js';
import { requireTool } from '../helpers/tools.js';
import { until } from '../helpers/sim-process.js';
import { testLogger } from '../helpers/logger.js';
import { startLedRig, type LedRig } from '../helpers/led-rig.js';

const W = 480;
const H = 800;
const RATE = 92_160; // 921600 baud, 8N1

const model = (i: number): PageModel => ({
  page: 'attract', lang: i % 2 ? 'en' : 'zh', clock: { time: `10:${String(i % 60).padStart(2, '0')}`, date: '11月26日 星期四' }, location: '武汉市江岸区澳门路',
  notice: { id: `n${i}`, priority: 'normal', title: i % 2 ? `Notice ${i}: Riverside park hours` : `第${i}条公告：江滩公园开放时间调整`, body: '内容：请注意安全。'.repeat(1 + (i % 3)) },
  rotation: { index: 1 + (i % 4), count: 4 }, weather: null, status: { lamp: null, charging: null, pads: null }, hits: [], pressed: null, idle: null,
});

describe('LED link over half-duplex RS-485 (real PTYs)', () => {
  const log = testLogger();
  const renderer = new Renderer(W, H);
  const frames: Frame[] = Array.from({ length: 6 }, (_, i) => renderer.render(model(i)));
  const rendered = new Set(frames.map((f) => crc32(new Uint8Array(f.pixels.buffer))));
  let rig: LedRig;
  let board: SimLedBoard;
  let link: LedLink;
  let presenter: LedPresenter;
  /** Collisions must not happen unless the board answered after the host gave its answer up. */
  const expectNoCollision = (): void => {
    const t = link.turnStats!;
    expect(board.stats.collisions, `collisions with turns ${JSON.stringify(t)}`).toBeLessThanOrEqual(t.late);
  };

  beforeAll(async () => {
    requireTool('socat');
    rig = await startLedRig({ logger: log, width: W, height: H, linkRate: RATE, baudRate: 921_600, statusIntervalMs: 300, halfDuplex: { turnaroundMs: 2 } });
    ({ board, link, presenter } = rig);
  });

  afterAll(async () => { await rig?.stop(); });

  async function showAndLand(from: number, to: number): Promise<void> {
    for (let i = from; i < to; i++) presenter.show(frames[i % frames.length]!, `f${i}`);
    const last = frames[(to - 1) % frames.length]!;
    await until(() => presenter.shown === last && Buffer.from(board.front.buffer).equals(Buffer.from(last.pixels.buffer)), 30_000, 'last frame on the board');
  }

  it('frames land exactly and the two ends never drive the line at once', async () => {
    await showAndLand(0, 3);
    for (const p of board.presents) expect(rendered.has(p.crc)).toBe(true);
    expect(board.stats.turns).toBeGreaterThan(2);
    expectNoCollision();
  });

  it('the board, which speaks only when asked, still reports STATUS (the host polls)', async () => {
    link.lastStatus = null;
    await until(() => link.lastStatus !== null, 10_000, 'a STATUS while idle');
    expect(link.stats.resyncs).toBe(0);
    expectNoCollision();
  });

  it('1 % of bytes corrupted: every frame still lands exactly, no collision', async () => {
    board.faults.corruptRate = 0.01;
    try {
      await showAndLand(3, 6);
      expect(board.stats.corruptedBytes).toBeGreaterThan(0);
    } finally {
      board.faults.corruptRate = 0;
    }
    for (const p of board.presents) expect(rendered.has(p.crc)).toBe(true);
    expectNoCollision();
  });
});
