/**
 * A notice rendered exactly as a pole renders it, before it is sent (docs/feedback.md §Operations
 * console libraries). Not a look-alike: the pole's own ScreenService builds the page models
 * (runtime/screen) and the pole's Renderer (display/renderer.ts, node-canvas with the bundled CJK
 * fonts) draws them, for each language, into PNGs:
 *
 * - normal / high notices: the attract loop showing the notice, then every page of the notice as a
 *   passer-by who opens it reads it (a long body runs over several pages);
 * - emergency notices: every screen of the full-screen takeover (a long alert turns between
 *   screens every EMERGENCY_DWELL_MS, docs/screen.md §Bilingual emergencies).
 *
 * Dayparts decide when a notice plays, not how it looks, so the preview ignores them; it is drawn
 * at `at` moved inside the notice's validity when `at` lies outside it.
 * The surroundings of the notice (clock, place, weather, the pole's own status) come from the
 * options: pass a pole's address and the preview time to see that pole's screen.
 */
import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { Renderer } from '../display/renderer.js';
import type { PageModel } from '../display/page-model.js';
import { EMERGENCY_DWELL_MS } from '../display/pages/emergency.js';
import { NoticePayload } from '../protocols/notice.js';
import { poleTopics } from '../protocols/topics.js';
import { openDatabase, closeDatabase } from '../runtime/storage/database.js';
import { NoticeStore } from '../runtime/notices/notice-store.js';
import { Outbox } from '../runtime/uplink/outbox.js';
import { Reporter } from '../runtime/uplink/reporter.js';
import { DataSetStore } from '../runtime/data/dataset-store.js';
import { TypedDataSets } from '../runtime/data/typed-datasets.js';
import { seedDataSets } from '../runtime/data/seed.js';
import { FeedbackStore } from '../runtime/feedback/feedback-store.js';
import { FeedbackService } from '../runtime/feedback/feedback-service.js';
import { DEFAULT_FEEDBACK_CATEGORIES } from '../runtime/feedback/categories.js';
import { ScreenService, type FrameSink } from '../runtime/screen/screen-service.js';
import type { FieldStatusProvider } from '../runtime/screen/field-view.js';
import { ScreenSection } from '../runtime/config/schema.js';

export interface PreviewOptions {
  /** Screen size and pitch of the poles it goes to. Default 480 × 800 at 0.5 mm. */
  width?: number;
  height?: number;
  pixelPitchMm?: number;
  /** Languages to render. Default zh and en. */
  languages?: readonly ('zh' | 'en')[];
  /** The moment shown (clock in the header). Default now. */
  at?: number;
  timeZone?: string;
  /** The pole whose screen is shown (its address is on the attract loop). */
  pole?: { id: string; address: string; lat: number; lon: number };
  /** A directory of data-set JSON files (e.g. the weather) the attract loop shows around the notice, as a pole seeded from it. */
  dataDir?: string;
  /** The pole's own status row on the attract loop (lamp, charging, pads), e.g. from its telemetry; without it the row reads 暂不可用, as on a pole without a field bus. */
  field?: FieldStatusProvider;
}

export interface PreviewImage {
  lang: 'zh' | 'en';
  /** attract (the loop with the notice), notice (a page of it opened), emergency (a screen of the takeover). */
  page: 'attract' | 'notice' | 'emergency';
  /** 1-based position among the images of this page kind and language, and how many there are. */
  index: number;
  count: number;
  png: Buffer;
  /** The page model drawn (what the pole's GET /api/page would return). */
  model: PageModel;
}

/** Keeps the last frame shown: the preview reads the renderer's surface right after each page. */
class PreviewSink extends EventEmitter implements FrameSink {
  show(): void { /* the renderer's surface holds the frame */ }
}

const flush = () => new Promise<void>((r) => setImmediate(r));

