/**
 * LedPresenter: the pixel pipeline on top of LedLink (docs/protocols/led-link.md §4).
 * `show(frame)` never blocks the renderer: the newest frame wins while one is being sent.
 * Each transfer diffs the new frame against what the board shows, sends the changed
 * rectangles as RLE16 (or raw, whichever is smaller) in payload-sized bands, then PRESENTs.
 * A failed transfer or a board reset forgets the board's contents, so the next one repaints all.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { BLIT_HEADER, BlitEncoding, MsgType, encodeBlit, encodePresent } from '../../protocols/led-link/messages.js';
import { encodeRle16 } from '../../protocols/led-link/rle16.js';
import { copyRect, type Frame, type Rect } from '../../display/frame.js';
import { diffFrames } from '../../display/frame-diff.js';
import { LedLinkState, type LedLink } from './led-link.js';

export interface PresentedInfo {
  frameId: number;
  /** The tag passed to show() with this frame. */
  tag?: string | undefined;
  rects: number;
  bytes: number;
  /** ms from show() of this frame to the board's ACK of PRESENT. */
  latencyMs: number;
}

export interface LedPresenterStats {
  shown: number;
  presented: number;
  coalesced: number;
  failed: number;
  fullRepaints: number;
  payloadBytes: number;
}

export class LedPresenter extends EventEmitter<{ presented: [PresentedInfo] }> {
  readonly stats: LedPresenterStats = { shown: 0, presented: 0, coalesced: 0, failed: 0, fullRepaints: 0, payloadBytes: 0 };
  private boardFrame: Frame | null = null;
  private pending: { frame: Frame; at: number; tag?: string | undefined } | null = null;
  private busy = false;
  private frameId = 0;
  private readonly log: Logger;

  constructor(private readonly link: LedLink, logger: Logger) {
    super();
    this.log = logger.child({ device: 'led' });
    link.on('ready', () => this.kick());
    link.on('reset', () => { this.boardFrame = null; });
    link.on('state', (s) => { if (s !== LedLinkState.Ready) this.boardFrame = null; });
  }

  /** The frame the board is known to show, or null if unknown. */
  get shown(): Frame | null {
    return this.boardFrame;
  }

  /** Latest frame wins; returns immediately. `tag` comes back in the `presented` event. */
  show(frame: Frame, tag?: string): void {
    this.stats.shown++;
    if (this.pending) this.stats.coalesced++;
    this.pending = { frame, at: performance.now(), tag };
    this.kick();
  }

  private kick(): void {
    if (this.busy || !this.pending || this.link.state !== LedLinkState.Ready) return;
    const job = this.pending;
    this.pending = null;
    this.busy = true;
    this.transfer(job.frame, job.at, job.tag)
      .catch((e: Error) => {
        this.stats.failed++;
        this.boardFrame = null;
        this.log.warn({ err: e.message }, 'frame transfer failed; will repaint');
        if (!this.pending) this.pending = job;
      })
      .finally(() => {
        this.busy = false;
        // Retry after a failure only once the link is ready again (kick checks the state).
        if (this.pending) setImmediate(() => this.kick());
      });
  }

  private async transfer(frame: Frame, at: number, tag: string | undefined): Promise<void> {
    const caps = this.link.caps!;
    if (caps.width !== frame.width || caps.height !== frame.height) {
      throw new Error(`frame ${frame.width}x${frame.height} does not match panel ${caps.width}x${caps.height}`);
    }
    if (!this.boardFrame) this.stats.fullRepaints++;
    const rects = diffFrames(this.boardFrame, frame);
    if (rects.length === 0) {
      this.emit('presented', { frameId: this.frameId, tag, rects: 0, bytes: 0, latencyMs: performance.now() - at });
      return;
    }
    const frameId = (this.frameId = (this.frameId + 1) >>> 0);
    const rle = (caps.encodings & (1 << BlitEncoding.RLE16)) !== 0;
    const budget = Math.max(64, caps.maxPayload - BLIT_HEADER);
    const sends: Promise<void>[] = [];
    let bytes = 0;
    for (const rect of rects) {
      for (const band of bands(frame, rect, budget, rle)) {
        bytes += band.data.length;
        sends.push(this.link.send(MsgType.BLIT, encodeBlit({ frameId, ...band.rect, encoding: band.encoding, data: band.data })));
      }
    }
    await Promise.all(sends);
    await this.link.send(MsgType.PRESENT, encodePresent(frameId));
    this.boardFrame = frame;
    this.stats.presented++;
    this.stats.payloadBytes += bytes;
    this.emit('presented', { frameId, tag, rects: rects.length, bytes, latencyMs: performance.now() - at });
  }
}

interface Band {
  rect: Rect;
  encoding: BlitEncoding;
  data: Uint8Array;
}

/** Cuts a rectangle into row bands whose encoded payload fits `budget`, encoding row by row. */
function* bands(frame: Frame, rect: Rect, budget: number, rle: boolean): Generator<Band> {
  const rowBytes = rect.w * 2;
  if (rowBytes > budget) {
    // A row wider than a payload: split columns first.
    const cols = Math.max(1, Math.floor(budget / 2 / 1.01) - 2);
    for (let x = rect.x; x < rect.x + rect.w; x += cols) {
      yield* bands(frame, { x, y: rect.y, w: Math.min(cols, rect.x + rect.w - x), h: rect.h }, budget, rle);
    }
    return;
  }
  let y = rect.y;
  const end = rect.y + rect.h;
  while (y < end) {
    const parts: Uint8Array[] = [];
    let rawSize = 0;
    let rleSize = 0;
    let h = 0;
    while (y + h < end) {
      const row = copyRect(frame, { x: rect.x, y: y + h, w: rect.w, h: 1 });
      const enc = rle ? encodeRle16(row) : null;
      const nextRle = rleSize + (enc?.length ?? Infinity);
      const nextRaw = rawSize + rowBytes;
      if (h > 0 && Math.min(nextRle, nextRaw) > budget) break;
      parts.push(enc ?? new Uint8Array(0));
      rleSize = nextRle;
      rawSize = nextRaw;
      h++;
    }
    const r = { x: rect.x, y, w: rect.w, h };
    if (rle && rleSize < rawSize && rleSize <= budget) {
      yield { rect: r, encoding: BlitEncoding.RLE16, data: concat(parts, rleSize) };
    } else if (rawSize <= budget) {
      const px = copyRect(frame, r);
      yield { rect: r, encoding: BlitEncoding.RAW, data: new Uint8Array(px.buffer, px.byteOffset, px.byteLength) };
    } else {
      // RLE fitted with h rows but raw does not: shrink to what raw fits.
      const rows = Math.max(1, Math.floor(budget / rowBytes));
      yield* bands(frame, { ...r, h: Math.min(rows, h) }, budget, false);
      y += Math.min(rows, h);
      continue;
    }
    y += h;
  }
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
