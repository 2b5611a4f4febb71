/**
 * The simulated board's display side (docs/protocols/led-link.md §4, §8.2): a back buffer that
 * BLITs write, a front buffer that only a complete, verified PRESENT changes, brightness with a
 * ramp, test patterns, and modules that can fail. Every PRESENT is recorded with the CRC-32 of
 * the picture it put up, so tests can prove that no half-drawn frame was ever shown.
 */
import { crc32 } from '../../protocols/crc32.js';
import { NakReason, TestPattern, type Blit, type Present, type TestPatternMsg } from '../../protocols/led-link/messages.js';
import { decodePixels } from '../../protocols/led-link/pixel-codecs.js';
import { rgb565 } from '../../lib/frame.js';
import { framePng } from '../../display/frame-png.js';

export interface PresentRecord {
  frameId: number;
  /** CRC-32 of the front buffer right after the swap. */
  crc: number;
  at: number;
}

export interface LedPanelOptions {
  width: number;
  height: number;
  moduleCols: number;
  moduleRows: number;
  /** How many PRESENT records to keep. Default 10,000. */
  presentLogSize?: number;
}

export class LedPanel {
  readonly front: Uint16Array;
  readonly back: Uint16Array;
  private readonly scratch = new Uint16Array(65536);
  readonly presents: PresentRecord[] = [];
  private blitsSincePresent = new Map<number, number>();
  lastFrameId = 0;
  testPattern: TestPatternMsg = { pattern: TestPattern.OFF, r: 0, g: 0, b: 0, param: 0 };
  readonly failedModules = new Set<number>();
  private bright = { from: 100, to: 100, start: 0, rampMs: 0 };
  readonly counters = { blits: 0, presents: 0, refusedPresents: 0 };

  constructor(private readonly o: LedPanelOptions) {
    this.front = new Uint16Array(o.width * o.height);
    this.back = new Uint16Array(o.width * o.height);
  }

  get moduleCount(): number {
    return this.o.moduleCols * this.o.moduleRows;
  }

  /** Power-on: black, nothing presented. */
  blank(): void {
    this.front.fill(0);
    this.back.fill(0);
    this.blitsSincePresent.clear();
    this.lastFrameId = 0;
    this.testPattern = { pattern: TestPattern.OFF, r: 0, g: 0, b: 0, param: 0 };
    this.bright = { from: 100, to: 100, start: 0, rampMs: 0 };
  }

  /** Applies a BLIT to the back buffer; returns a NAK reason or 0. */
  blit(b: Blit): number {
    if (b.x + b.w > this.o.width || b.y + b.h > this.o.height) return NakReason.OUT_OF_BOUNDS;
    const px = this.scratch.subarray(0, b.w * b.h);
    if (!decodePixels(b.codec, b.data, b.w, b.h, px)) return NakReason.DECODE;
    for (let row = 0; row < b.h; row++) this.back.set(px.subarray(row * b.w, (row + 1) * b.w), (b.y + row) * this.o.width + b.x);
    this.blitsSincePresent.set(b.frameId, (this.blitsSincePresent.get(b.frameId) ?? 0) + 1);
    this.counters.blits++;
    return 0;
  }

  /** Swaps in the back buffer if the frame is complete and verified; returns a NAK reason or 0. */
  present(p: Present, now: number): number {
    const got = this.blitsSincePresent.get(p.frameId) ?? 0;
    if (got !== p.blits) { this.counters.refusedPresents++; return NakReason.INCOMPLETE; }
    const backBytes = new Uint8Array(this.back.buffer, this.back.byteOffset, this.back.byteLength);
    const crc = crc32(backBytes);
    if (p.crc !== null && crc !== p.crc) { this.counters.refusedPresents++; return NakReason.MISMATCH; }
    this.blitsSincePresent.clear();
    this.front.set(this.back);
    this.lastFrameId = p.frameId;
    this.counters.presents++;
    this.presents.push({ frameId: p.frameId, crc, at: now });
    if (this.presents.length > (this.o.presentLogSize ?? 10_000)) this.presents.shift();
    return 0;
  }

  setBrightness(percent: number, rampMs: number, now: number): void {
    this.bright = { from: this.brightness(now), to: percent, start: now, rampMs };
  }

  /** Current brightness, following the ramp. */
  brightness(now: number): number {
    const b = this.bright;
    if (b.rampMs <= 0 || now >= b.start + b.rampMs) return b.to;
    return Math.round(b.from + ((b.to - b.from) * (now - b.start)) / b.rampMs);
  }

  /** The panel as a camera pointed at it would see it at full brightness, as PNG. */
  panelPng(): Buffer {
    const { width, height } = this.o;
    return framePng({ width, height, pixels: this.panelImage() });
  }

  /** What the LEDs show at full brightness: the front buffer or a test pattern, dark where a module failed. */
  panelImage(): Uint16Array {
    const { width: W, height: H, moduleCols, moduleRows } = this.o;
    const out = this.testPattern.pattern === TestPattern.OFF ? this.front.slice() : this.renderPattern();
    const mw = Math.ceil(W / moduleCols);
    const mh = Math.ceil(H / moduleRows);
    for (const m of this.failedModules) {
      const x0 = (m % moduleCols) * mw;
      const y0 = Math.floor(m / moduleCols) * mh;
      for (let y = y0; y < Math.min(H, y0 + mh); y++) out.fill(0, y * W + x0, y * W + Math.min(W, x0 + mw));
    }
    return out;
  }

  private renderPattern(): Uint16Array {
    const { width: W, height: H, moduleCols, moduleRows } = this.o;
    const t = this.testPattern;
    const out = new Uint16Array(W * H);
    switch (t.pattern) {
      case TestPattern.SOLID:
        out.fill(rgb565(t.r, t.g, t.b));
        break;
      case TestPattern.GREY_RAMP:
        for (let x = 0; x < W; x++) {
          const v = Math.round((x * 255) / Math.max(1, W - 1));
          const c = rgb565(v, v, v);
          for (let y = 0; y < H; y++) out[y * W + x] = c;
        }
        break;
      case TestPattern.GRID: {
        const step = t.param || 16;
        const c = rgb565(255, 255, 255);
        for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (x % step === 0 || y % step === 0 || x === W - 1 || y === H - 1) out[y * W + x] = c;
        break;
      }
      case TestPattern.MODULE_ID: {
        // Each module in its own colour with its index as a bar count, so a swapped cable shows.
        const mw = Math.ceil(W / moduleCols);
        const mh = Math.ceil(H / moduleRows);
        const hues = [rgb565(200, 40, 40), rgb565(40, 200, 40), rgb565(40, 80, 220), rgb565(200, 200, 40), rgb565(200, 40, 200), rgb565(40, 200, 200)];
        for (let m = 0; m < moduleCols * moduleRows; m++) {
          const x0 = (m % moduleCols) * mw;
          const y0 = Math.floor(m / moduleCols) * mh;
          const c = hues[m % hues.length]!;
          for (let y = y0; y < Math.min(H, y0 + mh); y++) out.fill(c, y * W + x0, y * W + Math.min(W, x0 + mw));
          const white = rgb565(255, 255, 255);
          for (let k = 0; k <= m; k++) {
            const bx = x0 + 8 + k * 8;
            if (bx + 4 > x0 + mw) break;
            for (let y = y0 + 8; y < Math.min(H, y0 + 40); y++) out.fill(white, y * W + bx, y * W + bx + 4);
          }
        }
        break;
      }
    }
    return out;
  }
}
