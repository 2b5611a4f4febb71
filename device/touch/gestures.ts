/**
 * Gesture recognition over one contact (down … up), in screen pixels: a tap (the finger stayed
 * within a small slop) or a swipe (a quick, mostly straight stroke) for paging. Anything else
 * (a slow drag, a diagonal scrawl) is no gesture: the UI then just releases what was pressed.
 * Thresholds are given in millimetres and converted with the panel's pixel pitch, so they mean the
 * same on any panel (docs/screen.md §Touch).
 */

export type SwipeDirection = 'left' | 'right' | 'up' | 'down';

export type Gesture =
  | { type: 'tap'; x: number; y: number }
  | { type: 'swipe'; direction: SwipeDirection; x: number; y: number; dx: number; dy: number };

export interface GestureOptions {
  /** Pixel pitch of the panel (mm per pixel). */
  pixelPitchMm: number;
  /** A tap's finger may wander this far from where it landed. Default 4 mm. */
  tapSlopMm?: number;
  /** A press held longer than this is no tap (someone leaning on the glass). Default 3000 ms. */
  maxTapMs?: number;
  /** A swipe travels at least this far along its axis. Default 18 mm. */
  swipeMinMm?: number;
  /** …within this time. Default 800 ms. */
  swipeMaxMs?: number;
  /** Travel along the main axis must exceed the cross axis by this factor. Default 1.5. */
  swipeAxisRatio?: number;
}

export class GestureRecognizer {
  private start: { x: number; y: number; t: number } | null = null;
  private maxTravel = 0;
  private readonly tapSlopPx: number;
  private readonly swipeMinPx: number;

  constructor(private readonly o: GestureOptions) {
    this.tapSlopPx = (o.tapSlopMm ?? 4) / o.pixelPitchMm;
    this.swipeMinPx = (o.swipeMinMm ?? 18) / o.pixelPitchMm;
  }

  down(x: number, y: number, t: number): void {
    this.start = { x, y, t };
    this.maxTravel = 0;
  }

  move(x: number, y: number): void {
    if (!this.start) return;
    this.maxTravel = Math.max(this.maxTravel, Math.hypot(x - this.start.x, y - this.start.y));
  }

  /** Ends the contact; returns the gesture it made, if any. */
  up(x: number, y: number, t: number): Gesture | null {
    const s = this.start;
    if (!s) return null;
    this.move(x, y);
    this.start = null;
    const dt = t - s.t;
    const dx = x - s.x;
    const dy = y - s.y;
    if (this.maxTravel <= this.tapSlopPx) return dt <= (this.o.maxTapMs ?? 3000) ? { type: 'tap', x: s.x, y: s.y } : null;
    if (dt > (this.o.swipeMaxMs ?? 800)) return null;
    const ratio = this.o.swipeAxisRatio ?? 1.5;
    const ax = Math.abs(dx);
    const ay = Math.abs(dy);
    if (ax >= this.swipeMinPx && ax >= ratio * ay) return { type: 'swipe', direction: dx < 0 ? 'left' : 'right', x: s.x, y: s.y, dx, dy };
    if (ay >= this.swipeMinPx && ay >= ratio * ax) return { type: 'swipe', direction: dy < 0 ? 'up' : 'down', x: s.x, y: s.y, dx, dy };
    return null;
  }

  /** Forgets the contact without a gesture (device lost mid-touch). */
  cancel(): void {
    this.start = null;
  }
}
