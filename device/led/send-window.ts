/**
 * SendWindow: the sending half of the LED link (docs/protocols/led-link.md §6). Frames in flight
 * under 16-bit sequence numbers, a window sized by the link rate and counted as RFC 6675's "pipe",
 * selective repeat (cumulative ACK + SACK bitmap, fast retransmit of a frame a later one overtook,
 * retransmit on NAK or timeout with a bounded budget), tail-loss probes, and adaptive FEC fed from
 * the ACKs (FecPolicy). Bulk work is pulled from a source only when the window has room, so
 * nothing queues unbounded. LedLink owns the session; this owns what is sent within it.
 */
import type { Logger } from 'pino';
import { MAX_FEC, encodeFrame, frameWireLength } from '../../protocols/led-link/frame.js';
import { MsgType, NakReason, nakIsRetryable, nakReasonName, type Ack, type Caps, type Nak } from '../../protocols/led-link/messages.js';
import { deviceError } from '../errors.js';
import type { SerialLink } from '../serial/serial-link.js';
import { AckDeadline } from './ack-deadline.js';
import { BurstWriter } from './burst-writer.js';
import { FecPolicy } from './fec-policy.js';
import { LedLinkState, PumpState, wholeMs, type JobSource, type LinkJob, type SendWindowSession } from './link-state.js';
import { LineTurns } from './line-turns.js';
import type { LedLinkOptions } from './led-link.js';
import { nextTick } from '../../lib/next-tick.js';

/** LedLink's options less the session's own (HELLO, STATUS period), resolved to their defaults. */
export type SendWindowOptions = Required<Omit<LedLinkOptions, 'serial' | 'logger' | 'helloIntervalMs' | 'statusIntervalMs'>> & {
  serial: SerialLink;
  session: SendWindowSession;
  log: Logger;
};

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

