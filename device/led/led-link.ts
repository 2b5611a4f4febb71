/**
 * LedLink: the host side of the LED link transport (docs/protocols/led-link.md §5).
 * HELLO/CAPS handshake, sequence numbers, a sliding window of unacknowledged frames,
 * retransmission on NAK or timeout within a retry budget, and board-reset detection
 * (an unsolicited CAPS). It knows nothing about pixels; LedPresenter builds on it.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { FrameDecoder, encodeFrame, type RawFrame } from '../../protocols/led-link/frame.js';
import { MsgType, decodeAck, decodeCaps, decodeNak, type Caps } from '../../protocols/led-link/messages.js';
import { deviceError } from '../errors.js';
import type { SerialLink } from '../serial/serial-link.js';

export enum LedLinkState {
  /** Serial device closed. */
  Offline = 'offline',
  /** Open; HELLO sent, waiting for CAPS. */
  Hello = 'hello',
  Ready = 'ready',
}

export interface LedLinkOptions {
  serial: SerialLink;
  logger: Logger;
  /** Nominal link rate in bytes/s, used to size ACK timeouts. Default 1,000,000 (USB CDC). */
  linkRate?: number;
  /** Fixed part of the ACK timeout (board decode + turnaround). Default 80 ms. */
  ackTimeoutMs?: number;
  /** Transmissions per frame before giving up. Default 5. */
  maxAttempts?: number;
  /** Frames in flight. Default 8. */
  window?: number;
  /** HELLO retry interval. Default 500 ms. */
  helloIntervalMs?: number;
}

interface InFlight {
  seq: number;
  type: number;
  bytes: Buffer;
  attempts: number;
  timer: NodeJS.Timeout | null;
  resolve: () => void;
  reject: (e: Error) => void;
}

interface Waiting {
  type: number;
  payload: Uint8Array;
  resolve: () => void;
  reject: (e: Error) => void;
}

export interface LedLinkStats {
  framesSent: number;
  retransmits: number;
  naks: number;
  timeouts: number;
  boardResets: number;
  rxFrames: number;
  rxErrors: number;
  bytesSent: number;
}

export class LedLink extends EventEmitter<{ ready: [Caps]; reset: []; state: [LedLinkState]; frame: [RawFrame] }> {
  state: LedLinkState = LedLinkState.Offline;
  caps: Caps | null = null;
  readonly stats: LedLinkStats = { framesSent: 0, retransmits: 0, naks: 0, timeouts: 0, boardResets: 0, rxFrames: 0, rxErrors: 0, bytesSent: 0 };
  private readonly decoder = new FrameDecoder();
  private seq = 1;
  private readonly inFlight = new Map<number, InFlight>();
  private readonly waiting: Waiting[] = [];
  private helloTimer: NodeJS.Timeout | null = null;
  private readonly log: Logger;
  private readonly o: Required<Omit<LedLinkOptions, 'serial' | 'logger'>>;

  constructor(private readonly opts: LedLinkOptions) {
    super();
    this.log = opts.logger.child({ device: 'led' });
    this.o = {
      linkRate: opts.linkRate ?? 1_000_000,
      ackTimeoutMs: opts.ackTimeoutMs ?? 80,
      maxAttempts: opts.maxAttempts ?? 5,
      window: opts.window ?? 8,
      helloIntervalMs: opts.helloIntervalMs ?? 500,
    };
    opts.serial.on('open', () => this.onOpen());
    opts.serial.on('close', () => this.onClose('serial device closed'));
    opts.serial.on('data', (chunk) => this.onData(chunk));
    if (opts.serial.isOpen) this.onOpen();
  }

  /** Sends one message; resolves when the board acknowledges it. */
  send(type: number, payload: Uint8Array): Promise<void> {
    if (this.state !== LedLinkState.Ready) return Promise.reject(deviceError('SP_LED_NOT_READY', { state: this.state }));
    return new Promise((resolve, reject) => {
      this.waiting.push({ type, payload, resolve, reject });
      this.pump();
    });
  }

  get inFlightCount(): number {
    return this.inFlight.size + this.waiting.length;
  }

  close(): void {
    this.onClose('link closed');
    if (this.helloTimer) clearInterval(this.helloTimer);
    this.helloTimer = null;
  }

  private setState(s: LedLinkState): void {
    if (this.state === s) return;
    this.state = s;
    this.emit('state', s);
  }

  private onOpen(): void {
    this.decoder.reset();
    this.setState(LedLinkState.Hello);
    this.sayHello();
    if (this.helloTimer) clearInterval(this.helloTimer);
    this.helloTimer = setInterval(() => {
      if (this.state === LedLinkState.Hello) this.sayHello();
    }, this.o.helloIntervalMs);
    this.helloTimer.unref?.();
  }

