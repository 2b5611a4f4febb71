/**
 * ScreenService: the public screen (docs/architecture.md §Flow 1, §Flow 4). It keeps the notice rotation
 * and the UI session, turns touch events into press feedback and actions, builds the page model,
 * renders it when it changes and hands frames to the LED presenter (FrameSink). Nothing on the
 * touch path waits on the network or the disk, except a citizen's message, which is one local
 * SQLite transaction. Emits `displayed` receipts when a notice first reaches the board.
 *
 * Idle (docs/screen.md §Behaviour): after `idleTimeoutSec − idleWarningSec` without touch a countdown
 * banner appears; any touch extends; at zero the session resets to the attract loop and forgets
 * everything typed. An emergency notice pre-empts every page and also resets the session.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Hit, PageModel, Language, UiAction } from '../../display/page-model.js';
import type { Renderer } from '../../display/renderer.js';
import type { Frame, Rect } from '../../lib/frame.js';
import { hitAt } from '../../display/views.js';
import type { TouchEvent } from '../../device/touch/touch-panel.js';
import type { FeedbackCategoriesData } from '../../protocols/datasets.js';
import type { NoticeStore } from '../notices/notice-store.js';
import type { Reporter } from '../uplink/reporter.js';
import type { TypedDataSets } from '../data/typed-datasets.js';
import type { FeedbackService } from '../feedback/feedback-service.js';
import { TicketLookupGuard } from '../feedback/lookup-guard.js';
import { monotonicClock } from '../clock-watch.js';
import { clockText } from './clock-text.js';
import { NoticeRotation } from './notice-rotation.js';
import { noticeRef, type NoticeRef } from '../notices/notice-ref.js';
import { UiSession } from './ui-session.js';
import { applyAction } from './ui-actions.js';
import { PlaceSearch } from './place-search.js';
import type { FieldStatusProvider } from './field-view.js';
import { buildPage } from './build/index.js';
import type { BuildContext, ScreenLinks } from './build/context.js';
import { nextTick } from '../../lib/next-tick.js';

/**
 * Where frames go: the LED presenter, or anything else that shows them. A frame showing a notice
 * carries its NoticeRef; `presented` hands it back once the board shows that frame.
 */
export interface FrameSink {
  show(frame: Frame, tag?: NoticeRef): void;
  on(event: 'presented', cb: (info: { tag?: NoticeRef | undefined }) => void): unknown;
}

export interface ScreenServiceOptions {
  store: NoticeStore;
  data: TypedDataSets;
  feedback: FeedbackService;
  feedbackCategories: () => FeedbackCategoriesData;
  renderer: Renderer;
  sink: FrameSink;
  reporter: Reporter;
  logger: Logger;
  timeZone: string;
  language: Language;
  pole: { id: string; address: string; lat: number; lon: number };
  links: ScreenLinks;
  /** Elder mode's home services, most used first (config screen.elder.services); absent: the data set's first four. */
  elderServices?: readonly string[];
  idleTimeoutSec: number;
  /** Seconds of countdown shown before the reset (WCAG 2.2.1 asks ≥ 20 s to react). */
  idleWarningSec: number;
  now: () => number;
  /** Monotonic ms for the ticket lookup limit. Default performance.now (runtime/clock-watch.ts). */
  monotonic?: () => number;
  /** How often the clock, rotation and idle countdown are checked. Default 500 ms. */
  tickMs?: number;
}

/** A calibration cross to press: screen point and which of the points it is. */
export interface CalibrationTarget { x: number; y: number; index: number; count: number }

/** One finger contact on the glass, as the screen acts on it. */
export enum Contact {
  /** No finger, or one not on a control. */
  None = 'none',
  /** The contact began on the emergency or calibration screen: not the UI's, to its very end. */
  Ignored = 'ignored',
  /** The finger is down on a control: its press ring shows. */
  Pressed = 'pressed',
  /** The finger lifted off a control (or the page was reset under it); the tap that follows acts on that control. */
  Released = 'released',
}

/** What pre-empts the visitor's page (docs/screen.md §Behaviour). */
export enum Overlay {
  None = 'none',
  /** An emergency notice: every page, calibration included; its start ends the visit. */
  Emergency = 'emergency',
  /** The console's touch calibration cross. */
  Calibration = 'calibration',
}

export interface ScreenStats {
  renders: number;
  lastRenderMs: number;
  maxRenderMs: number;
  touches: number;
  actions: number;
  idleResets: number;
}

