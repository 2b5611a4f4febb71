/**
 * The simulated LED driver board: the board side of docs/protocols/led-link.md, on the device end
 * of a serial pair. Keeps a back buffer that BLITs write and a front buffer that only PRESENT
 * changes (so a half-drawn frame is never visible), and emulates the link rate: bytes become
 * available at `linkRate` bytes/s, as they would on the wire.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { createCanvas } from 'canvas';
import { FrameDecoder, encodeFrame, type RawFrame } from '../../protocols/led-link/frame.js';
import {
  BlitEncoding, MsgType, NakReason, PixelFormat, decodeBlit, decodePresent, encodeAck, encodeCaps, encodeNak,
} from '../../protocols/led-link/messages.js';
import { decodeRle16 } from '../../protocols/led-link/rle16.js';
import { toRgba } from '../../display/frame.js';
import { SerialLink } from '../../device/serial/serial-link.js';
import type { SerialPair } from '../serial/serial-pair.js';

export interface SimLedBoardOptions {
  pair: SerialPair;
  width: number;
  height: number;
  logger: Logger;
  /** Bytes/s the emulated wire carries. Default 1,000,000. */
  linkRate?: number;
  maxPayload?: number;
  firmware?: string;
}

export interface BoardPresent {
  frameId: number;
  at: number;
}

export class SimLedBoard extends EventEmitter<{ presented: [BoardPresent] }> {
  readonly front: Uint16Array;
  private readonly back: Uint16Array;
  private readonly serial: SerialLink;
  private decoder: FrameDecoder;
  private wireFreeAt = 0;
  private readonly queue: { at: number; chunk: Buffer }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private seq = 1;
  private lastPresented = -1;
  /** performance.now() of the first PRESENT since this process started (startup benchmarks). */
  private firstPresentMs: number | null = null;
  readonly stats = { frames: 0, blits: 0, presents: 0, naks: 0, rxErrors: 0, bytes: 0, boots: 0 };
  readonly linkRate: number;
  private readonly maxPayload: number;

  constructor(private readonly o: SimLedBoardOptions) {
    super();
    this.front = new Uint16Array(o.width * o.height);
    this.back = new Uint16Array(o.width * o.height);
    this.linkRate = o.linkRate ?? 1_000_000;
    this.maxPayload = o.maxPayload ?? 4096;
    this.decoder = new FrameDecoder(this.maxPayload);
    this.serial = new SerialLink({
      path: o.pair.devicePath, baudRate: 1_000_000, name: 'sim-led-board', logger: o.logger, binding: o.pair.binding,
      backoff: { initialMs: 50, maxMs: 1000 },
    });
    this.serial.on('open', () => this.boot());
    this.serial.on('data', (c) => this.onWire(c));
  }

  start(): void {
    this.serial.start();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.serial.stop();
  }

  /** Power-on: blank buffers and announce capabilities unprompted. */
  boot(): void {
    this.stats.boots++;
    this.front.fill(0);
    this.back.fill(0);
    this.lastPresented = -1;
    this.decoder = new FrameDecoder(this.maxPayload);
    this.queue.length = 0;
    this.sendCaps(0);
  }

  get isOpen(): boolean {
    return this.serial.isOpen;
  }

  /** The front buffer as a PNG, as a camera pointed at the panel would see it. */
  screenPng(): Buffer {
    const c = createCanvas(this.o.width, this.o.height);
    const ctx = c.getContext('2d');
    const img = ctx.createImageData(this.o.width, this.o.height);
    img.data.set(toRgba({ width: this.o.width, height: this.o.height, pixels: this.front }));
    ctx.putImageData(img, 0, 0);
    return c.toBuffer('image/png');
  }

  state(): Record<string, unknown> {
    return { open: this.serial.isOpen, width: this.o.width, height: this.o.height, linkRate: this.linkRate, lastPresented: this.lastPresented, firstPresentMs: this.firstPresentMs, ...this.stats };
  }

