/**
 * LedLink: the host side of the LED link transport (docs/protocols/led-link.md §5–§6).
 * HELLO/CAPS session, 16-bit sequence numbers, a sliding window sized by the link rate,
 * selective repeat (cumulative ACK + SACK bitmap, fast retransmit of a frame a later one
 * overtook, retransmit on NAK or timeout with a bounded budget), adaptive FEC and frame sizing
 * (FecPolicy), liveness, and board-reset detection. It knows nothing about pixels: bulk work is
 * pulled from a source (LedPresenter) only when the window has room, so nothing queues unbounded.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { FrameDecoder, MAX_FEC, encodeFrame, frameWireLength, type RawFrame } from '../../protocols/led-link/frame.js';
import {
  CapsReason, MsgType, NakReason, decodeAck, decodeCaps, decodeFault, decodeNak, decodeStatus, encodeHello, nakIsRetryable, nakReasonName,
  type Ack, type Caps, type Fault, type Status,
} from '../../protocols/led-link/messages.js';
import { deviceError } from '../errors.js';
import type { SerialLink } from '../serial/serial-link.js';
import { FecPolicy, type FecPolicyState } from './fec-policy.js';
import { LineTurns } from './line-turns.js';

export enum LedLinkState {
  /** Serial device closed. */
  Offline = 'offline',
  /** Open; HELLO sent, waiting for its CAPS. */
  Hello = 'hello',
  Ready = 'ready',
}

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

/** A message to send; `done` is called once with null (acknowledged) or the error. */
export interface LinkJob {
  type: number;
  payload: Uint8Array;
  done(err: Error | null): void;
}

/** Supplies bulk jobs when the window has room (the presenter). */
export type JobSource = () => LinkJob | null;

interface InFlight {
  seq: number;
  job: LinkJob;
  bytes: Buffer;
  attempts: number;
  /** Transmission order of the latest copy (wire order = arrival order on a serial line). */
  order: number;
  /** When the board should have answered the latest copy (wire + decode queue), for the RTO estimate. */
  expectedAt: number;
  sacked: boolean;
  /** This copy's bytes have been set against a reply's repair count (§6.4). */
  counted: boolean;
  /** A probe was sent for this copy instead of resending it at once. */
  probed: boolean;
  timer: NodeJS.Timeout | null;
}

export interface LedLinkStats {
  framesSent: number;
  retransmits: number;
  fastRetransmits: number;
  /** Tail-loss probes sent. */
  probes: number;
  naks: Record<string, number>;
  timeouts: number;
  resyncs: number;
  boardResets: number;
  rxFrames: number;
  rxErrors: number;
  bytesSent: number;
  payloadBytes: number;
  /** Bytes the board repaired with FEC (from ACKs). */
  boardCorrected: number;
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
  private seq = 1;
  private helloSeq = -1;
  private readonly inFlight = new Map<number, InFlight>();
  private readonly control: LinkJob[] = [];
  private source: JobSource | null = null;
  private helloTimer: NodeJS.Timeout | null = null;
  private liveTimer: NodeJS.Timeout | null = null;
  private wireFreeAt = 0;
  /** When the board will have decoded everything sent so far (its frames are decoded one at a time). */
  private boardFreeAt = 0;
  private txOrder = 0;
  private lastRxAt = 0;
  private fec: FecPolicy | null = null;
  private pumping = false;
  private readonly log: Logger;
  private readonly o: Required<Omit<LedLinkOptions, 'serial' | 'logger'>>;

  constructor(private readonly opts: LedLinkOptions) {
    super();
    this.log = opts.logger.child({ device: 'led' });
    this.o = {
      linkRate: opts.linkRate ?? 1_000_000, ackMarginMs: opts.ackMarginMs ?? 150, maxAttempts: opts.maxAttempts ?? 8,
      windowMs: opts.windowMs ?? 40, helloIntervalMs: opts.helloIntervalMs ?? 500, statusIntervalMs: opts.statusIntervalMs ?? 5000,
      fec: opts.fec ?? 'auto', maxQueued: opts.maxQueued ?? 64, now: opts.now ?? (() => performance.now()),
      duplex: opts.duplex ?? 'full', turnaroundMs: opts.turnaroundMs ?? 2,
    };
    if (this.o.duplex === 'half') {
      this.turns = new LineTurns({
        turnaroundMs: this.o.turnaroundMs, linkRate: this.o.linkRate,
        write: (b) => { this.opts.serial.write(b).catch(() => {}); },
        onHostTurn: () => { this.flush(); this.pump(); },
      });
    }
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
    return { lateMs: this.lateSrtt, lateVarMs: this.lateVar, marginMs: this.margin() };
  }

