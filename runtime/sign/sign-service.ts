/**
 * SignService: keeps an Onbon notice sign showing what the pole should show (docs/protocols/
 * onbon.md §10). Each tick it plans the areas (sign-plan.ts) from the notice store and the clock,
 * and sends only the areas whose content changed — deletions first, so an emergency pre-empts the
 * notices at once. One request at a time; the plan is made again between requests, so a newer
 * plan (an emergency) wins over an older one that was about to go. After the card comes back from
 * silence (a restart loses its RAM areas) everything is wiped and written again.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { OnbonCard } from '../../device/onbon/onbon-card.js';
import { CardState } from '../../device/onbon/card-state.js';
import type { SignText } from '../../display/sign-text.js';
import { encodeWriteArea, type AreaPage } from '../../protocols/onbon/areas.js';
import { encodePage, type SignBitmap } from '../../protocols/onbon/bitmap.js';
import type { OnbonGeneration } from '../../protocols/onbon/header.js';
import { encodeDeleteAreas } from '../../protocols/onbon/messages.js';
import type { SmartpoleError } from '../../protocols/errors.js';
import { planSign, type AreaPlan, type PagePlan, type SignContent, type SignGeometry } from './sign-plan.js';

export interface SignServiceOptions {
  card: OnbonCard;
  text: SignText;
  geometry: SignGeometry;
  generation: OnbonGeneration;
  /** What should be on the sign now. */
  content: (now: number) => Omit<SignContent, 'test'>;
  logger: Logger;
  now?: () => number;
  tickMs?: number;
  /** Rewrite every area this often (0 = never), ms. */
  refreshMs: number;
}

export interface AreaWritten {
  id: number;
  bytes: number;
  ms: number;
}

export interface SignStatus {
  card: CardState;
  test: boolean;
  areas: { id: number; pages: number; sent: boolean }[];
  pending: number[];
  writes: number;
  bytes: number;
  lastError: string | null;
  lastWriteAt: string | null;
}

/** Bits of a test page: one colour everywhere, or a 1-px checkerboard (dead and stuck LEDs show). */
function fillPage(p: PagePlan, w: number, h: number): SignBitmap {
  const pixels = new Uint8Array(w * h);
  const c = p.fillColour ?? 1;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) pixels[y * w + x] = p.fill === 'checker' ? ((x + y) & 1 ? c : 0) : c;
  return { width: w, height: h, pixels };
}

/** Whether the service may talk to the card and read the pole's stores (not after stop: the database is closed). */
enum SignRun { Idle = 'idle', Running = 'running', Stopped = 'stopped' }

/** The write loop (sync): one round at a time; a request during a round runs one more. */
enum SyncState {
  Idle = 'idle',
  /** A round runs. */
  Syncing = 'syncing',
  /** A round runs and something changed meanwhile: one more round follows. */
  Again = 'again',
}

/** What the service knows of the card's areas. */
enum CardAreas {
  /** The card may hold areas this process did not write (start, or it restarted): delete all first. */
  Unknown = 'unknown',
  /** Every area on the card is in `sent` (or being written). */
  Known = 'known',
}

export class SignService extends EventEmitter<{ written: [AreaWritten]; synced: [] }> {
  private readonly sent = new Map<number, string>();
  /** Areas the card refused (NACK) with this content; not retried until the content changes. */
  private readonly refused = new Map<number, string>();
  private cardAreas = CardAreas.Unknown;
  /** Bumped when the card may have lost its areas: answers to requests sent before do not count. */
  private epoch = 0;
  /** The console's test pattern replaces the content (the one setting here, not a state). */
  private test = false;
  private syncState = SyncState.Idle;
  private timer: NodeJS.Timeout | null = null;
  private run = SignRun.Idle;
  private retryAt = 0;
  private refreshAt = 0;
  private planCache: { key: string; plans: AreaPlan[] } | null = null;
  private readonly stats = { writes: 0, bytes: 0, lastError: null as string | null, lastWriteAt: null as number | null };
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly planes: 1 | 2;

  constructor(private readonly o: SignServiceOptions) {
    super();
    this.log = o.logger.child({ service: 'sign' });
    this.now = o.now ?? Date.now;
    this.planes = o.geometry.dualColour ? 2 : 1;
    o.card.on('ready', () => { this.epoch++; this.cardAreas = CardAreas.Unknown; this.sent.clear(); this.refused.clear(); this.refresh(); });
  }

  start(): void {
    this.run = SignRun.Running;
    this.timer = setInterval(() => this.refresh(), this.o.tickMs ?? 1000);
    this.timer.unref?.();
    this.refreshAt = this.now() + this.o.refreshMs;
    this.refresh();
  }

