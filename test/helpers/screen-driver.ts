/**
 * Driving the sim's public screen end to end: taps as eGalax packets on the touch PTY
 * (`POST /api/touch`), and "the board shows this page" checked on the simulated board's decoded
 * framebuffer, which must equal — pixel for pixel — the page model rendered here.
 */
import { Renderer } from '../../display/renderer.js';
import { toRgba } from '../../lib/frame.js';
import type { PageModel } from '../../display/page-model.js';
import { decodePng } from './png.js';
import { until, type SimProcess } from './sim-process.js';

export type TouchAction = 'tap' | 'down' | 'move' | 'up';

export function screenDriver(sim: () => SimProcess) {
  const renderer = new Renderer(480, 800, 0.5);
  const page = () => sim().api<PageModel>('/api/page');
  const touch = (x: number, y: number, action: TouchAction = 'tap') =>
    sim().api<{ ok: boolean; raw: { x: number; y: number } }>('/api/touch', { method: 'POST', body: JSON.stringify({ x, y, action }), headers: { 'content-type': 'application/json' } });

  /** The board shows exactly this page model (rendered locally), or the model moved on (clock) and we retry. */
  async function boardShows(pred: (m: PageModel) => boolean, what: string, timeoutMs = 15_000): Promise<PageModel> {
    return until(async () => {
      const m = await page();
      if (!pred(m)) return null;
      const img = await decodePng(await sim().png());
      const want = toRgba(renderer.render(m));
      const again = await page();
      if (JSON.stringify(again) !== JSON.stringify(m)) return null;
      return Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length).equals(Buffer.from(want.buffer)) ? m : null;
    }, timeoutMs, `board to show ${what}`);
  }

  /** Taps the centre of the hit region `id` on the current page, then waits for the board to show `then`. */
  async function tapId(id: string, then: (m: PageModel) => boolean, what: string): Promise<PageModel> {
    const m = await page();
    const h = m.hits.find((x) => x.id === id);
    if (!h) throw new Error(`no hit "${id}" on ${m.page}: ${m.hits.map((x) => x.id).join(', ')}`);
    await touch(h.rect.x + Math.floor(h.rect.w / 2), h.rect.y + Math.floor(h.rect.h / 2));
    return boardShows(then, what);
  }

  /**
   * From the home page, leaves the sample citizen's message (lighting → a lamp is out) and returns
   * its ticket number as the done page shows it.
   */
  async function leaveMessage(): Promise<string> {
    await tapId('tile:feedback', (m) => m.page === 'feedback', 'the message board');
    await tapId('report', (m) => m.page === 'feedback-category', 'categories');
    await tapId('cat:lighting', (m) => m.page === 'feedback-problem', 'problems');
    await tapId('problem:lamp-out', (m) => m.page === 'feedback-confirm', 'confirm');
    const done = await tapId('submit', (m) => m.page === 'feedback-done', 'the ticket');
    return done.page === 'feedback-done' ? done.ticket : '';
  }

  /** The sim's LED board and touch panel are up (health ok on both). */
  async function devicesReady(): Promise<void> {
    await until(async () => {
      const h = await sim().api<Record<string, { status: string }>>('/api/health');
      return h.led?.status === 'ok' && h.touch?.status === 'ok';
    }, 15_000, 'LED board and touch panel ready');
  }

  return { renderer, page, touch, boardShows, tapId, leaveMessage, devicesReady };
}
