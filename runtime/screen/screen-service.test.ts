/**
 * ScreenService on fake timers with the real page builders, Renderer and SQLite stores (in
 * memory); the frame sink records what would go to the LED presenter (docs/screen.md):
 * one render per turn however many changes, press feedback at once, the idle countdown and
 * reset, the emergency takeover, the calibration overlay and touches that began on it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import { openDatabase } from '../storage/database.js';
import { NoticeStore } from '../notices/notice-store.js';
import { Outbox } from '../uplink/outbox.js';
import { Reporter } from '../uplink/reporter.js';
import { DataSetStore } from '../data/dataset-store.js';
import { TypedDataSets } from '../data/typed-datasets.js';
import { FeedbackStore } from '../feedback/feedback-store.js';
import { FeedbackService } from '../feedback/feedback-service.js';
import { DEFAULT_FEEDBACK_CATEGORIES } from '../feedback/categories.js';
import { poleTopics } from '../../protocols/topics.js';
import { NoticePayload } from '../../protocols/notice.js';
import { isoWithOffset } from '../../protocols/time.js';
import { Renderer } from '../../display/renderer.js';
import type { Frame } from '../../display/frame.js';
import type { PageModel } from '../../display/page-model.js';
import { testLogger } from '../../test/helpers/logger.js';
import { ScreenService, type FrameSink } from './screen-service.js';
import type { NoticeRef } from '../notices/notice-ref.js';

/** Records frames and acknowledges each at once, as a presenter on an idle link would. */
class RecordingSink extends EventEmitter implements FrameSink {
  readonly shown: { frame: Frame; tag?: NoticeRef | undefined }[] = [];
  show(frame: Frame, tag?: NoticeRef): void {
    this.shown.push({ frame, tag });
    this.emit('presented', { tag });
  }
}

const IDLE_SEC = 60;
const WARN_SEC = 20;
const screens: ScreenService[] = [];
const renderer = new Renderer(480, 800, 0.5);

function rig() {
  const now = () => Date.now();
  const logger = testLogger();
  const db = openDatabase(':memory:');
  const store = new NoticeStore(db);
  const outbox = new Outbox(db, { now });
  const reporter = new Reporter({ outbox, topics: poleTopics('smartpole/v1', 'WH-JA-0001', []), poleId: 'WH-JA-0001', timeZone: 'Asia/Shanghai', logger, now });
  const data = new TypedDataSets(new DataSetStore(db), logger, now);
  const pole = { id: 'WH-JA-0001', address: '武汉市江岸区澳门路', lat: 30.6043, lon: 114.3012 };
  const categories = () => DEFAULT_FEEDBACK_CATEGORIES;
  const feedback = new FeedbackService({ store: new FeedbackStore(db), reporter, logger, now, categories, pole });
  const sink = new RecordingSink();
  const screen = new ScreenService({
    store, data, feedback, feedbackCategories: categories, renderer, sink, reporter, logger, timeZone: 'Asia/Shanghai', language: 'zh', now, pole,
    links: { feedbackUrl: 'https://example.gov.cn/ticket?no={ticket}&pole={poleId}', mapUrl: 'https://example.gov.cn/map?p={lon},{lat}' },
    idleTimeoutSec: IDLE_SEC, idleWarningSec: WARN_SEC, tickMs: 500,
  });
  screens.push(screen);
  const page = () => screen.page!;
  const centre = (id: string) => {
    const h = page().hits.find((x) => x.id === id);
    if (!h) throw new Error(`no hit "${id}" on ${page().page}: ${page().hits.map((x) => x.id).join(', ')}`);
    return { x: h.rect.x + (h.rect.w >> 1), y: h.rect.y + (h.rect.h >> 1) };
  };
  /** A finger: down, up and tap at the centre of a hit region, a turn of the event loop between. */
  const tap = async (id: string) => {
    const { x, y } = centre(id);
    screen.touch({ type: 'down', x, y, t: 0 });
    await vi.advanceTimersByTimeAsync(0);
    screen.touch({ type: 'up', x, y, t: 0, cancelled: false });
    screen.touch({ type: 'tap', x, y, t: 0 });
    await vi.advanceTimersByTimeAsync(0);
  };
  const notice = (id: string, over: Record<string, unknown> = {}) => {
    store.upsert('ops', `smartpole/v1/notices/all/${id}`, NoticePayload.parse({
      type: 'notice', id, audience: 'all', version: 1, issuedAt: isoWithOffset(now() - 60_000), title: { zh: `通知${id}`, en: `Notice ${id}` }, body: { zh: `内容${id}`, en: `Body ${id}` }, ...over,
    }), now());
    screen.refresh();
  };
  const receipts = () => outbox.next(0, 100).map((r) => JSON.parse(r.payload.toString()) as { id: string; status: string });
  /** A screen point on no hit region of the page on screen. */
  const bare = () => {
    for (let y = 0; y < 800; y += 8) for (let x = 0; x < 480; x += 8) if (!page().hits.some((h) => x >= h.rect.x && x < h.rect.x + h.rect.w && y >= h.rect.y && y < h.rect.y + h.rect.h)) return { x, y };
    throw new Error('no bare point');
  };
  return { screen, sink, store, page, centre, tap, notice, receipts, bare };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.parse('2026-11-27T10:30:00+08:00'));
});
afterEach(() => {
  for (const s of screens.splice(0)) s.stop();
  vi.useRealTimers();
});

