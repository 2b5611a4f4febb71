/**
 * The screen module (runtime/screen/module.ts) on an in-memory database with the Wuhan sample
 * data, a settable clock and a sink that records frames, driven by hit-region id. Page-model tests,
 * the screenshot script (scripts/screenshots.ts) and the render bench use it; it is not part of a pole.
 */
import type { NoticeRef } from '../runtime/notices/notice-ref.js';
import { EventEmitter } from 'node:events';
import { openDatabase } from '../runtime/storage/database.js';
import { NoticeStore } from '../runtime/notices/notice-store.js';
import { Outbox } from '../runtime/uplink/outbox.js';
import { Reporter } from '../runtime/uplink/reporter.js';
import { DataSetStore } from '../runtime/data/dataset-store.js';
import { TypedDataSets } from '../runtime/data/typed-datasets.js';
import { seedDataSets } from '../runtime/data/seed.js';
import { FeedbackStore } from '../runtime/feedback/feedback-store.js';
import { FeedbackService } from '../runtime/feedback/feedback-service.js';
import { DEFAULT_FEEDBACK_CATEGORIES } from '../runtime/feedback/categories.js';
import type { FrameSink } from '../runtime/screen/screen-service.js';
import { createScreen } from '../runtime/screen/module.js';
import type { FieldStatusProvider } from '../runtime/screen/field-view.js';
import { parseConfig } from '../runtime/config/load.js';
import { HealthRegistry } from '../runtime/health.js';
import { CommandRegistry } from '../runtime/commands/registry.js';
import { poleTopics } from '../protocols/topics.js';
import { NoticePayload } from '../protocols/notice.js';
import { isoWithOffset } from '../protocols/time.js';
import type { Frame } from '../display/frame.js';
import type { PageModel } from '../display/page-model.js';
import { pino, type Logger } from 'pino';
import { SAMPLE_DIR } from './sample-data.js';

export { SAMPLE_DIR };

/** Presents every frame at once; keeps the last few (tests compare consecutive frames). */
export class FakeSink extends EventEmitter implements FrameSink {
  shown: { frame: Frame; tag?: NoticeRef | undefined }[] = [];
  count = 0;
  show(frame: Frame, tag?: NoticeRef): void {
    this.shown.push({ frame, tag });
    if (this.shown.length > 4) this.shown.shift();
    this.count++;
    this.emit('presented', { tag });
  }
}

export interface RigOptions {
  logger?: Logger; language?: 'zh' | 'en'; seed?: boolean; start?: number; idleTimeoutSec?: number; idleWarningSec?: number; width?: number; height?: number; pitch?: number;
  /** The tickets' random source (default node:crypto randomInt); the screenshots fix it so they do not change on every run. */
  ticketRandom?: (max: number) => number;
}

/** A config for the fixture's pole in Wuhan (the screen module reads pole and screen sections). */
function fixtureConfig(o: RigOptions) {
  return parseConfig({
    pole: { id: 'WH-JA-0001', timezone: 'Asia/Shanghai', language: o.language ?? 'zh', location: { address: '武汉市江岸区澳门路', lat: 30.6043, lon: 114.3012 } },
    mqtt: { url: 'mqtt://127.0.0.1:1' }, trust: { keys: [{ kid: 'fixture', issuer: 'fixture', publicKey: 'A'.repeat(44) }] },
    screen: { width: o.width ?? 480, height: o.height ?? 800, pixelPitchMm: o.pitch ?? 0.5, idleTimeoutSec: o.idleTimeoutSec ?? 45, idleWarningSec: o.idleWarningSec ?? 20 },
  });
}

export function screenFixture(o: RigOptions = {}) {
  let t = o.start ?? Date.parse('2026-11-27T10:30:00+08:00'); // a Friday morning
  const now = () => t;
  const config = fixtureConfig(o);
  const db = openDatabase(':memory:');
  const store = new NoticeStore(db);
  const outbox = new Outbox(db, { now });
  const topics = poleTopics('smartpole/v1', config.pole.id, []);
  const log = o.logger ?? pino({ level: 'silent' });
  const reporter = new Reporter({ outbox, topics, poleId: config.pole.id, timeZone: config.pole.timezone, logger: log, now });
  const datasets = new DataSetStore(db);
  if (o.seed !== false) seedDataSets(datasets, SAMPLE_DIR, 'sample', log, t);
  const typed = new TypedDataSets(datasets, log, now);
  const fstore = new FeedbackStore(db);
  const loc = config.pole.location;
  const categories = () => typed.get('feedback-categories')?.data ?? DEFAULT_FEEDBACK_CATEGORIES;
  const feedback = new FeedbackService({
    store: fstore, reporter, logger: log, now, categories, pole: { id: config.pole.id, address: loc.address, lat: loc.lat, lon: loc.lon },
    ...(o.ticketRandom ? { randomInt: o.ticketRandom } : {}),
  });
  const sink = new FakeSink();
  // The clock only moves when the test says (advance), so the module's own timer never fires.
  const module = createScreen(config, {
    logger: log, now, monotonic: now, health: new HealthRegistry(), commands: new CommandRegistry(), tickMs: 1e9,
    notices: store, data: { typed, feedback, categories }, sink, reporter, fieldStatus: null,
  });
  const screen = module.service;
  const renderer = module.renderer;
  datasets.on('changed', module.refresh);
  const flush = () => new Promise<void>((r) => setImmediate(r));
  const page = <P extends PageModel['page']>(expected?: P): Extract<PageModel, { page: P }> => {
    const m = screen.page!;
    if (expected && m.page !== expected) throw new Error(`expected page ${expected}, on ${m.page}`);
    return m as Extract<PageModel, { page: P }>;
  };
  /** Taps the hit region with this id (as the panel reports a finger: down, up, tap at its centre). */
  const tap = async (id: string) => {
    const h = screen.page!.hits.find((x) => x.id === id);
    if (!h) throw new Error(`no hit region "${id}" on ${screen.page!.page}; have ${screen.page!.hits.map((x) => x.id).join(', ')}`);
    const x = h.rect.x + Math.floor(h.rect.w / 2);
    const y = h.rect.y + Math.floor(h.rect.h / 2);
    screen.touch({ type: 'down', x, y, t: 0 });
    await flush();
    screen.touch({ type: 'up', x, y, t: 0, cancelled: false });
    screen.touch({ type: 'tap', x, y, t: 0 });
    await flush();
  };
  const addNotice = (id: string, over: Record<string, unknown> = {}) => {
    store.upsert('ops', `smartpole/v1/notices/all/${id}`, NoticePayload.parse({
      type: 'notice', id, audience: 'all', version: 1, issuedAt: isoWithOffset(t - 60_000), title: { zh: `通知${id}`, en: `Notice ${id}` }, body: { zh: `内容${id}`, en: `Body ${id}` }, ...over,
    }), t);
    screen.refresh();
  };
  const advance = (ms: number) => { t += ms; (screen as unknown as { tick(): void }).tick(); };
  const setField = (p: FieldStatusProvider | null) => screen.setFieldStatus(p);
  return { screen, sink, store, outbox, datasets, feedback, fstore, renderer, reporter, page, tap, flush, addNotice, advance, setField, now, set: (ms: number) => { t = ms; } };
}