  private sendCaps(seq: number): void {
    const caps = encodeCaps({
      width: this.o.width, height: this.o.height, pixelFormat: PixelFormat.RGB565, maxPayload: this.maxPayload,
      encodings: (1 << BlitEncoding.RAW) | (1 << BlitEncoding.RLE16), firmware: this.o.firmware ?? 'sim-board 1.0',
    });
    this.reply(MsgType.CAPS, caps, seq);
  }

  private reply(type: number, payload: Uint8Array, seq = this.seq++ & 0xffff): void {
    this.serial.write(encodeFrame(type, seq, payload)).catch(() => {});
  }

  /** Emulates wire time: each chunk is usable only after the bytes before it have crossed. */
  private onWire(chunk: Buffer): void {
    const now = performance.now();
    this.wireFreeAt = Math.max(this.wireFreeAt, now) + (chunk.length / this.linkRate) * 1000;
    this.queue.push({ at: this.wireFreeAt, chunk });
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.queue.length === 0) return;
    const wait = Math.max(0, this.queue[0]!.at - performance.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      const now = performance.now();
      while (this.queue.length && this.queue[0]!.at <= now + 0.5) this.onBytes(this.queue.shift()!.chunk);
      this.schedule();
    }, wait >= 1 ? wait : 0);
  }

  private onBytes(chunk: Buffer): void {
    this.stats.bytes += chunk.length;
    for (const r of this.decoder.push(chunk)) {
      if (!r.ok) {
        this.stats.rxErrors++;
        this.stats.naks++;
        // The seq of a corrupt frame cannot be trusted; 0xFFFF tells the host "unknown".
        this.reply(MsgType.NAK, encodeNak(0xffff, r.error === 'crc' ? NakReason.CRC : NakReason.LENGTH));
        continue;
      }
      this.onFrame(r.frame);
    }
  }

  private onFrame(f: RawFrame): void {
    this.stats.frames++;
    switch (f.type) {
      case MsgType.HELLO:
        this.sendCaps(f.seq);
        return;
      case MsgType.BLIT: {
        const b = decodeBlit(f.payload);
        if (!b) return this.nak(f.seq, NakReason.BAD_PAYLOAD);
        if (b.w === 0 || b.h === 0 || b.x + b.w > this.o.width || b.y + b.h > this.o.height) return this.nak(f.seq, NakReason.OUT_OF_BOUNDS);
        const px = new Uint16Array(b.w * b.h);
        if (b.encoding === BlitEncoding.RAW) {
          if (b.data.length !== px.length * 2) return this.nak(f.seq, NakReason.DECODE);
          for (let i = 0; i < px.length; i++) px[i] = b.data[2 * i]! | (b.data[2 * i + 1]! << 8);
        } else if (!decodeRle16(b.data, px)) {
          return this.nak(f.seq, NakReason.DECODE);
        }
        for (let row = 0; row < b.h; row++) this.back.set(px.subarray(row * b.w, (row + 1) * b.w), (b.y + row) * this.o.width + b.x);
        this.stats.blits++;
        this.reply(MsgType.ACK, encodeAck(f.seq));
        return;
      }
      case MsgType.PRESENT: {
        const p = decodePresent(f.payload);
        if (!p) return this.nak(f.seq, NakReason.BAD_PAYLOAD);
        if (p.frameId !== this.lastPresented) {
          this.front.set(this.back);
          this.lastPresented = p.frameId;
          this.stats.presents++;
          this.firstPresentMs ??= performance.now();
          this.emit('presented', { frameId: p.frameId, at: performance.now() });
        }
        this.reply(MsgType.ACK, encodeAck(f.seq));
        return;
      }
      default:
        this.nak(f.seq, NakReason.UNKNOWN_TYPE);
    }
  }

  private nak(seq: number, reason: number): void {
    this.stats.naks++;
    this.reply(MsgType.NAK, encodeNak(seq, reason as NakReason));
  }
}