describe('ScreenService', () => {
  it('renders once per turn of the event loop however many actions came in it', async () => {
    const { screen, sink, page } = rig();
    screen.start();
    const before = screen.stats.renders;
    screen.act({ type: 'wake' });
    screen.act({ type: 'go', to: 'notices' });
    screen.act({ type: 'back' });
    expect(screen.stats.renders).toBe(before);
    await vi.advanceTimersByTimeAsync(0);
    expect(screen.stats.renders).toBe(before + 1);
    expect(sink.shown).toHaveLength(before + 1);
    expect(page().page).toBe('home');
  });

  it('shows press feedback at once on touch down, before any tick, and acts on the tap', async () => {
    const { screen, page, centre, tap } = rig();
    screen.start();
    await tap('wake');
    expect(page().page).toBe('home');
    const { x, y } = centre('tile:notices');
    const renders = screen.stats.renders;
    screen.touch({ type: 'down', x, y, t: 0 });
    expect(screen.stats.renders).toBe(renders + 1);
    expect(page().pressed).toBe('tile:notices');
    screen.touch({ type: 'up', x, y, t: 0, cancelled: false });
    screen.touch({ type: 'tap', x, y, t: 0 });
    await vi.advanceTimersByTimeAsync(0);
    expect(page().page).toBe('notices');
    expect(page().pressed).toBeNull();
  });

  it('counts down before the idle reset, a touch takes the banner down, and at zero it returns to the attract loop', async () => {
    const { screen, page, tap, centre } = rig();
    screen.start();
    await tap('wake');
    await vi.advanceTimersByTimeAsync((IDLE_SEC - WARN_SEC - 1) * 1000);
    expect(page().idle).toBeNull();
    await vi.advanceTimersByTimeAsync(1500);
    expect(page().idle).toEqual({ secondsLeft: WARN_SEC });
    await vi.advanceTimersByTimeAsync(5000);
    expect(page().idle!.secondsLeft).toBeLessThanOrEqual(WARN_SEC - 4);
    // Any touch extends: the banner goes, the visit stays.
    const { x, y } = centre('tile:transit');
    screen.touch({ type: 'down', x, y, t: 0 });
    screen.touch({ type: 'up', x, y, t: 0, cancelled: false });
    await vi.advanceTimersByTimeAsync(0);
    expect(page().page).toBe('home');
    expect(page().idle).toBeNull();
    expect(screen.stats.idleResets).toBe(0);
    await vi.advanceTimersByTimeAsync(IDLE_SEC * 1000 + 500);
    expect(page().page).toBe('attract');
    expect(screen.session.mode).toBe('attract');
    expect(screen.stats.idleResets).toBe(1);
    // The attract loop has no countdown and no further reset.
    await vi.advanceTimersByTimeAsync(IDLE_SEC * 2000);
    expect(page().idle).toBeNull();
    expect(screen.stats.idleResets).toBe(1);
  });

  it('an emergency notice pre-empts every page and ends the visit; a touch that began on it does not act afterwards', async () => {
    const { screen, page, tap, notice, store, receipts } = rig();
    screen.start();
    await tap('wake');
    await tap('tile:notices');
    expect(page().page).toBe('notices');
    notice('e1', { priority: 'emergency' });
    expect(page().page).toBe('emergency');
    expect(screen.session.mode).toBe('attract');
    // A finger lands on the emergency page; the emergency is withdrawn before it lifts.
    screen.touch({ type: 'down', x: 240, y: 400, t: 0 });
    store.withdraw('ops', 'e1', 1, Date.now());
    screen.refresh();
    const after = page().page;
    expect(after).toBe('attract');
    screen.touch({ type: 'up', x: 240, y: 400, t: 0, cancelled: false });
    screen.touch({ type: 'tap', x: 240, y: 400, t: 0 }); // on the attract page this would wake it
    await vi.advanceTimersByTimeAsync(0);
    expect(page().page).toBe('attract');
    expect(screen.stats.actions).toBe(2); // the two taps before the emergency, nothing since
    // The next contact is the UI's again.
    await tap('wake');
    expect(page().page).toBe('home');
    expect(receipts().filter((r) => r.status === 'displayed').map((r) => r.id)).toEqual(['e1']);
  });

  it('shows the calibration cross over the UI (not over an emergency), swallows touches, never idles out, and returns to attract', async () => {
    const { screen, page, tap, notice, store } = rig();
    screen.start();
    await tap('wake');
    screen.showCalibration({ x: 48, y: 80, index: 0, count: 5 });
    expect(page().page).toBe('calibration');
    expect(screen.session.mode).toBe('attract');
    screen.touch({ type: 'down', x: 48, y: 80, t: 0 });
    screen.touch({ type: 'up', x: 48, y: 80, t: 0, cancelled: false });
    screen.touch({ type: 'tap', x: 48, y: 80, t: 0 });
    await vi.advanceTimersByTimeAsync(IDLE_SEC * 2000);
    expect(page().page).toBe('calibration');
    expect(screen.stats.idleResets).toBe(0);
    notice('e2', { priority: 'emergency' });
    expect(page().page).toBe('emergency');
    store.withdraw('ops', 'e2', 1, Date.now());
    screen.refresh();
    expect(page().page).toBe('calibration');
    screen.showCalibration(null);
    expect(page().page).toBe('attract');
  });

  it('a finger sliding off a control cancels it; one that took the idle banner down still taps what it came down on', async () => {
    const { screen, page, centre, tap, bare } = rig();
    screen.start();
    await tap('wake');
    const t = centre('tile:notices');
    const off = bare();
    screen.touch({ type: 'down', ...t, t: 0 });
    expect(page().pressed).toBe('tile:notices');
    screen.touch({ type: 'move', ...off, t: 0 });
    await vi.advanceTimersByTimeAsync(0);
    expect(page().pressed).toBeNull();
    screen.touch({ type: 'up', ...off, t: 0, cancelled: false });
    screen.touch({ type: 'tap', ...off, t: 0 });
    await vi.advanceTimersByTimeAsync(0);
    expect(page().page).toBe('home');
    // With the idle banner up, a finger comes down on a control: the banner goes (a full update,
    // no press ring in between), and the tap still acts on the control the finger came down on.
    await vi.advanceTimersByTimeAsync((IDLE_SEC - WARN_SEC + 1) * 1000);
    expect(page().idle).not.toBeNull();
    const tr = centre('tile:transit');
    screen.touch({ type: 'down', ...tr, t: 0 });
    await vi.advanceTimersByTimeAsync(0);
    expect(page().idle).toBeNull();
    expect(page().pressed).toBe('tile:transit');
    screen.touch({ type: 'up', ...tr, t: 0, cancelled: false });
    await vi.advanceTimersByTimeAsync(0);
    expect(page().pressed).toBeNull();
    screen.touch({ type: 'tap', ...tr, t: 0 });
    await vi.advanceTimersByTimeAsync(0);
    expect(page().page).toBe('transit');
  });

  it('labels a frame that shows a notice with its NoticeRef, and no other frame', async () => {
    const { screen, sink, notice, tap } = rig();
    screen.start();
    notice('a');
    expect(sink.shown.at(-1)!.tag).toEqual({ issuer: 'ops', id: 'a', version: 1 });
    expect(Object.isFrozen(sink.shown.at(-1)!.tag)).toBe(true);
    await tap('wake');
    expect(sink.shown.at(-1)!.tag).toBeUndefined();
  });

  it('reports a notice displayed once, when the board first shows it', async () => {
    const { screen, page, notice, receipts } = rig();
    screen.start();
    notice('a', { durationSec: 10 });
    notice('b', { durationSec: 10 });
    expect((page() as Extract<PageModel, { page: 'attract' }>).notice?.id).toBe('b');
    await vi.advanceTimersByTimeAsync(10_500);
    await vi.advanceTimersByTimeAsync(10_500);
    const displayed = receipts().filter((r) => r.status === 'displayed').map((r) => r.id);
    expect(displayed.sort()).toEqual(['a', 'b']);
  });
});