export class ScreenService extends EventEmitter<{ page: [PageModel]; action: [UiAction] }> {
  readonly session: UiSession;
  readonly stats: ScreenStats = { renders: 0, lastRenderMs: 0, maxRenderMs: 0, touches: 0, actions: 0, idleResets: 0 };
  private readonly rotation: NoticeRotation;
  private readonly search = new PlaceSearch();
  private model: PageModel | null = null;
  private modelKey = '';
  /** The finger on the glass (one contact: down … up, tap or swipe). */
  private contact = Contact.None;
  /** The hit region the finger came down on (Pressed, Released): a tap acts on it even if the page changed meanwhile (the idle banner vanishes on touch). */
  private contactHit: Hit | null = null;
  /** What pre-empted the visitor's page at the last update. */
  private overlay = Overlay.None;
  /** The console's calibration cross while `touch calibrate` runs (shown unless an emergency is). */
  private calibration: CalibrationTarget | null = null;
  private lastActivity = 0;
  private field: FieldStatusProvider | null = null;
  private unsubscribeField: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly updateSoon = nextTick(() => this.update());
  private readonly log: Logger;
  private readonly lookups: TicketLookupGuard;

  constructor(private readonly o: ScreenServiceOptions) {
    super();
    this.log = o.logger.child({ service: 'screen' });
    this.lookups = new TicketLookupGuard({ reporter: o.reporter, logger: this.log, monotonic: monotonicClock(o.monotonic) });
    this.session = new UiSession(o.language);
    this.rotation = new NoticeRotation(o.store, o.timeZone);
    o.sink.on('presented', (info) => this.onPresented(info.tag));
  }

  get page(): PageModel | null {
    return this.model;
  }

  start(): void {
    this.rotation.refresh(this.o.now());
    this.update();
    this.timer = setInterval(() => this.tick(), this.o.tickMs ?? 500);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // A queued redraw would read stores the pole closes next (docs/architecture.md §Modules: stop order).
    this.updateSoon.cancel();
    this.unsubscribeField?.();
  }

  /** Notices changed: re-select the playlist now. */
  refresh(): void {
    this.rotation.refresh(this.o.now());
    this.update();
  }

  /** Wires the field-bus services; null shows "unavailable". */
  setFieldStatus(p: FieldStatusProvider | null): void {
    this.unsubscribeField?.();
    this.field = p;
    this.unsubscribeField = p?.subscribe?.(() => this.invalidate()) ?? null;
    this.invalidate();
  }

  /**
   * Shows a calibration cross (the console's `touch calibrate`) instead of any page but an
   * emergency, or returns to the normal screen (null). The visit in progress is ended.
   */
  showCalibration(target: CalibrationTarget | null): void {
    if (target && !this.calibration) this.session.reset();
    this.calibration = target;
    this.unpress();
    this.update();
  }

  /** Back to the attract loop, forgetting the visitor. */
  reset(): void {
    this.session.reset();
    this.unpress();
    this.update();
  }

  /** Touch input from the TouchPanel (screen pixels). */
  touch(e: TouchEvent): void {
    this.stats.touches++;
    this.lastActivity = this.o.now();
    const m = this.model;
    // A contact that began on the emergency or calibration screen is not the UI's, to its very
    // end: its release (and tap) must not act on the page that follows.
    const overlaid = !m || m.page === 'emergency' || m.page === 'calibration';
    if (e.type === 'down') this.setContact(overlaid ? Contact.Ignored : Contact.None, null);
    if (this.contact === Contact.Ignored || overlaid) return;
    switch (e.type) {
      case 'down': {
        const hit = hitAt(m, e.x, e.y);
        this.setContact(hit ? Contact.Pressed : Contact.None, hit);
        // With the idle banner up, the touch also takes it down: a full update.
        if (m.idle) break;
        this.pressNow();
        return;
      }
      case 'move':
        // Sliding off a control cancels it, as on a phone.
        if (this.contact === Contact.Pressed && !within(this.contactHit!.rect, e.x, e.y, this.o.renderer.geometry.minTargetPx / 2)) this.setContact(Contact.None, null);
        break;
      case 'up':
        this.unpress();
        break;
      case 'tap': {
        const down = this.contact === Contact.Pressed || this.contact === Contact.Released ? this.contactHit : null;
        const hit = down && within(down.rect, e.x, e.y, 0) ? down : hitAt(m, e.x, e.y);
        this.setContact(Contact.None, null);
        if (hit) this.act(hit.action);
        break;
      }
      case 'swipe':
        this.setContact(Contact.None, null);
        if (m.page === 'attract') this.act({ type: 'wake' });
        else if ('pager' in m && m.pager.count > 1) this.act({ type: 'page', delta: e.direction === 'left' || e.direction === 'up' ? 1 : -1 });
        break;
    }
    this.invalidate();
  }

  /** A tap at a screen point without a panel (commands, console). Returns the hit region's id. */
  tap(x: number, y: number): string | null {
    const m = this.model;
    const hit = m && m.page !== 'emergency' && m.page !== 'calibration' ? hitAt(m, x, y) : null;
    this.lastActivity = this.o.now();
    if (hit) this.act(hit.action);
    this.update();
    return hit?.id ?? null;
  }