  stop(): void {
    this.run = SignRun.Stopped;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  setTestPattern(on: boolean): SignStatus {
    this.test = on;
    this.log.info({ on }, 'sign test pattern');
    this.refresh();
    return this.status();
  }

  /** The areas the sign should have now. */
  plans(): AreaPlan[] {
    const content = { ...this.o.content(this.now()), test: this.test };
    const key = JSON.stringify(content);
    if (this.planCache?.key !== key) this.planCache = { key, plans: planSign(content, this.o.geometry, this.o.text) };
    return this.planCache.plans;
  }

  status(): SignStatus {
    const plans = this.plans();
    return {
      card: this.o.card.state, test: this.test,
      areas: plans.map((p) => ({ id: p.id, pages: p.pages.length, sent: this.sent.get(p.id) === p.key })),
      pending: plans.filter((p) => this.sent.get(p.id) !== p.key).map((p) => p.id),
      writes: this.stats.writes, bytes: this.stats.bytes, lastError: this.stats.lastError,
      lastWriteAt: this.stats.lastWriteAt === null ? null : new Date(this.stats.lastWriteAt).toISOString(),
    };
  }

  /** True when every planned area is on the card. */
  get inSync(): boolean {
    return this.cardAreas === CardAreas.Known && this.plans().every((p) => this.sent.get(p.id) === p.key) && [...this.sent.keys()].every((id) => this.plans().some((p) => p.id === id));
  }

  refresh(): void {
    if (this.run !== SignRun.Running) return;
    if (this.o.refreshMs > 0 && this.now() >= this.refreshAt) {
      this.refreshAt = this.now() + this.o.refreshMs;
      this.sent.clear();
    }
    void this.sync();
  }

  /** Bytes an area's pages take, rendered and packed (what goes in A7 00). */
  renderPages(p: AreaPlan): AreaPage[] {
    return p.pages.map((page) => {
      const bmp = page.fill ? fillPage(page, p.w, p.h) : this.o.text.render(page.lines, p.w, p.h);
      return { displayMode: page.displayMode, clearMode: 0, speed: 1, stay10ms: page.stay10ms, repeat: 1, data: encodePage(this.o.generation, bmp, p.x, this.planes) };
    });
  }

  private async sync(): Promise<void> {
    if (this.syncState !== SyncState.Idle) { this.syncState = SyncState.Again; return; }
    if (this.now() < this.retryAt) return;
    this.syncState = SyncState.Syncing;
    let again = false;
    try {
      while (this.o.card.ready && this.run === SignRun.Running) {
        this.syncState = SyncState.Syncing;
        if (!(await this.step())) break;
      }
    } finally {
      again = (this.syncState as SyncState) === SyncState.Again; // set by a sync() call during the awaits
      this.syncState = SyncState.Idle;
    }
    if (this.run !== SignRun.Running) return;
    if (again) void this.sync();
    else if (this.inSync) this.emit('synced');
  }

  /** Does the next piece of work; false when there is none (or it failed and waits). */
  private async step(): Promise<boolean> {
    try {
      const epoch = this.epoch;
      if (this.cardAreas === CardAreas.Unknown) {
        await this.o.card.request(encodeDeleteAreas('all'), 'delete all');
        if (epoch === this.epoch) this.cardAreas = CardAreas.Known;
        return true;
      }
      const plans = this.plans();
      const stale = [...this.sent.keys()].filter((id) => !plans.some((p) => p.id === id));
      if (stale.length) {
        await this.o.card.request(encodeDeleteAreas(stale), `delete ${stale.join(',')}`);
        if (epoch === this.epoch) for (const id of stale) this.sent.delete(id);
        return true;
      }
      const next = plans.find((p) => this.sent.get(p.id) !== p.key && this.refused.get(p.id) !== p.key);
      if (!next) return false;
      await this.write(next);
      return true;
    } catch (e) {
      if (this.run !== SignRun.Running) return false;
      const err = e as SmartpoleError;
      this.stats.lastError = `${err.code ?? 'error'}: ${err.message}`;
      const id = err.detail?.area as number | undefined;
      if ((err.code === 'SP_ONBON_NACK' || err.code === 'SP_ONBON_TOO_LARGE') && id !== undefined) {
        // This content will not go: keep it out until it changes, carry on with the other areas.
        this.refused.set(id, this.plans().find((p) => p.id === id)?.key ?? '');
        this.log.error({ code: err.code, detail: err.detail }, 'sign area refused by the card');
        return true;
      }
      this.log.warn({ code: err.code, err: err.message }, 'sign update failed; retrying');
      this.retryAt = this.now() + 2000;
      setTimeout(() => this.refresh(), 2000).unref?.();
      return false;
    }
  }

  private async write(p: AreaPlan): Promise<void> {
    const started = performance.now();
    const epoch = this.epoch;
    const msg = encodeWriteArea(this.o.generation, { id: p.id, runMode: p.runMode, timeoutSec: 0, immediate: true, x: p.x, y: p.y, w: p.w, h: p.h, pages: this.renderPages(p) });
    try {
      await this.o.card.request(msg, `area ${p.id}`);
    } catch (e) {
      const err = e as SmartpoleError;
      if (err.detail) err.detail.area = p.id;
      throw err;
    }
    if (epoch !== this.epoch) return;
    this.sent.set(p.id, p.key);
    this.refused.delete(p.id);
    const bytes = this.o.card.frameBytes(msg);
    this.stats.writes++;
    this.stats.bytes += bytes;
    this.stats.lastWriteAt = this.now();
    this.emit('written', { id: p.id, bytes, ms: performance.now() - started });
  }
}
