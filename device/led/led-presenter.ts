/**
 * LedPresenter: the pixel pipeline on top of LedLink (docs/protocols/led-link.md §7).
 * `show(frame)` never blocks the renderer: the newest frame wins while one is being sent.
 * The presenter keeps a model of the board's back buffer; each transfer diffs the new frame
 * against it, cuts the changed rectangles into bands that fit the link's payload limit, encodes
 * each band only when the link pulls it (so encoding overlaps the wire and nothing queues
 * without bound), then PRESENTs with the back buffer's CRC-32 so the board shows the frame
 * exactly or not at all. A failed transfer or a board reset forgets the model: the next
 * transfer repaints the whole screen.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { BLIT_HEADER, MAX_BLIT_PIXELS, MsgType, encodeBlit, encodePresent, Feature } from '../../protocols/led-link/messages.js';
import { PixelEncoder } from '../../protocols/led-link/pixel-codecs.js';
import { crc32 } from '../../protocols/crc32.js';
import type { Frame, Rect } from '../../display/frame.js';
import { diffFrames } from '../../display/frame-diff.js';
import { LedLinkState, type LedLink, type LinkJob } from './led-link.js';

/**
 * `Tag` is the caller's label for a frame, handed back untouched in `presented` (the screen labels
 * the frames that show a notice); the presenter never looks inside it.
 */
export interface PresentedInfo<Tag = unknown> {
  frameId: number;
  /** The tag passed to show() with this frame. */
  tag?: Tag | undefined;
  rects: number;
  blits: number;
  /** Encoded pixel bytes (BLIT payload data). */
  bytes: number;
  /** ms from show() of this frame to the board's ACK of PRESENT. */
  latencyMs: number;
  /** ms spent diffing and encoding this frame (on the event loop, interleaved with the wire). */
  encodeMs: number;
}

export interface LedPresenterStats {
  shown: number;
  presented: number;
  coalesced: number;
  failed: number;
  fullRepaints: number;
  payloadBytes: number;
  encodeMs: number;
}

export interface LedPresenterOptions {
  /** Diff tile edge in pixels. Default 16. */
  tile?: number;
  /** DEFLATE level. Default 6. */
  level?: number;
  now?: () => number;
}

interface Transfer<Tag> {
  id: number;
  frameId: number;
  frame: Frame;
  tag: Tag | undefined;
  at: number;
  rects: Rect[];
  rect: number;
  /** Next row (and column, for rectangles wider than a payload) inside rects[rect]. */
  y: number;
  x: number;
  blits: number;
  bytes: number;
  encodeMs: number;
  /** Encoded bytes per pixel of the last band: sizes the next one. */
  bpp: number;
}

export class LedPresenter<Tag = unknown> extends EventEmitter<{ presented: [PresentedInfo<Tag>]; transfer: [{ frameId: number; tag?: Tag | undefined }] }> {
  readonly stats: LedPresenterStats = { shown: 0, presented: 0, coalesced: 0, failed: 0, fullRepaints: 0, payloadBytes: 0, encodeMs: 0 };
  /** What the board's back buffer holds once every queued BLIT lands; null = unknown. */
  private back: Uint16Array | null = null;
  private front: Frame | null = null;
  private pending: { frame: Frame; at: number; tag?: Tag | undefined } | null = null;
  /** The transfer being encoded. */
  private current: Transfer<Tag> | null = null;
  /** Transfers whose PRESENT is queued but not yet acknowledged (the next frame may already stream). */
  private readonly presenting = new Set<Transfer<Tag>>();
  private frameId = 0;
  private transfers = 0;
  private readonly encoder: PixelEncoder;
  private readonly scratch = new Uint16Array(MAX_BLIT_PIXELS);
  private readonly log: Logger;
  private readonly now: () => number;

  constructor(private readonly link: LedLink, logger: Logger, private readonly o: LedPresenterOptions = {}) {
    super();
    this.log = logger.child({ device: 'led' });
    this.encoder = new PixelEncoder({ level: o.level ?? 6 });
    this.now = o.now ?? (() => performance.now());
    link.setSource(() => this.nextJob());
    link.on('ready', () => link.kick());
    link.on('reset', () => this.forget('link reset'));
    link.on('state', (s) => { if (s !== LedLinkState.Ready) this.forget(`link ${s}`); });
  }

  /** The frame the board is known to show, or null if unknown. */
  get shown(): Frame | null {
    return this.front;
  }

  /** Latest frame wins; returns immediately. `tag` comes back in the `presented` event. */
  show(frame: Frame, tag?: Tag): void {
    this.stats.shown++;
    if (this.pending) this.stats.coalesced++;
    this.pending = { frame, at: this.now(), tag };
    this.link.kick();
  }

  /** The board's contents are unknown: abandon the transfer in progress and repaint next time. */
  private forget(why: string): void {
    this.back = null;
    this.front = null;
    const all = [...this.presenting, ...(this.current ? [this.current] : [])];
    this.current = null;
    this.presenting.clear();
    if (all.length === 0) return;
    this.stats.failed += all.length;
    const newest = all.reduce((a, b) => (b.id > a.id ? b : a));
    this.log.debug({ why, frameId: newest.frameId }, 'transfer abandoned; will repaint');
    if (!this.pending) this.pending = { frame: newest.frame, at: newest.at, tag: newest.tag };
  }

