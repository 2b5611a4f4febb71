/**
 * The simulated eGalax/EETI touch controller, on the device end of a serial pair. A touch at a
 * screen pixel is turned into the raw coordinate the panel would report — the inverse of the
 * pole's configured tslib calibration, on the grid of the controller's resolution — and sent as
 * real 5- or 6-byte packets (protocols/touch/egalax.ts), exactly what egalax_ts_serial reads.
 * Like many eGalax firmwares it reports on change: a packet per down, move and up; a tap is a
 * down, a short hold, and an up.
 */
import type { Logger } from 'pino';
import { SerialLink } from '../../device/serial/serial-link.js';
import { encodeEgalaxPacket, type EgalaxResolution } from '../../protocols/touch/egalax.js';
import { invertCalibration, type Calibration } from '../../protocols/touch/calibration.js';
import type { SerialPair } from '../serial/serial-pair.js';

export type TouchAction = 'tap' | 'down' | 'move' | 'up';

export interface SimTouchPanelOptions {
  pair: SerialPair;
  width: number;
  height: number;
  /** The pole's calibration; the panel reports raw points that it maps back to the touched pixel. */
  calibration: Calibration;
  logger: Logger;
  /** Default 1 (12-bit coordinates). */
  resolution?: EgalaxResolution;
  /** Send 6-byte packets with the pressure byte. Default true. */
  pressure?: boolean;
  /** How long a tap holds the finger down. Default 60 ms. */
  tapHoldMs?: number;
}

export interface TouchResult {
  action: TouchAction;
  x: number;
  y: number;
  raw: { x: number; y: number };
  packets: number;
  /** performance.now() when the last packet was handed to the serial port. */
  sentAt: number;
}

export class SimTouchPanel {
  readonly stats = { packets: 0, bytes: 0, taps: 0, garbageBytes: 0 };
  private readonly serial: SerialLink;
  private touching = false;
  private last: { x: number; y: number } | null = null;

  constructor(private readonly o: SimTouchPanelOptions) {
    this.serial = new SerialLink({
      path: o.pair.devicePath, baudRate: 9600, name: 'sim-touch', logger: o.logger, binding: o.pair.binding, backoff: { initialMs: 50, maxMs: 1000 },
    });
  }

  start(): void {
    this.serial.start();
  }

  async stop(): Promise<void> {
    await this.serial.stop();
  }

  get isOpen(): boolean {
    return this.serial.isOpen;
  }

  /** The raw point the panel reports for screen pixel (x, y). */
  rawFor(x: number, y: number): { x: number; y: number } {
    const step = 1 << (3 - (this.o.resolution ?? 1));
    const raw = invertCalibration(this.o.calibration, { x, y }, step);
    if (!raw) throw new Error('calibration is degenerate; cannot invert');
    return raw;
  }

  private async send(x: number, y: number, touching: boolean): Promise<{ x: number; y: number }> {
    const raw = this.rawFor(x, y);
    const bytes = encodeEgalaxPacket({ ...raw, touching, resolution: this.o.resolution ?? 1, ...(this.o.pressure === false ? {} : { pressure: touching ? 64 : 0 }) });
    await this.serial.write(bytes);
    this.stats.packets++;
    this.stats.bytes += bytes.length;
    return raw;
  }

  /** Performs a touch action at screen pixel (x, y). Rejects if the port is closed (unplugged). */
  async touch(action: TouchAction, x: number, y: number): Promise<TouchResult> {
    if (x < 0 || y < 0 || x >= this.o.width || y >= this.o.height) throw new RangeError(`(${x}, ${y}) is outside the ${this.o.width}×${this.o.height} screen`);
    let raw: { x: number; y: number };
    let packets = 1;
    switch (action) {
      case 'down':
      case 'move':
        raw = await this.send(x, y, true);
        this.touching = true;
        break;
      case 'up':
        raw = await this.send(x, y, false);
        this.touching = false;
        break;
      case 'tap':
        if (this.touching && this.last) { await this.send(this.last.x, this.last.y, false); packets++; }
        await this.send(x, y, true);
        await new Promise((r) => setTimeout(r, this.o.tapHoldMs ?? 60));
        raw = await this.send(x, y, false);
        packets++;
        this.touching = false;
        this.stats.taps++;
        break;
    }
    this.last = { x, y };
    return { action, x, y, raw, packets, sentAt: performance.now() };
  }

  /** Line noise: bytes without the start bit, which the driver drops. */
  async garbage(n: number): Promise<void> {
    const bytes = Buffer.alloc(n);
    for (let i = 0; i < n; i++) bytes[i] = Math.floor(Math.random() * 0x80);
    await this.serial.write(bytes);
    this.stats.garbageBytes += n;
  }

  state(): Record<string, unknown> {
    return { open: this.serial.isOpen, touching: this.touching, resolution: this.o.resolution ?? 1, pressure: this.o.pressure !== false, calibration: this.o.calibration, ...this.stats };
  }
}
