/**
 * LedLink: the host side of the LED link transport (docs/protocols/led-link.md §5–§6). This class
 * owns the session: the HELLO/CAPS session (§5.2, §6.1), liveness and board-reset detection (§6.5),
 * and the dispatch of the board's frames. What is sent within a session — the window, selective
 * repeat, FEC, half-duplex bursts — is SendWindow's job (send-window.ts). It knows nothing about
 * pixels: bulk work is pulled from a source (LedPresenter) only when the window has room.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { FrameDecoder, encodeFrame, type RawFrame } from '../../protocols/led-link/frame.js';
import {
  CapsReason, MsgType, decodeAck, decodeCaps, decodeFault, decodeNak, decodeStatus, encodeHello,
  type Caps, type Fault, type Status,
} from '../../protocols/led-link/messages.js';
import type { SerialLink } from '../serial/serial-link.js';
import type { FecPolicyState } from './fec-policy.js';
import { LedLinkState, type JobSource, type LedLinkStats } from './link-state.js';
import { SendWindow } from './send-window.js';

export { LedLinkState, type JobSource, type LedLinkStats, type LinkJob } from './link-state.js';

export interface LedLinkOptions {
  serial: SerialLink;
  logger: Logger;
  /** Usable bytes/s on the wire. Default 1,000,000 (USB CDC). */
  linkRate?: number;
  /** Slack added to each frame's ACK deadline (host and OS latency); raised automatically. Default 150 ms. */
  ackMarginMs?: number;
  /** Transmissions per frame before the session is declared lost. Default 8. */
  maxAttempts?: number;
  /** Wire time the window may hold, ms (bytes = rate × this, at least 2 frames). Default 40. */
  windowMs?: number;
  /** HELLO retry interval. Default 500 ms. */
  helloIntervalMs?: number;
  /** STATUS period asked of the board; silence for 3 periods + 1 s resynchronises. Default 5000 (0 = off). */
  statusIntervalMs?: number;
  /** 'auto' or a fixed parity per block. Default 'auto'. */
  fec?: 'auto' | number;
  /** Control messages waiting at most; more are refused (SP_LED_BUSY). Default 64. */
  maxQueued?: number;
  /**
   * 'full' (USB CDC, 4-wire RS-422/485) or 'half' (2-wire RS-485: the board may only answer when
   * the host is silent; §5.5). Default 'full'.
   */
  duplex?: 'full' | 'half';
  /** Half duplex: line quiet before the other side may drive it. Default 2 ms. */
  turnaroundMs?: number;
  now?: () => number;
}