  private sayHello(): void {
    this.opts.serial.write(encodeFrame(MsgType.HELLO, this.nextSeq(), new Uint8Array(0))).catch(() => {});
  }

  private onClose(reason: string): void {
    this.setState(LedLinkState.Offline);
    this.failAll(reason);
  }

  private failAll(reason: string): void {
    for (const f of this.inFlight.values()) {
      if (f.timer) clearTimeout(f.timer);
      f.reject(deviceError('SP_LED_NOT_READY', { reason }));
    }
    this.inFlight.clear();
    for (const w of this.waiting.splice(0)) w.reject(deviceError('SP_LED_NOT_READY', { reason }));
  }

  private nextSeq(): number {
    const s = this.seq;
    this.seq = (this.seq + 1) & 0xffff || 1; // 0 is never used, so a zeroed header is not a valid seq
    return s;
  }

  private pump(): void {
    while (this.state === LedLinkState.Ready && this.inFlight.size < this.o.window && this.waiting.length) {
      const w = this.waiting.shift()!;
      const seq = this.nextSeq();
      const f: InFlight = { seq, type: w.type, bytes: encodeFrame(w.type, seq, w.payload), attempts: 0, timer: null, resolve: w.resolve, reject: w.reject };
      this.inFlight.set(seq, f);
      this.transmit(f);
    }
  }

  private bytesInFlight(): number {
    let n = 0;
    for (const f of this.inFlight.values()) n += f.bytes.length;
    return n;
  }

  private transmit(f: InFlight): void {
    f.attempts++;
    if (f.attempts > 1) this.stats.retransmits++;
    this.stats.framesSent++;
    this.stats.bytesSent += f.bytes.length;
    if (f.timer) clearTimeout(f.timer);
    // Everything queued ahead must cross the wire before this frame can be acknowledged.
    const wireMs = ((this.bytesInFlight() + f.bytes.length) / this.o.linkRate) * 1000;
    f.timer = setTimeout(() => this.onTimeout(f), this.o.ackTimeoutMs + 2 * wireMs);
    f.timer.unref?.();
    this.opts.serial.write(f.bytes).catch(() => { /* the timeout retries; a close fails everything */ });
  }

  private retryOrFail(f: InFlight, why: string): void {
    if (f.attempts >= this.o.maxAttempts) {
      if (f.timer) clearTimeout(f.timer);
      this.inFlight.delete(f.seq);
      f.reject(deviceError(why === 'nak' ? 'SP_LED_NAK' : 'SP_LED_TIMEOUT', { seq: f.seq, attempts: f.attempts }));
      this.pump();
      return;
    }
    this.transmit(f);
  }

  private onTimeout(f: InFlight): void {
    if (!this.inFlight.has(f.seq)) return;
    this.stats.timeouts++;
    this.retryOrFail(f, 'timeout');
  }

  private onData(chunk: Buffer): void {
    for (const r of this.decoder.push(chunk)) {
      if (!r.ok) { this.stats.rxErrors++; continue; }
      this.stats.rxFrames++;
      this.onFrame(r.frame);
    }
  }

  private onFrame(fr: RawFrame): void {
    switch (fr.type) {
      case MsgType.CAPS: {
        const caps = decodeCaps(fr.payload);
        if (!caps) { this.stats.rxErrors++; return; }
        // seq 0 marks the board's own power-on announcement; any other seq answers a HELLO of ours.
        const announced = fr.seq === 0;
        if (this.state === LedLinkState.Ready) {
          if (!announced) return; // a late answer to a repeated HELLO
          // The board rebooted and lost its frame buffers.
          this.stats.boardResets++;
          this.log.warn('LED board reset detected; repainting');
          this.failAll('board reset');
          this.emit('reset');
        }
        this.caps = caps;
        this.setState(LedLinkState.Ready);
        this.log.info({ caps }, 'LED board ready');
        this.emit('ready', caps);
        this.pump();
        return;
      }
      case MsgType.ACK: {
        const a = decodeAck(fr.payload);
        const f = a && this.inFlight.get(a.seq);
        if (!f) return;
        if (f.timer) clearTimeout(f.timer);
        this.inFlight.delete(f.seq);
        f.resolve();
        this.pump();
        return;
      }
      case MsgType.NAK: {
        const n = decodeNak(fr.payload);
        this.stats.naks++;
        const f = n && this.inFlight.get(n.seq);
        if (f) this.retryOrFail(f, 'nak');
        return;
      }
      default:
        this.emit('frame', fr);
    }
  }
}
