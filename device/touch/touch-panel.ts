/**
 * TouchPanel: the eGalax/EETI serial touch controller (docs/protocols/egalax-touch.md). Bytes from the
 * SerialLink go through the kernel-exact packet decoder (protocols/touch/egalax.ts), the tslib
 * calibration from config (protocols/touch/calibration.ts), a release debouncer, and gesture
 * recognition, and come out as `touch` events in screen pixels:
 *
 *   down → move* → up, then tap | swipe (when the contact made one)
 *
 * Press feedback needs `down` at once, so a contact starts on its first touching packet. A
 * release is confirmed only after `debounceMs` without a new touching packet: resistive and
 * some capacitive controllers report a brief lift while a finger rolls, and that must not become
 * two taps. The device vanishing mid-touch cancels the contact (up with `cancelled`, no gesture).
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { EgalaxDecoder, type EgalaxPacket } from '../../protocols/touch/egalax.js';
import { applyCalibration, checkCalibration, type Calibration } from '../../protocols/touch/calibration.js';
import type { SerialLink } from '../serial/serial-link.js';
import { GestureRecognizer, type Gesture, type GestureOptions } from './gestures.js';

export enum TouchState {
  /** No finger on the glass. */
  Idle = 'idle',
  Touching = 'touching',
  /** A release packet arrived; waiting `debounceMs` for the finger to come back. */
  Releasing = 'releasing',
}

/** Timestamps are performance.now() at the packet's arrival (for latency figures). */
export type TouchEvent =
  | { type: 'down'; x: number; y: number; t: number }
  | { type: 'move'; x: number; y: number; t: number }
  | { type: 'up'; x: number; y: number; t: number; cancelled: boolean }
  | ({ t: number } & Gesture);

export interface TouchPanelOptions {
  serial: SerialLink;
  logger: Logger;
  /** Screen size the calibration maps to; points are clamped into it. */
  width: number;
  height: number;
  calibration: Calibration;
  /** Release debounce. Default 15 ms (eGalax controllers report every 5–10 ms while touched). */
  debounceMs?: number;
  /** Moves shorter than this (jitter) are not reported. Default 2 px. */
  moveThresholdPx?: number;
  gestures: GestureOptions;
}

export interface TouchPanelStats {
  packets: number;
  unsynchronizedBytes: number;
  contacts: number;
  /** Releases that turned out to be bounces (the finger came back within debounceMs). */
  bounces: number;
  taps: number;
  swipes: number;
  cancelled: number;
  lastPacketAt: number | null;
  lastRaw: { x: number; y: number; touching: boolean } | null;
}

export class TouchPanel extends EventEmitter<{ touch: [TouchEvent]; raw: [EgalaxPacket] }> {
  state: TouchState = TouchState.Idle;
  readonly stats: TouchPanelStats = {
    packets: 0, unsynchronizedBytes: 0, contacts: 0, bounces: 0, taps: 0, swipes: 0, cancelled: 0, lastPacketAt: null, lastRaw: null,
  };
  private readonly decoder = new EgalaxDecoder();
  private readonly gestures: GestureRecognizer;
  private releaseTimer: NodeJS.Timeout | null = null;
  private last = { x: 0, y: 0 };
  private releaseAt = 0;
  private readonly log: Logger;

  constructor(private readonly o: TouchPanelOptions) {
    super();
    this.log = o.logger.child({ device: 'touch' });
    this.gestures = new GestureRecognizer(o.gestures);
    this.cal = o.calibration;
    o.serial.on('data', (chunk) => this.onData(chunk));
    o.serial.on('close', (reason) => this.onClose(reason));
  }

  private cal: Calibration;

  get serial(): SerialLink {
    return this.o.serial;
  }

  get calibration(): Calibration {
    return this.cal;
  }

  /** Uses a new calibration at once (the console's `touch calibrate`). Throws if it is degenerate. */
  setCalibration(cal: Calibration): void {
    const c = checkCalibration(cal);
    if (!c.ok) throw new RangeError(`calibration refused: ${c.reason}`);
    this.cal = cal;
    this.log.info({ calibration: cal }, 'touch calibration applied');
  }

  /** Stops timers (the serial link is stopped by its owner). */
  close(): void {
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    this.releaseTimer = null;
  }

  private onData(chunk: Buffer): void {
    const t = performance.now();
    const before = this.decoder.stats.unsynchronizedBytes;
    const packets = this.decoder.push(chunk);
    const dropped = this.decoder.stats.unsynchronizedBytes - before;
    this.stats.unsynchronizedBytes += dropped;
    if (dropped) this.log.debug({ dropped }, 'unsynchronized bytes dropped');
    for (const p of packets) this.onPacket(p, t);
  }

  private toScreen(p: EgalaxPacket): { x: number; y: number } {
    const s = applyCalibration(this.cal, p);
    return { x: Math.max(0, Math.min(this.o.width - 1, s.x)), y: Math.max(0, Math.min(this.o.height - 1, s.y)) };
  }

  private onPacket(p: EgalaxPacket, t: number): void {
    this.stats.packets++;
    this.stats.lastPacketAt = Date.now();
    this.stats.lastRaw = { x: p.x, y: p.y, touching: p.touching };
    this.emit('raw', p);
    const pt = this.toScreen(p);
    switch (this.state) {
      case TouchState.Idle:
        if (!p.touching) return; // a stray release: nothing is down
        this.state = TouchState.Touching;
        this.stats.contacts++;
        this.last = pt;
        this.gestures.down(pt.x, pt.y, t);
        this.emit('touch', { type: 'down', ...pt, t });
        return;
      case TouchState.Releasing:
        if (!p.touching) { this.last = pt; return; }
        // The finger came back before the release was confirmed: one contact, not two.
        if (this.releaseTimer) clearTimeout(this.releaseTimer);
        this.releaseTimer = null;
        this.stats.bounces++;
        this.state = TouchState.Touching;
        this.moveTo(pt, t);
        return;
      case TouchState.Touching:
        if (p.touching) { this.moveTo(pt, t); return; }
        this.state = TouchState.Releasing;
        this.last = pt;
        this.releaseAt = t;
        this.releaseTimer = setTimeout(() => this.confirmRelease(), this.o.debounceMs ?? 15);
        return;
    }
  }

  private moveTo(pt: { x: number; y: number }, t: number): void {
    if (Math.hypot(pt.x - this.last.x, pt.y - this.last.y) < (this.o.moveThresholdPx ?? 2)) return;
    this.last = pt;
    this.gestures.move(pt.x, pt.y);
    this.emit('touch', { type: 'move', ...pt, t });
  }

  private confirmRelease(): void {
    this.releaseTimer = null;
    if (this.state !== TouchState.Releasing) return;
    this.state = TouchState.Idle;
    // The contact ended when the release packet arrived; the debounce only confirmed it.
    const t = this.releaseAt;
    const g = this.gestures.up(this.last.x, this.last.y, t);
    this.emit('touch', { type: 'up', ...this.last, t, cancelled: false });
    if (g?.type === 'tap') this.stats.taps++;
    if (g?.type === 'swipe') this.stats.swipes++;
    if (g) this.emit('touch', { ...g, t });
  }

  private onClose(reason: string): void {
    this.decoder.reset();
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    this.releaseTimer = null;
    if (this.state === TouchState.Idle) return;
    this.state = TouchState.Idle;
    this.gestures.cancel();
    this.stats.cancelled++;
    this.log.warn({ reason }, 'touch controller lost mid-touch; contact cancelled');
    this.emit('touch', { type: 'up', ...this.last, t: performance.now(), cancelled: true });
  }
}