  /** Parity and payload limit in use, and the channel estimate behind them. */
  fecState(): FecPolicyState | null {
    return this.fec?.state() ?? null;
  }

  /** Largest payload the next frame may carry (board limit, shrunk on a lossy line). */
  get payloadLimit(): number {
    return this.fec?.payloadLimit ?? this.caps?.maxPayload ?? 1024;
  }

  /** Sends one control message ahead of bulk work; resolves when the board acknowledges it. */
  send(type: number, payload: Uint8Array): Promise<void> {
    if (this.state !== LedLinkState.Ready) return Promise.reject(deviceError('SP_LED_NOT_READY', { state: this.state }));
    if (this.control.length >= this.o.maxQueued) return Promise.reject(deviceError('SP_LED_BUSY', { queued: this.control.length }));
    return new Promise((resolve, reject) => {
      this.control.push({ type, payload, done: (e) => (e ? reject(e) : resolve()) });
      this.pump();
    });
  }

  /** Registers the bulk source; call kick() when it has new work. */
  setSource(source: JobSource): void {
    this.source = source;
  }

  kick(): void {
    this.pump();
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Bytes of unacknowledged frames. */
  get bytesInFlight(): number {
    let n = 0;
    for (const f of this.inFlight.values()) n += f.bytes.length;
    return n;
  }

  /**
   * Bytes still on the wire or unaccounted for: unacknowledged frames the board has not SACKed
   * (RFC 6675's "pipe"). A SACKed frame sits in the board's receive window, so it no longer holds
   * the wire; counting it would stall the line for a round trip after every loss (§6.2).
   */
  private pipeBytes(): number {
    let n = 0;
    for (const f of this.inFlight.values()) if (!f.sacked) n += f.bytes.length;
    return n;
  }

  /** Drops the session and says HELLO again (the board's picture is then repainted). */
  resync(reason: string): void {
    if (this.state === LedLinkState.Offline) return;
    this.stats.resyncs++;
    this.log.warn({ reason }, 'LED link resynchronising');
    this.failAll(reason);
    this.emit('reset', reason);
    this.startHello();
  }

  close(): void {
    this.onClose('link closed');
    this.clearTimers();
  }

  private clearTimers(): void {
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
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
    this.turns?.reset();
    this.startHello();
  }

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
    this.helloSeq = this.nextSeq();
    // HELLO always carries FEC so the handshake survives a noisy line; the board answers in kind.
    const hello = encodeFrame(MsgType.HELLO, this.helloSeq, encodeHello({ version: 2, statusIntervalMs: this.o.statusIntervalMs }), 8);
    this.write(hello);
  }

  private onClose(reason: string): void {
    this.setState(LedLinkState.Offline);
    this.failAll(reason);
    if (this.helloTimer) clearInterval(this.helloTimer);
    this.helloTimer = null;
  }

  private failAll(reason: string): void {
    for (const f of this.inFlight.values()) {
      if (f.timer) clearTimeout(f.timer);
      f.job.done(deviceError('SP_LED_NOT_READY', { reason }));
    }
    this.inFlight.clear();
    for (const j of this.control.splice(0)) j.done(deviceError('SP_LED_NOT_READY', { reason }));
    this.wireFreeAt = 0;
    this.boardFreeAt = 0;
  }

  private nextSeq(): number {
    const s = this.seq;
    this.seq = (this.seq + 1) & 0xffff;
    return s;
  }

  private windowFrames(): number {
    return Math.min(this.caps?.rxWindow ?? 1, 32);
  }

  private windowBytes(): number {
    const frame = frameWireLength(this.payloadLimit, this.fec?.parity ?? 0);
    // Half duplex: the window holds two bursts, so the next one is encoded while the current one
    // is on the line and leaves as soon as the board's answer has (§5.5).
    return this.turns ? 2 * this.burstBytes() : Math.max(2 * frame, (this.o.linkRate * this.o.windowMs) / 1000);
  }

  /**
   * Half duplex: a burst is 4 frames (~360 ms at 921600 baud). Each turn costs ~2 turnarounds, the
   * answer's wire time and the OS's wake-ups (~20 ms measured on the loaded VM), so bursts must be
   * long; a newer picture still waits at most one burst (§5.5).
   */
  private burstBytes(): number {
    return Math.max(4 * frameWireLength(this.payloadLimit, this.fec?.parity ?? 0), (this.o.linkRate * this.o.windowMs) / 1000);
  }

