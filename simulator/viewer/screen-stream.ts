/**
 * The live screen of the web viewer: whenever the simulated board presents a frame
 * (its PRESENT, not the runtime's renderer — the viewer shows what the board shows), each viewer
 * gets the rectangles that changed since what it last received, as one binary WebSocket message
 * (screen-diff.ts). A slow viewer is skipped while its socket is backed up and catches up with
 * one diff later; a 1 s check catches changes without a PRESENT (test patterns, failed modules,
 * a board reset).
 */
import type { WebSocket } from 'ws';
import { diffRects, encodeScreenUpdate } from './screen-diff.js';

export interface ScreenSource {
  /** What the LEDs show now (front buffer or test pattern, dark where a module failed). */
  picture(): Uint16Array;
  frameId(): number;
  on(event: 'presented', cb: () => void): unknown;
  off(event: 'presented', cb: () => void): unknown;
}

interface Viewer { ws: WebSocket; shown: Uint16Array | null; frameId: number; updates: number; bytes: number }

/** At most this many updates per second per viewer: a browser shows no more, and the sim's CPU is shared. */
const MAX_FPS = 30;
const BACKLOG_BYTES = 2 * 1024 * 1024;
const CHECK_MS = 1000;

export class ScreenStream {
  private readonly viewers = new Set<Viewer>();
  private timer: NodeJS.Timeout | null = null;
  private readonly check: NodeJS.Timeout;
  private lastFlush = 0;
  readonly stats = { flushes: 0, updates: 0, bytes: 0, skippedBacklog: 0 };
  private readonly onPresented = () => this.schedule();

  constructor(private readonly src: ScreenSource, private readonly width: number, private readonly height: number) {
    src.on('presented', this.onPresented);
    this.check = setInterval(() => { if (this.viewers.size) this.flush(); }, CHECK_MS);
    this.check.unref();
  }

  add(ws: WebSocket): void {
    const v: Viewer = { ws, shown: null, frameId: -1, updates: 0, bytes: 0 };
    this.viewers.add(v);
    ws.on('close', () => this.viewers.delete(v));
    this.schedule();
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  private schedule(): void {
    if (this.timer || !this.viewers.size) return;
    const wait = Math.max(0, this.lastFlush + 1000 / MAX_FPS - Date.now());
    this.timer = setTimeout(() => { this.timer = null; this.flush(); }, wait);
  }

  flush(): void {
    this.lastFlush = Date.now();
    this.stats.flushes++;
    const picture = this.src.picture();
    const frameId = this.src.frameId();
    for (const v of this.viewers) {
      if (v.ws.readyState !== v.ws.OPEN) continue;
      if (v.ws.bufferedAmount > BACKLOG_BYTES) { this.stats.skippedBacklog++; continue; }
      const full = v.shown === null;
      const rects = full ? [{ x: 0, y: 0, w: this.width, h: this.height }] : diffRects(v.shown!, picture, this.width, this.height);
      if (!rects.length && frameId === v.frameId) continue;
      const msg = encodeScreenUpdate(frameId, rects, picture, this.width, full);
      v.ws.send(msg, { binary: true });
      if (v.shown) v.shown.set(picture);
      else v.shown = picture.slice();
      v.frameId = frameId;
      v.updates++;
      v.bytes += msg.length;
      this.stats.updates++;
      this.stats.bytes += msg.length;
    }
  }

  stop(): void {
    this.src.off('presented', this.onPresented);
    clearInterval(this.check);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.viewers.clear();
  }
}