export class SendWindow {
  /** Half duplex only: whose turn it is on the line (§5.5). */
  readonly turns: LineTurns | null = null;
  fec: FecPolicy | null = null;
  private readonly writer: BurstWriter;
  private readonly deadline: AckDeadline;
  private seq = 1;
  private readonly inFlight = new Map<number, InFlight>();
  private readonly control: LinkJob[] = [];
  private source: JobSource | null = null;
  private wireFreeAt = 0;
  /** When the board will have decoded everything sent so far (its frames are decoded one at a time). */
  private boardFreeAt = 0;
  private txOrder = 0;
  private pumpState = PumpState.Idle;
  /** The rest of the window, after one bulk frame's bytes have reached the OS (see pump). */
  private readonly resume = nextTick(() => { this.pumpState = PumpState.Idle; this.pump(); });
  private probeTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: SendWindowOptions) {
    this.deadline = new AckDeadline(o.ackMarginMs);
    const write = (b: Buffer) => { o.serial.write(b).catch(() => { /* the deadline retries; a close fails everything */ }); };
    if (o.duplex === 'half') {
      this.turns = new LineTurns({
        turnaroundMs: o.turnaroundMs, linkRate: o.linkRate, write,
        onHostTurn: () => { this.writer.flush(); this.pump(); },
      });
    }
    this.writer = new BurstWriter({
      write, turns: this.turns,
      burstBytes: () => this.burstBytes(),
      encoding: () => this.pumpState === PumpState.Yielded,
      // The board answers after the burst has crossed the wire, its frames are decoded and the
      // line has been quiet; past that plus the margin the answer is overdue (lost burst).
      answerWithinMs: () => Math.max(this.wireFreeAt, this.boardFreeAt) - this.o.now() + this.o.turnaroundMs + this.deadline.margin(),
    });
  }

  private get session(): SendWindowSession {
    return this.o.session;
  }

  /** Largest payload the next frame may carry (board limit, shrunk on a lossy line). */
  get payloadLimit(): number {
    return this.fec?.payloadLimit ?? this.session.caps?.maxPayload ?? 1024;
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

  rtoState(): { lateMs: number; lateVarMs: number; marginMs: number } {
    return this.deadline.state();
  }

  /** A new session (CAPS received): FEC starts from the board's limits, the wire is idle. */
  startSession(caps: Caps): void {
    this.fec = new FecPolicy({ mode: this.o.fec, maxFec: Math.min(caps.maxFec, MAX_FEC), maxPayload: caps.maxPayload });
    this.wireFreeAt = 0;
  }

  /** Queues a control message ahead of bulk work; resolves when the board acknowledges it. */
  send(type: number, payload: Uint8Array): Promise<void> {
    if (this.session.state !== LedLinkState.Ready) return Promise.reject(deviceError('SP_LED_NOT_READY', { state: this.session.state }));
    if (this.control.length >= this.o.maxQueued) return Promise.reject(deviceError('SP_LED_BUSY', { queued: this.control.length }));
    return new Promise((resolve, reject) => {
      this.control.push({ type, payload, done: (e) => (e ? reject(e) : resolve()) });
      this.pump();
    });
  }

  setSource(source: JobSource): void {
    this.source = source;
  }

  nextSeq(): number {
    const s = this.seq;
    this.seq = (this.seq + 1) & 0xffff;
    return s;
  }

  /** Writes a frame outside the window (HELLO). */
  writeRaw(bytes: Buffer): void {
    this.writer.write(bytes);
  }

  /** Fails every frame in flight and every queued control message (the session ended). */
  failAll(reason: string): void {
    for (const f of this.inFlight.values()) {
      if (f.timer) clearTimeout(f.timer);
      f.job.done(deviceError('SP_LED_NOT_READY', { reason }));
    }
    this.inFlight.clear();
    for (const j of this.control.splice(0)) j.done(deviceError('SP_LED_NOT_READY', { reason }));
    this.wireFreeAt = 0;
    this.boardFreeAt = 0;
  }

  clearTimers(): void {
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
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

  private windowFrames(): number {
    return Math.min(this.session.caps?.rxWindow ?? 1, 32);
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

  /** Sends what fits in the window: control messages first, then bulk jobs from the source. */
  pump(): void {
    if (this.pumpState !== PumpState.Idle) return; // a job's done() may call back into pump
    this.pumpState = PumpState.Pumping;
    let bulkSent = false;
    try {
      while (this.session.state === LedLinkState.Ready && this.inFlight.size < this.windowFrames() && (this.inFlight.size === 0 || this.pipeBytes() < this.windowBytes())) {
        const control = this.control.shift();
        if (!control && bulkSent) {
          // One bulk frame per event-loop turn: its bytes reach the OS while the next band is
          // encoded, so the wire starts after one band's encode, not the whole frame's (§7.2).
          this.pumpState = PumpState.Yielded;
          this.resume();
          break;
        }
        const job = control ?? this.source?.() ?? null;
        if (!job) break;
        // Small frames (a clock digit's BLIT, PRESENT) go out in the same turn as what follows.
        if (!control && job.payload.length > 2048) bulkSent = true;
        const seq = this.nextSeq();
        const f: InFlight = { seq, job, bytes: encodeFrame(job.type, seq, job.payload, this.fec!.parity), attempts: 0, order: 0, expectedAt: 0, sacked: false, counted: false, probed: false, timer: null };
        this.session.stats.payloadBytes += job.payload.length;
        this.inFlight.set(seq, f);
        this.transmit(f);
      }
    } finally {
      if (this.pumpState === PumpState.Pumping) this.pumpState = PumpState.Idle;
      if (this.turns && this.pumpState === PumpState.Idle && this.writer.pending) this.writer.scheduleFlush();
    }
  }

  private transmit(f: InFlight): void {
    const stats = this.session.stats;
    f.attempts++;
    if (f.attempts > 1) {
      stats.retransmits++;
      // Re-encode: the FEC level may have risen since the first copy.
      f.bytes = encodeFrame(f.job.type, f.seq, f.job.payload, this.fec!.parity);
    }
    f.order = ++this.txOrder;
    f.sacked = false;
    f.counted = false;
    f.probed = false;
    stats.framesSent++;
    stats.bytesSent += f.bytes.length;
    // The frame is acknowledged only after everything queued ahead of it crossed the wire and
    // the board decoded it (§6.2).
    const now = this.o.now();
    this.wireFreeAt = Math.max(this.wireFreeAt, now) + (f.bytes.length / this.o.linkRate) * 1000;
    this.boardFreeAt = Math.max(this.boardFreeAt, this.wireFreeAt) + (this.session.caps?.decodeMs ?? 20);
    f.expectedAt = this.boardFreeAt;
    const backoff = 1.5 ** (f.attempts - 1);
    const deadline = this.boardFreeAt - now + this.deadline.margin() * backoff;
    if (f.timer) clearTimeout(f.timer);
    f.timer = setTimeout(() => this.onTimeout(f), wholeMs(deadline));
    f.timer.unref?.();
    if (f.job.type !== MsgType.STATUS_REQ) this.armProbe(now);
    this.writer.write(f.bytes);
  }

  private observeLateness(f: InFlight): void {
    if (f.attempts !== 1) return; // Karn: an answer to a retransmitted frame is ambiguous
    this.deadline.observe(Math.max(0, this.o.now() - f.expectedAt));
  }

  private finish(f: InFlight, err: Error | null): void {
    if (f.timer) clearTimeout(f.timer);
    this.inFlight.delete(f.seq);
    f.job.done(err);
  }

  /**
   * Tail-loss probe (after RFC 8985): shortly after the board should have answered the last frame
   * sent, if something is still unanswered, send a tiny STATUS_REQ. If a frame was lost, the
   * board holds the probe behind the gap and its SACK triggers a fast retransmit, instead of
   * the transfer's last frames waiting out a full deadline.
   */
  private armProbe(now: number): void {
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = setTimeout(() => this.probe(), wholeMs(this.boardFreeAt - now + Math.min(30, this.deadline.margin() / 4)));
    this.probeTimer.unref?.();
  }

  private probe(): void {
    this.probeTimer = null;
    if (this.session.state !== LedLinkState.Ready || this.control.length) return;
    let waiting = false;
    // Half duplex: the board cannot report a finished decode unasked, so SACKed frames need the poll too.
    for (const f of this.inFlight.values()) if ((!f.sacked || this.turns) && f.job.type !== MsgType.STATUS_REQ) waiting = true;
    if (!waiting) return;
    this.session.stats.probes++;
    this.send(MsgType.STATUS_REQ, new Uint8Array(0)).catch(() => {});
  }

  private retryOrResync(f: InFlight, why: 'timeout' | 'nak'): void {
    if (f.attempts >= this.o.maxAttempts) {
      // The board's in-order delivery now waits forever for this seq: start a new session.
      this.finish(f, deviceError(why === 'nak' ? 'SP_LED_NAK' : 'SP_LED_TIMEOUT', { seq: f.seq, attempts: f.attempts }));
      this.session.resync(`frame ${f.seq} failed ${f.attempts} times (${why})`);
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
        f.timer = setTimeout(() => this.onTimeout(f), wholeMs(this.deadline.margin()));
        f.timer.unref?.();
        return;
      }
    }
    if (!f.probed && f.bytes.length > 512 && this.control.length === 0) {
      // Probe before resending a big frame: if it was lost, the probe's SACK gap resends it at
      // once; if the board is only slow, a ~30-byte probe is all the deadline cost.
      f.probed = true;
      this.session.stats.probes++;
      this.send(MsgType.STATUS_REQ, new Uint8Array(0)).catch(() => {});
      f.timer = setTimeout(() => this.onTimeout(f), wholeMs(this.deadline.margin() * 1.5 ** f.attempts));
      f.timer.unref?.();
      return;
    }
    this.session.stats.timeouts++;
    // A timeout alone is no evidence of a noisy line (a slow host or board looks the same), so it
    // does not raise FEC; CRC NAKs and overtaken frames do (§6.4).
    this.retryOrResync(f, 'timeout');
  }

  /** Cumulative ACK + SACK bitmap from the board (§3.10, §6.3). */
  onAck(a: Ack): void {
    if (this.session.state !== LedLinkState.Ready) return;
    this.session.stats.boardCorrected += a.corrected;
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
        this.session.stats.fastRetransmits++;
        this.fec?.onLost(f.bytes.length, f.bytes[10]!);
        this.retryOrResync(f, 'timeout');
      }
    }
    if (delivered || this.control.length) this.pump();
  }

  /** A NAK names one frame and carries the ACK fields too (§3.11, §6.3). */
  onNak(n: Nak): void {
    if (this.session.state !== LedLinkState.Ready) return;
    const stats = this.session.stats;
    const name = nakReasonName(n.reason);
    stats.naks[name] = (stats.naks[name] ?? 0) + 1;
    const f = this.inFlight.get(n.seq);
    if (n.reason === NakReason.NO_SESSION) {
      stats.boardResets++;
      this.session.resync('board has no session');
      return;
    }
    if (f) {
      if (nakIsRetryable(n.reason)) {
        if (n.reason === NakReason.CRC) this.fec?.onLost(f.bytes.length, f.bytes[10]!);
        this.retryOrResync(f, 'nak');
      } else {
        // Taken and refused: resending it unchanged cannot help (§5.4).
        this.o.log.warn({ seq: n.seq, reason: name }, 'LED board refused a message');
        this.finish(f, deviceError('SP_LED_REFUSED', { seq: n.seq, reason: name }));
      }
    }
    this.onAck(n);
  }
}