  private pump(): void {
    if (this.pumping || this.pumpQueued) return; // a job's done() may call back into pump
    this.pumping = true;
    try {
      while (this.state === LedLinkState.Ready && this.inFlight.size < this.windowFrames() && (this.inFlight.size === 0 || this.pipeBytes() < this.windowBytes())) {
        const control = this.control.shift();
        if (!control && this.bulkThisTurn) {
          // One bulk frame per event-loop turn: its bytes reach the OS while the next band is
          // encoded, so the wire starts after one band's encode, not the whole frame's (§7.2).
          this.pumpQueued = true;
          setImmediate(() => { this.pumpQueued = false; this.bulkThisTurn = false; this.pump(); });
          break;
        }
        const job = control ?? this.source?.() ?? null;
        if (!job) break;
        // Small frames (a clock digit's BLIT, PRESENT) go out in the same turn as what follows.
        if (!control && job.payload.length > 2048) this.bulkThisTurn = true;
        const seq = this.nextSeq();
        const f: InFlight = { seq, job, bytes: encodeFrame(job.type, seq, job.payload, this.fec!.parity), attempts: 0, order: 0, expectedAt: 0, sacked: false, counted: false, probed: false, timer: null };
        this.stats.payloadBytes += job.payload.length;
        this.inFlight.set(seq, f);
        this.transmit(f);
      }
    } finally {
      this.pumping = false;
      if (!this.pumpQueued) this.bulkThisTurn = false;
      if (this.turns && !this.pumpQueued && this.txBatch.length) this.scheduleFlush();
    }
  }

  private pumpQueued = false;
  private bulkThisTurn = false;

  private transmit(f: InFlight): void {
    f.attempts++;
    if (f.attempts > 1) {
      this.stats.retransmits++;
      // Re-encode: the FEC level may have risen since the first copy.
      f.bytes = encodeFrame(f.job.type, f.seq, f.job.payload, this.fec!.parity);
    }
    f.order = ++this.txOrder;
    f.sacked = false;
    f.counted = false;
    f.probed = false;
    this.stats.framesSent++;
    this.stats.bytesSent += f.bytes.length;
    // The frame is acknowledged only after everything queued ahead of it crossed the wire and
    // the board decoded it (§6.2).
    const now = this.o.now();
    this.wireFreeAt = Math.max(this.wireFreeAt, now) + (f.bytes.length / this.o.linkRate) * 1000;
    this.boardFreeAt = Math.max(this.boardFreeAt, this.wireFreeAt) + (this.caps?.decodeMs ?? 20);
    f.expectedAt = this.boardFreeAt;
    const backoff = 1.5 ** (f.attempts - 1);
    const deadline = this.boardFreeAt - now + this.margin() * backoff;
    if (f.timer) clearTimeout(f.timer);
    f.timer = setTimeout(() => this.onTimeout(f), wholeMs(deadline));
    f.timer.unref?.();
    if (f.job.type !== MsgType.STATUS_REQ) this.armProbe(now);
    this.write(f.bytes);
  }

  private txBatch: Buffer[] = [];
  private flushQueued = false;
  /** Half duplex only: whose turn it is on the line (§5.5). */
  private readonly turns: LineTurns | null = null;