  /** Called by the link whenever it has window room. */
  private nextJob(): LinkJob | null {
    if (!this.current) {
      if (!this.pending) return null;
      if (!this.begin()) return null;
    }
    const t = this.current!;
    const t0 = this.now();
    try {
      const blit = this.nextBlit(t);
      if (blit) return blit;
      // Frame N+1 may stream right behind PRESENT N: the board applies frames in seq order.
      this.current = null;
      this.presenting.add(t);
      const caps = this.link.caps!;
      const crc = caps.features & Feature.VERIFY_CRC ? crc32(new Uint8Array(this.back!.buffer, this.back!.byteOffset, this.back!.byteLength)) : null;
      return { type: MsgType.PRESENT, payload: encodePresent({ frameId: t.frameId, blits: t.blits, crc }), done: (e) => this.onPresentDone(t, e) };
    } finally {
      const dt = this.now() - t0;
      t.encodeMs += dt;
      this.stats.encodeMs += dt;
    }
  }

  private begin(): boolean {
    const caps = this.link.caps;
    const job = this.pending!;
    if (!caps) return false;
    this.pending = null;
    const { frame } = job;
    if (caps.width !== frame.width || caps.height !== frame.height) {
      this.log.error({ frame: [frame.width, frame.height], panel: [caps.width, caps.height] }, 'frame size does not match the panel; dropped');
      return false;
    }
    const t0 = this.now();
    let rects: Rect[];
    if (!this.back) {
      this.stats.fullRepaints++;
      this.back = new Uint16Array(frame.width * frame.height);
      rects = [{ x: 0, y: 0, w: frame.width, h: frame.height }];
    } else {
      rects = diffFrames({ width: frame.width, height: frame.height, pixels: this.back }, frame, { tile: this.o.tile ?? 16 });
    }
    if (rects.length === 0) {
      // Nothing to change: the board already shows it.
      this.front = frame;
      this.emit('presented', { frameId: this.frameId, tag: job.tag, rects: 0, blits: 0, bytes: 0, latencyMs: this.now() - job.at, encodeMs: this.now() - t0 });
      return this.pending ? this.begin() : false;
    }
    this.frameId = (this.frameId + 1) >>> 0;
    this.current = {
      id: ++this.transfers, frameId: this.frameId, frame, tag: job.tag, at: job.at, rects, rect: 0, y: rects[0]!.y, x: rects[0]!.x,
      blits: 0, bytes: 0, encodeMs: this.now() - t0, bpp: 0.5,
    };
    this.emit('transfer', { frameId: this.frameId, tag: job.tag });
    return true;
  }

  /** Encodes the next band of the current transfer as a BLIT, or null when all are queued. */
  private nextBlit(t: Transfer<Tag>): LinkJob | null {
    const caps = this.link.caps!;
    while (t.rect < t.rects.length) {
      const r = t.rects[t.rect]!;
      if (t.y >= r.y + r.h) {
        t.rect++;
        const n = t.rects[t.rect];
        if (n) { t.y = n.y; t.x = n.x; }
        continue;
      }
      const budget = this.link.payloadLimit - BLIT_HEADER;
      // A row wider than a raw payload is cut into columns (never for a 480-wide panel).
      const maxCols = Math.max(1, Math.floor(budget / 2));
      const w = Math.min(r.x + r.w - t.x, maxCols);
      let h = Math.max(1, Math.min(r.y + r.h - t.y, Math.floor(MAX_BLIT_PIXELS / w), Math.floor((budget * 0.85) / (w * Math.max(0.02, t.bpp)))));
      let band: Rect;
      let enc;
      for (;;) {
        band = { x: t.x, y: t.y, w, h };
        // Into a reused scratch (encodeBlit copies the result before the next band): a band is
        // up to 128 KiB, and fresh arrays per band were most of this process's garbage.
        const px = this.scratch.subarray(0, w * h);
        for (let row = 0; row < h; row++) {
          const start = (band.y + row) * t.frame.width + band.x;
          px.set(t.frame.pixels.subarray(start, start + w), row * w);
        }
        enc = this.encoder.encode(px, w, h, caps.codecs);
        if (enc.data.length <= budget || h === 1) break;
        h = Math.max(1, Math.floor(h / 2));
      }
      t.bpp = enc.data.length / (w * h);
      // The back buffer will hold these pixels once the BLIT lands (in order, or the link resets).
      for (let row = 0; row < h; row++) {
        const start = (band.y + row) * t.frame.width + band.x;
        this.back!.set(t.frame.pixels.subarray(start, start + w), start);
      }
      t.x += w;
      if (t.x >= r.x + r.w) { t.x = r.x; t.y += h; }
      t.blits++;
      t.bytes += enc.data.length;
      const payload = encodeBlit({ frameId: t.frameId, ...band, codec: enc.codec, data: enc.data });
      return { type: MsgType.BLIT, payload, done: (e) => { if (e) this.onTransferError(t, e); } };
    }
    return null;
  }

  private onTransferError(t: Transfer<Tag>, e: Error): void {
    if (this.current !== t && !this.presenting.has(t)) return;
    this.log.warn({ err: e.message, frameId: t.frameId }, 'frame transfer failed; will repaint');
    this.forget(e.message);
  }

  private onPresentDone(t: Transfer<Tag>, e: Error | null): void {
    if (e) return this.onTransferError(t, e);
    if (!this.presenting.delete(t)) return;
    this.front = t.frame;
    this.stats.presented++;
    this.stats.payloadBytes += t.bytes;
    this.emit('presented', { frameId: t.frameId, tag: t.tag, rects: t.rects.length, blits: t.blits, bytes: t.bytes, latencyMs: this.now() - t.at, encodeMs: t.encodeMs });
    this.link.kick();
  }
}
