/**
 * ScreenService: decides the page model from the notice playlist and the clock, renders it when
 * it changes, and hands frames to the LED presenter. Emits `displayed` receipts when a notice
 * first reaches the board (design.md data flow 1).
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { NoticeView, PageModel, Language } from '../../display/page-model.js';
import type { Renderer } from '../../display/renderer.js';
import type { Frame } from '../../display/frame.js';
import type { NoticeStore, StoredNotice } from '../notices/notice-store.js';
import { selectPlaylist, type Playlist } from '../notices/scheduler.js';
import type { Reporter } from '../uplink/reporter.js';
import { clockText } from './clock-text.js';

/** Where frames go: the LED presenter, or anything else that shows them. */
export interface FrameSink {
  show(frame: Frame, tag?: string): void;
  on(event: 'presented', cb: (info: { tag?: string | undefined }) => void): unknown;
}

export interface ScreenServiceOptions {
  store: NoticeStore;
  renderer: Renderer;
  sink: FrameSink;
  reporter: Reporter;
  logger: Logger;
  timeZone: string;
  language: Language;
  location: string;
  now: () => number;
  /** How often the clock and rotation are checked. Default 1000 ms. */
  tickMs?: number;
}

export class ScreenService extends EventEmitter<{ page: [PageModel] }> {
  private model: PageModel | null = null;
  private modelKey = '';
  private playlist: Playlist = { tier: null, items: [] };
  private index = 0;
  private shownSince = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly log: Logger;
  readonly stats = { renders: 0, lastRenderMs: 0 };

  constructor(private readonly o: ScreenServiceOptions) {
    super();
    this.log = o.logger.child({ service: 'screen' });
    o.sink.on('presented', (info) => this.onPresented(info.tag));
  }

  get page(): PageModel | null {
    return this.model;
  }

  start(): void {
    this.refresh();
    this.timer = setInterval(() => this.tick(), this.o.tickMs ?? 1000);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Notices changed: re-select at once. A notice that arrived while another was showing goes on
   * screen now (an emergency pre-empts, a new notice is seen without waiting for the rotation);
   * otherwise the current one keeps its turn.
   */
  refresh(): void {
    const now = this.o.now();
    const prev = this.playlist.items[this.index];
    const key = (n: StoredNotice) => `${n.issuer}\u0000${n.id}\u0000${n.version}`;
    const before = new Set(this.playlist.items.map(key));
    this.playlist = selectPlaylist(this.o.store.active(now), now, this.o.timeZone);
    const items = this.playlist.items;
    let arrival = -1;
    items.forEach((n, i) => {
      if (!before.has(key(n)) && (arrival < 0 || n.receivedAt >= items[arrival]!.receivedAt)) arrival = i;
    });
    const keep = prev ? items.findIndex((n) => key(n) === key(prev)) : -1;
    if (arrival >= 0 || keep < 0) {
      this.index = Math.max(0, arrival);
      this.shownSince = now;
    } else {
      this.index = keep;
    }
    this.update(now);
  }

  /** Once a second: rotate when the current notice's turn is over, then re-select (validity, dayparts, expiry). */
  private tick(): void {
    const now = this.o.now();
    const items = this.playlist.items;
    const current = items[this.index];
    if (current && items.length > 1 && now - this.shownSince >= current.payload.durationSec * 1000) {
      this.index = (this.index + 1) % items.length;
      this.shownSince = now;
    }
    this.refresh();
  }

  private buildModel(now: number): PageModel {
    const lang = this.o.language;
    const clock = clockText(now, this.o.timeZone, lang);
    const n = this.playlist.items[this.index];
    const view = n ? toView(n) : null;
    if (view && this.playlist.tier === 'emergency') return { page: 'emergency', lang, clock, notice: view };
    return { page: 'attract', lang, clock, location: this.o.location, notice: view, rotation: { index: this.index + 1, count: this.playlist.items.length } };
  }

  private update(now: number): void {
    const model = this.buildModel(now);
    const key = JSON.stringify(model);
    if (key === this.modelKey) return;
    this.model = model;
    this.modelKey = key;
    const t0 = performance.now();
    const frame = this.o.renderer.render(model);
    this.stats.renders++;
    this.stats.lastRenderMs = performance.now() - t0;
    const n = this.playlist.items[this.index];
    this.o.sink.show(frame, n ? `${n.issuer}\u0000${n.id}\u0000${n.version}` : undefined);
    this.emit('page', model);
  }

  private onPresented(tag: string | undefined): void {
    if (!tag) return;
    const [issuer, id, version] = tag.split('\u0000') as [string, string, string];
    if (this.o.store.markDisplayed(issuer, id, this.o.now())) {
      this.log.info({ id, issuer }, 'notice displayed');
      this.o.reporter.receipt({ kind: 'notice', id, issuer, version: Number(version), status: 'displayed' });
    }
  }
}

function toView(n: StoredNotice): NoticeView {
  return { id: n.id, priority: n.payload.priority, title: n.payload.title, body: n.payload.body };
}