  /**
   * Frames produced in one synchronous run (a clock change's BLITs and PRESENT, a retransmission
   * and the frames behind it) leave in one write: each write is a round trip through the OS (and
   * a wake-up of the board's reader), which on a loaded host costs more than the bytes (§6.2).
   */
  private write(bytes: Buffer): void {
    this.txBatch.push(bytes);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => { this.flushQueued = false; this.flush(); });
    }
  }

  private flush(): void {
    if (this.txBatch.length === 0) return;
    // Half duplex: wait for our turn, and send the window as one burst (the pump is still
    // encoding it while a continuation is queued) — every burst costs a turnaround (§5.5).
    if (!this.turns) {
      const batch = this.txBatch;
      this.txBatch = [];
      this.opts.serial.write(batch.length === 1 ? batch[0]! : Buffer.concat(batch)).catch(() => { /* the deadline retries; a close fails everything */ });
      return;
    }
    const burst = this.burstBytes();
    let queued = 0;
    for (const b of this.txBatch) queued += b.length;
    if (!this.turns.hostTurn || (this.pumpQueued && queued < burst)) return;
    let n = 0;
    let size = 0;
    while (n < this.txBatch.length && (n === 0 || size + this.txBatch[n]!.length <= burst)) size += this.txBatch[n++]!.length;
    const batch = this.txBatch.splice(0, n);
    const bytes = batch.length === 1 ? batch[0]! : Buffer.concat(batch);
    // The board answers after the burst has crossed the wire, its frames are decoded and the
    // line has been quiet; past that plus the margin the answer is overdue (lost burst).
    const now = this.o.now();
    this.turns.burst(bytes, Math.max(this.wireFreeAt, this.boardFreeAt) - now + this.o.turnaroundMs + this.margin());
  }

  /**
   * ACK deadline slack: the configured margin, or more if answers have been arriving later than
   * predicted (smoothed lateness + 4 × its deviation, as TCP's RTO in RFC 6298), so a slow host or
   * board is not mistaken for lost frames.
   */
  private margin(): number {
    return Math.max(this.o.ackMarginMs, this.lateSrtt + 4 * this.lateVar);
  }

  private lateSrtt = 0;
  private lateVar = 0;

  private observeLateness(f: InFlight): void {
    if (f.attempts !== 1) return; // Karn: an answer to a retransmitted frame is ambiguous
    const late = Math.max(0, this.o.now() - f.expectedAt);
    this.lateVar += 0.25 * (Math.abs(late - this.lateSrtt) - this.lateVar);
    this.lateSrtt += 0.125 * (late - this.lateSrtt);
  }

  private finish(f: InFlight, err: Error | null): void {
    if (f.timer) clearTimeout(f.timer);
    this.inFlight.delete(f.seq);
    f.job.done(err);
  }

  private probeTimer: NodeJS.Timeout | null = null;

  /**
   * Tail-loss probe (after RFC 8985): shortly after the board should have answered the last frame
   * sent, if something is still unanswered, send a tiny STATUS_REQ. If a frame was lost, the
   * board holds the probe behind the gap and its SACK triggers a fast retransmit, instead of
   * the transfer's last frames waiting out a full deadline.
   */
  private armProbe(now: number): void {
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = setTimeout(() => this.probe(), wholeMs(this.boardFreeAt - now + Math.min(30, this.margin() / 4)));
    this.probeTimer.unref?.();
  }

  private probe(): void {
    this.probeTimer = null;
    if (this.state !== LedLinkState.Ready || this.control.length) return;
    let waiting = false;
    // Half duplex: the board cannot report a finished decode unasked, so SACKed frames need the poll too.
    for (const f of this.inFlight.values()) if ((!f.sacked || this.turns) && f.job.type !== MsgType.STATUS_REQ) waiting = true;
    if (!waiting) return;
    this.stats.probes++;
    this.send(MsgType.STATUS_REQ, new Uint8Array(0)).catch(() => {});
  }

  private retryOrResync(f: InFlight, why: 'timeout' | 'nak'): void {
    if (f.attempts >= this.o.maxAttempts) {
      // The board's in-order delivery now waits forever for this seq: start a new session.
      this.finish(f, deviceError(why === 'nak' ? 'SP_LED_NAK' : 'SP_LED_TIMEOUT', { seq: f.seq, attempts: f.attempts }));
      this.resync(`frame ${f.seq} failed ${f.attempts} times (${why})`);
      return;
    }
    this.transmit(f);
  }

  private onTimeout(f: InFlight): void {
    if (this.inFlight.get(f.seq) !== f) return;
    if (f.sacked) {
      // Received, waiting behind a gap: give the gap time to fill.
      f.timer = setTimeout(() => this.onTimeout(f), this.o.ackMarginMs);
      f.timer.unref?.();
      return;
    }
    // Like TCP's single retransmission timer: only the oldest frame still waiting is resent on a
    // timeout; later ones wait for it (a slow board must not cost a whole window of copies).
    for (const g of this.inFlight.values()) {
      if (g === f) break;
      if (!g.sacked) {
        f.timer = setTimeout(() => this.onTimeout(f), wholeMs(this.margin()));
        f.timer.unref?.();
        return;
      }
    }
    if (!f.probed && f.bytes.length > 512 && this.control.length === 0) {
      // Probe before resending a big frame: if it was lost, the probe's SACK gap resends it at
      // once; if the board is only slow, a ~30-byte probe is all the deadline cost.
      f.probed = true;
      this.stats.probes++;
      this.send(MsgType.STATUS_REQ, new Uint8Array(0)).catch(() => {});
      f.timer = setTimeout(() => this.onTimeout(f), wholeMs(this.margin() * 1.5 ** f.attempts));
      f.timer.unref?.();
      return;
    }
    this.stats.timeouts++;
    // A timeout alone is no evidence of a noisy line (a slow host or board looks the same), so it
    // does not raise FEC; CRC NAKs and overtaken frames do (§6.4).
    this.retryOrResync(f, 'timeout');
  }

  private onData(chunk: Buffer): void {
    this.turns?.heardBoard(chunk.length, this.o.now());
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
        if (a) this.onAck(a);
        return;
      }
      case MsgType.NAK: return this.onNak(fr);
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
    this.fec = new FecPolicy({ mode: this.o.fec, maxFec: Math.min(caps.maxFec, MAX_FEC), maxPayload: caps.maxPayload });
    this.wireFreeAt = 0;
    this.lastRxAt = this.o.now();
    this.setState(LedLinkState.Ready);
    if (this.helloTimer) clearInterval(this.helloTimer);
    this.helloTimer = null;
    this.startLiveness();
    this.log.info({ caps }, 'LED board ready');
    this.emit('ready', caps);
    this.pump();
  }

  private startLiveness(): void {
    if (this.liveTimer) clearInterval(this.liveTimer);
    const period = this.o.statusIntervalMs;
    if (!period) return;
    this.liveTimer = setInterval(() => {
      if (this.state !== LedLinkState.Ready) return;
      if (this.o.now() - this.lastRxAt > 3 * period + 1000) this.resync('board silent');
      // Half duplex: the board speaks only when asked, so its periodic STATUS is polled (§5.5).
      else if (this.turns && this.inFlight.size === 0) this.send(MsgType.STATUS_REQ, new Uint8Array(0)).catch(() => {});
    }, period);
    this.liveTimer.unref?.();
  }

  private onAck(a: Ack): void {
    if (this.state !== LedLinkState.Ready) return;
    this.stats.boardCorrected += a.corrected;
    let delivered = 0;
    let highestSacked = 0;
    // The board's `corrected` counts repairs in the frames it *received* since its last reply
    // (some only SACKed, not yet decoded), so it is set against the bytes of frames this reply
    // shows as received for the first time, and only frames that carried FEC (§6.4).
    let fecBytes = 0;
    let fecParity = 0;
    let plainBytes = 0;
    const seen = (f: InFlight) => {
      if (f.counted) return;
      f.counted = true;
      const parity = f.bytes[10]!;
      if (parity > 0) { fecBytes += f.bytes.length; fecParity = parity; } else plainBytes += f.bytes.length;
    };
    for (const f of [...this.inFlight.values()]) {
      const d = (a.cumSeq - f.seq) & 0xffff;
      if (d >= 1 && d < 0x8000) {
        this.observeLateness(f);
        delivered++;
        seen(f);
        this.finish(f, null);
        continue;
      }
      const ahead = (f.seq - a.cumSeq) & 0xffff;
      if (ahead < 32 && (a.sack >>> ahead) & 1) {
        f.sacked = true;
        seen(f);
        // Which copy of a retransmitted frame arrived is unknown (Karn): infer losses only from
        // frames sent once.
        if (f.attempts === 1) highestSacked = Math.max(highestSacked, f.order);
      }
    }
    if (fecBytes) this.fec?.onDelivered(fecBytes, a.corrected, fecParity);
    else if (plainBytes) this.fec?.onDelivered(plainBytes, a.corrected, 0);
    // A later frame arrived but this one did not: on a serial line that means it was lost.
    for (const f of this.inFlight.values()) {
      if (!f.sacked && f.order < highestSacked) {
        this.stats.fastRetransmits++;
        this.fec?.onLost(f.bytes.length, f.bytes[10]!);
        this.retryOrResync(f, 'timeout');
      }
    }
    if (delivered || this.control.length) this.pump();
  }

  private onNak(fr: RawFrame): void {
    const n = decodeNak(fr.payload);
    if (!n || this.state !== LedLinkState.Ready) return;
    const name = nakReasonName(n.reason);
    this.stats.naks[name] = (this.stats.naks[name] ?? 0) + 1;
    const f = this.inFlight.get(n.seq);
    if (n.reason === NakReason.NO_SESSION) {
      this.stats.boardResets++;
      this.resync('board has no session');
      return;
    }
    if (f) {
      if (nakIsRetryable(n.reason)) {
        if (n.reason === NakReason.CRC) this.fec?.onLost(f.bytes.length, f.bytes[10]!);
        this.retryOrResync(f, 'nak');
      } else {
        // Taken and refused: resending it unchanged cannot help (§5.4).
        this.log.warn({ seq: n.seq, reason: name }, 'LED board refused a message');
        this.finish(f, deviceError('SP_LED_REFUSED', { seq: n.seq, reason: name }));
      }
    }
    this.onAck(n);
  }
}

/**
 * Timer delays rounded up to whole ms: Node keeps one timer list per distinct delay, so
 * fractional delays (one per frame at 1 MB/s) would each create a list and a priority-queue insert.
 */
function wholeMs(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}