/** Renders `input` (a NoticePayload or a draft that parses as one) as each language's pages. Throws the zod error on a bad notice. */
export async function previewNotice(input: unknown, o: PreviewOptions = {}): Promise<PreviewImage[]> {
  const parsed = NoticePayload.parse(input);
  // When it plays is not how it looks: every hour of the day, and at a moment inside its validity
  // (the pole shows "issued" and "until" from the notice itself).
  const { dayparts: _d, ...notice } = parsed;
  const from = Date.parse(notice.validFrom ?? notice.issuedAt);
  const to = notice.expiresAt ? Date.parse(notice.expiresAt) - 1000 : Infinity;
  const at = Math.max(from, Math.min(o.at ?? Date.now(), to));
  const out: PreviewImage[] = [];
  for (const lang of o.languages ?? ['zh', 'en']) out.push(...await renderLanguage(notice, lang, at, o));
  return out;
}

async function renderLanguage(notice: NoticePayload, lang: 'zh' | 'en', start: number, o: PreviewOptions): Promise<PreviewImage[]> {
  let t = start;
  const now = () => t;
  const log = pino({ level: 'silent' });
  const db = openDatabase(':memory:');
  const timeZone = o.timeZone ?? 'Asia/Shanghai';
  const pole = o.pole ?? { id: 'PREVIEW', address: '', lat: 30.6, lon: 114.3 };
  try {
    const store = new NoticeStore(db);
    const reporter = new Reporter({ outbox: new Outbox(db, { now }), topics: poleTopics('smartpole/v1', pole.id, []), poleId: pole.id, timeZone, logger: log, now });
    const datasets = new DataSetStore(db);
    if (o.dataDir) seedDataSets(datasets, o.dataDir, 'preview', log, t);
    const data = new TypedDataSets(datasets, log, now);
    const categories = () => DEFAULT_FEEDBACK_CATEGORIES;
    const feedback = new FeedbackService({ store: new FeedbackStore(db), reporter, logger: log, now, categories, pole });
    const renderer = new Renderer(o.width ?? 480, o.height ?? 800, o.pixelPitchMm ?? 0.5);
    const screen = new ScreenService({
      store, data, feedback, feedbackCategories: categories, renderer, sink: new PreviewSink(), reporter, logger: log, timeZone, language: lang, now, monotonic: now, pole,
      links: { feedbackUrl: '', mapUrl: '' }, elderServices: ScreenSection.parse({}).elder.services, idleTimeoutSec: 3600, idleWarningSec: 10, tickMs: 1e9,
    });
    store.upsert('preview', `smartpole/v1/notices/all/${notice.id}`, notice, t);
    if (o.field) screen.setFieldStatus(o.field);
    screen.start();
    screen.stop(); // no ticking: the preview moves the clock itself
    const shots: { page: PreviewImage['page']; png: Buffer; model: PageModel }[] = [];
    const shoot = () => {
      const model = screen.page!;
      shots.push({ page: model.page === 'emergency' ? 'emergency' : model.page === 'notice' ? 'notice' : 'attract', png: renderer.png(), model });
      return model;
    };
    const first = shoot();
    if (first.page === 'emergency') {
      for (let i = 1; i < first.cycle.count; i++) {
        t += EMERGENCY_DWELL_MS;
        screen.refresh();
        shoot();
      }
    } else {
      // As a passer-by opens it: wake, 公告 Notices, its row.
      for (const action of [{ type: 'wake' }, { type: 'go', to: 'notices' }] as const) {
        screen.act(action);
        await flush();
      }
      const row = screen.page!.hits.find((h) => h.id === 'row:0');
      if (!row) throw new Error(`the notice is not listed on the notices page (${screen.page!.page})`);
      screen.act(row.action);
      await flush();
      let m = shoot();
      while (m.page === 'notice' && m.pager.index < m.pager.count) {
        screen.act({ type: 'page', delta: 1 });
        await flush();
        m = shoot();
      }
    }
    return shots.map((s) => {
      const same = shots.filter((x) => x.page === s.page);
      return { lang, ...s, index: same.indexOf(s) + 1, count: same.length };
    });
  } finally {
    closeDatabase(db);
  }
}