export class LedLink extends EventEmitter<{
  ready: [Caps]; reset: [reason: string]; state: [LedLinkState]; status: [Status]; fault: [Fault]; frame: [RawFrame];
}> {
  state: LedLinkState = LedLinkState.Offline;
  caps: Caps | null = null;
  lastStatus: Status | null = null;
  readonly stats: LedLinkStats = {
    framesSent: 0, retransmits: 0, fastRetransmits: 0, probes: 0, naks: {}, timeouts: 0, resyncs: 0, boardResets: 0, rxFrames: 0, rxErrors: 0,
    bytesSent: 0, payloadBytes: 0, boardCorrected: 0,
  };
  /** Board frames are small (STATUS is the largest, ~80 bytes); 4 KiB leaves room for future ones. */
  private readonly decoder = new FrameDecoder(4096);
  private readonly window: SendWindow;
  /** Half-duplex turn counters (bursts, answered, overdue, late), or null on a full-duplex link. */
  get turnStats(): Readonly<{ bursts: number; answered: number; overdue: number; late: number }> | null {
    return this.window.turns?.stats ?? null;
  }
  private helloSeq = -1;
  private helloTimer: NodeJS.Timeout | null = null;
  private liveTimer: NodeJS.Timeout | null = null;
  private lastRxAt = 0;
  private readonly log: Logger;
  private readonly o: Required<Omit<LedLinkOptions, 'serial' | 'logger'>>;

  constructor(opts: LedLinkOptions) {
    super();
    this.log = opts.logger.child({ device: 'led' });
    this.o = {
      linkRate: opts.linkRate ?? 1_000_000, ackMarginMs: opts.ackMarginMs ?? 150, maxAttempts: opts.maxAttempts ?? 8,
      windowMs: opts.windowMs ?? 40, helloIntervalMs: opts.helloIntervalMs ?? 500, statusIntervalMs: opts.statusIntervalMs ?? 5000,
      fec: opts.fec ?? 'auto', maxQueued: opts.maxQueued ?? 64, now: opts.now ?? (() => performance.now()),
      duplex: opts.duplex ?? 'full', turnaroundMs: opts.turnaroundMs ?? 2,
    };
    this.window = new SendWindow({ ...this.o, serial: opts.serial, session: this, log: this.log });
    opts.serial.on('open', () => this.onOpen());
    opts.serial.on('close', () => this.onClose('serial device closed'));
    opts.serial.on('data', (chunk) => this.onData(chunk));
    if (opts.serial.isOpen) this.onOpen();
  }

  get linkRate(): number {
    return this.o.linkRate;
  }

  /** Smoothed lateness of ACKs beyond the prediction, and the deadline slack in use (ms). */
  rtoState(): { lateMs: number; lateVarMs: number; marginMs: number } {
    return this.window.rtoState();
  }

  /** Parity and payload limit in use, and the channel estimate behind them. */
  fecState(): FecPolicyState | null {
    return this.window.fec?.state() ?? null;
  }

  /** Largest payload the next frame may carry (board limit, shrunk on a lossy line). */
  get payloadLimit(): number {
    return this.window.payloadLimit;
  }

  /** Sends one control message ahead of bulk work; resolves when the board acknowledges it. */
  send(type: number, payload: Uint8Array): Promise<void> {
    return this.window.send(type, payload);
  }

  /** Registers the bulk source; call kick() when it has new work. */
  setSource(source: JobSource): void {
    this.window.setSource(source);
  }

  kick(): void {
    this.window.pump();
  }

  get inFlightCount(): number {
    return this.window.inFlightCount;
  }

  /** Bytes of unacknowledged frames. */
  get bytesInFlight(): number {
    return this.window.bytesInFlight;
  }

  /** Drops the session and says HELLO again (the board's picture is then repainted). */
  resync(reason: string): void {
    if (this.state === LedLinkState.Offline) return;
    this.stats.resyncs++;
    this.log.warn({ reason }, 'LED link resynchronising');
    this.window.failAll(reason);
    this.emit('reset', reason);
    this.startHello();
  }

  close(): void {
    this.onClose('link closed');
    this.clearTimers();
  }

  private clearTimers(): void {
    this.window.clearTimers();
    if (this.helloTimer) clearInterval(this.helloTimer);
    if (this.liveTimer) clearInterval(this.liveTimer);
    this.helloTimer = this.liveTimer = null;
  }

  private setState(s: LedLinkState): void {
    if (this.state === s) return;
    this.state = s;
    this.emit('state', s);
  }

  private onOpen(): void {
    this.decoder.reset();
    this.window.turns?.reset();
    this.startHello();
  }

  // --- session handshake (§5.2) -------------------------------------------------------------------------

  private startHello(): void {
    this.setState(LedLinkState.Hello);
    this.sayHello();
    if (this.helloTimer) clearInterval(this.helloTimer);
    this.helloTimer = setInterval(() => { if (this.state === LedLinkState.Hello) this.sayHello(); }, this.o.helloIntervalMs);
    this.helloTimer.unref?.();
  }

  private sayHello(): void {
    // Partial bytes from before (a reopened port, a dead session) must not glue onto the answer.
    for (const r of this.decoder.dropPartial()) this.onDecoded(r);
    this.helloSeq = this.window.nextSeq();
    // HELLO always carries FEC so the handshake survives a noisy line; the board answers in kind.
    const hello = encodeFrame(MsgType.HELLO, this.helloSeq, encodeHello({ version: 2, statusIntervalMs: this.o.statusIntervalMs }), 8);
    this.window.writeRaw(hello);
  }

  private onClose(reason: string): void {
    this.setState(LedLinkState.Offline);
    this.window.failAll(reason);
    if (this.helloTimer) clearInterval(this.helloTimer);
    this.helloTimer = null;
  }

  private onCaps(fr: RawFrame): void {
    const caps = decodeCaps(fr.payload);
    if (!caps) { this.stats.rxErrors++; return; }
    if (caps.reason === CapsReason.BOOT) {
      // The board (re)booted: it has no session and a blank picture.
      if (this.state === LedLinkState.Ready) {
        this.stats.boardResets++;
        this.log.warn({ bootId: caps.bootId }, 'LED board reset detected; repainting');
        this.resync('board reset');
      } else if (this.state === LedLinkState.Hello) {
        this.sayHello();
      }
      return;
    }
    if (this.state !== LedLinkState.Hello || caps.helloSeq !== this.helloSeq) return; // a late answer to an older HELLO
    this.caps = caps;
    this.window.startSession(caps);
    this.lastRxAt = this.o.now();
    this.setState(LedLinkState.Ready);
    if (this.helloTimer) clearInterval(this.helloTimer);
    this.helloTimer = null;
    this.startLiveness();
    this.log.info({ caps }, 'LED board ready');
    this.emit('ready', caps);
    this.window.pump();
  }

  // --- liveness (§6.5) --------------------------------------------------------------------------

  private startLiveness(): void {
    if (this.liveTimer) clearInterval(this.liveTimer);
    const period = this.o.statusIntervalMs;
    if (!period) return;
    this.liveTimer = setInterval(() => {
      if (this.state !== LedLinkState.Ready) return;
      if (this.o.now() - this.lastRxAt > 3 * period + 1000) this.resync('board silent');
      // Half duplex: the board speaks only when asked, so its periodic STATUS is polled (§5.5).
      else if (this.window.turns && this.window.inFlightCount === 0) this.send(MsgType.STATUS_REQ, new Uint8Array(0)).catch(() => {});
    }, period);
    this.liveTimer.unref?.();
  }

  // --- receive ----------------------------------------------------------------------------------

  private onData(chunk: Buffer): void {
    this.window.turns?.heardBoard(chunk.length, this.o.now());
    for (const r of this.decoder.push(chunk)) this.onDecoded(r);
  }

  private onDecoded(r: ReturnType<FrameDecoder['push']>[number]): void {
    if (!r.ok) { this.stats.rxErrors++; return; }
    this.stats.rxFrames++;
    this.lastRxAt = this.o.now();
    this.onFrame(r.frame);
  }

  private onFrame(fr: RawFrame): void {
    switch (fr.type) {
      case MsgType.CAPS: return this.onCaps(fr);
      case MsgType.ACK: {
        const a = decodeAck(fr.payload);
        if (a) this.window.onAck(a);
        return;
      }
      case MsgType.NAK: {
        const n = decodeNak(fr.payload);
        if (n) this.window.onNak(n);
        return;
      }
      case MsgType.STATUS: {
        const s = decodeStatus(fr.payload);
        if (!s) { this.stats.rxErrors++; return; }
        if (this.state === LedLinkState.Ready && this.caps && s.bootId !== this.caps.bootId) {
          this.stats.boardResets++;
          this.resync('board boot id changed');
          return;
        }
        this.lastStatus = s;
        this.emit('status', s);
        return;
      }
      case MsgType.FAULT: {
        const f = decodeFault(fr.payload);
        if (!f) return;
        this.emit('fault', f);
        // A fault changes the board's state: fetch the full STATUS now rather than at the next period.
        if (this.state === LedLinkState.Ready) this.send(MsgType.STATUS_REQ, new Uint8Array(0)).catch(() => {});
        return;
      }
      default:
        this.emit('frame', fr);
    }
  }
}