  /** Applies a UI action (what a hit region does). */
  act(action: UiAction): void {
    this.stats.actions++;
    this.lastActivity = this.o.now();
    const m = this.model;
    applyAction(this.session, action, {
      pager: m && 'pager' in m ? m.pager : null,
      feedback: this.o.feedback,
      lookups: this.lookups,
      onSubmitted: (ticket) => this.log.info({ ticket }, 'citizen message submitted on screen'),
    });
    this.emit('action', action);
    this.invalidate();
  }

  private setContact(c: Contact, hit: Hit | null): void {
    this.contact = c;
    this.contactHit = hit;
  }

  /** The press ring goes (finger up, or the page was reset under it); a tap may still follow. */
  private unpress(): void {
    if (this.contact === Contact.Pressed) this.contact = Contact.Released;
  }

  /** The hit region drawn pressed. */
  private get pressedId(): string | null {
    return this.contact === Contact.Pressed ? this.contactHit!.id : null;
  }

  /** Coalesces changes within one turn of the event loop into one render. */
  private invalidate(): void {
    this.updateSoon();
  }

  private tick(): void {
    const now = this.o.now();
    this.rotation.tick(now);
    if (this.session.mode !== 'attract' && !this.calibration && now - this.lastActivity >= this.o.idleTimeoutSec * 1000) {
      this.stats.idleResets++;
      this.log.info({ from: this.session.mode }, 'idle timeout: back to the attract loop');
      this.session.reset();
      this.unpress();
    }
    this.update();
  }

  private idle(now: number): { secondsLeft: number } | null {
    if (this.session.mode === 'attract') return null;
    const left = this.o.idleTimeoutSec * 1000 - (now - this.lastActivity);
    return left <= this.o.idleWarningSec * 1000 ? { secondsLeft: Math.max(1, Math.ceil(left / 1000)) } : null;
  }

  private context(now: number): BuildContext {
    return {
      session: this.session, now, clock: clockText(now, this.o.timeZone, this.session.lang), timeZone: this.o.timeZone,
      g: this.o.renderer.geometry, tm: this.o.renderer.measure, pole: this.o.pole,
      rotation: { notice: this.rotation.current, ...this.rotation.position },
      notices: () => this.o.store.active(now), data: this.o.data, search: this.search,
      feedback: this.o.feedback, feedbackCategories: this.o.feedbackCategories, field: this.field, links: this.o.links,
      elderServices: this.o.elderServices ?? [],
    };
  }

  private update(): void {
    const now = this.o.now();
    const emergency = this.rotation.emergency;
    const overlay = emergency ? Overlay.Emergency : this.calibration ? Overlay.Calibration : Overlay.None;
    if (overlay === Overlay.Emergency && this.overlay !== Overlay.Emergency) {
      // The takeover ends any visit in progress; afterwards the screen returns to the attract loop.
      this.session.reset();
      this.unpress();
    }
    this.overlay = overlay;
    let model: PageModel;
    try {
      model = buildPage(this.context(now), { emergency, calibration: this.calibration, pressed: this.pressedId, idle: this.calibration ? null : this.idle(now) });
    } catch (e) {
      // A bug in one page must not freeze the screen: log it and fall back to the attract loop.
      this.log.error({ err: (e as Error).stack, mode: this.session.mode }, 'page build failed; resetting the screen');
      this.session.reset();
      model = buildPage(this.context(now), { emergency, calibration: this.calibration, pressed: null, idle: null });
    }
    const key = JSON.stringify(model);
    if (key === this.modelKey) return;
    this.present(model, key);
  }

  /**
   * Press feedback at once: only `pressed` changes, so the page on screen is redrawn with it
   * without rebuilding its content (the next regular update rebuilds anyway).
   */
  private pressNow(): void {
    const m = this.model;
    const id = this.pressedId;
    if (!m || m.pressed === id || m.page === 'emergency' || m.page === 'calibration') return;
    const model = { ...m, pressed: id } as PageModel;
    this.present(model, JSON.stringify(model));
  }

  private present(model: PageModel, key: string): void {
    this.model = model;
    this.modelKey = key;
    const t0 = performance.now();
    const frame = this.o.renderer.render(model);
    const ms = performance.now() - t0;
    this.stats.renders++;
    this.stats.lastRenderMs = ms;
    this.stats.maxRenderMs = Math.max(this.stats.maxRenderMs, ms);
    const shown = model.page === 'attract' || model.page === 'emergency' ? this.rotation.current : null;
    this.o.sink.show(frame, shown ? noticeRef(shown) : undefined);
    this.emit('page', model);
  }

  private onPresented(ref: NoticeRef | undefined): void {
    if (!ref) return;
    const { issuer, id, version } = ref;
    if (this.o.store.markDisplayed(issuer, id, this.o.now())) {
      this.log.info({ id, issuer }, 'notice displayed');
      this.o.reporter.receipt({ kind: 'notice', id, issuer, version, status: 'displayed' });
    }
  }
}

function within(r: Rect, x: number, y: number, slop: number): boolean {
  return x >= r.x - slop && x < r.x + r.w + slop && y >= r.y - slop && y < r.y + r.h + slop;
}
