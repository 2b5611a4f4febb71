/**
 * The board side of the LED link transport (docs/protocols/led-link.md §5.3, §8.1): session set
 * up by HELLO, a receive window that holds frames arriving after a gap, strictly in-order
 * delivery to the decoder, and ACK/NAK generation (cumulative seq + SACK bitmap + FEC repairs).
 */
import type { RawFrame } from '../../protocols/led-link/frame.js';
import { MsgType, NakReason, encodeAck, encodeNak, type Ack } from '../../protocols/led-link/messages.js';

export interface ReceiverHooks {
  reply(type: number, payload: Uint8Array): void;
  /** Hands an in-order frame to the decoder; it calls applied(seq, reason) when done. */
  deliver(frame: RawFrame): void;
  /** A HELLO opened a new session (the caller answers CAPS). */
  hello(frame: RawFrame): void;
}

export class BoardReceiver {
  private session = false;
  /** Next seq to receive in order. */
  private expected = 0;
  /** Next seq to finish decoding (the ACK's cumSeq). */
  private applied = 0;
  private readonly held = new Map<number, RawFrame>();
  private readonly received = new Set<number>();
  private corrected = 0;
  readonly stats = { duplicates: 0, outOfOrder: 0, windowRefusals: 0, noSession: 0 };

  constructor(private readonly rxWindow: number, private readonly hooks: ReceiverHooks) {}

  get hasSession(): boolean {
    return this.session;
  }

  /** Power-on: no session until the host says HELLO. */
  reboot(): void {
    this.session = false;
    this.held.clear();
    this.received.clear();
    this.corrected = 0;
  }

  onFrame(f: RawFrame): void {
    this.corrected += f.corrected;
    if (f.type === MsgType.HELLO) {
      this.session = true;
      this.expected = this.applied = (f.seq + 1) & 0xffff;
      this.held.clear();
      this.received.clear();
      this.hooks.hello(f);
      return;
    }
    if (!this.session) {
      this.stats.noSession++;
      this.nak(f.seq, NakReason.NO_SESSION);
      return;
    }
    const ahead = (f.seq - this.applied) & 0xffff;
    if (ahead >= 0x8000 || this.received.has(f.seq) || ((f.seq - this.expected) & 0xffff) >= 0x8000) {
      // Already taken: the host missed our ACK. Say where we are.
      this.stats.duplicates++;
      this.ack();
      return;
    }
    if (ahead >= this.rxWindow) {
      this.stats.windowRefusals++;
      this.nak(f.seq, NakReason.WINDOW);
      return;
    }
    this.received.add(f.seq);
    if (f.seq !== this.expected) {
      this.stats.outOfOrder++;
      this.held.set(f.seq, f);
      this.ack();
      return;
    }
    this.hooks.deliver(f);
    this.expected = (this.expected + 1) & 0xffff;
    for (let next = this.held.get(this.expected); next; next = this.held.get(this.expected)) {
      this.held.delete(this.expected);
      this.hooks.deliver(next);
      this.expected = (this.expected + 1) & 0xffff;
    }
  }

  /** A frame whose header decoded but whose body could not be repaired. */
  onBodyFailure(seq: number): void {
    if (!this.session) return;
    const ahead = (seq - this.applied) & 0xffff;
    if (ahead < this.rxWindow && !this.received.has(seq)) this.nak(seq, NakReason.CRC);
  }

  /**
   * Tells the host where we are now. Sent when an in-order frame has to wait for the decoder, so
   * its SACK bit stops the host from taking a slow decoder for a lost frame (§5.3).
   */
  ackNow(): void {
    if (this.session) this.ack();
  }

  /** A frame was refused before it reached the transport (e.g. longer than maxPayload). */
  refuse(seq: number, reason: number): void {
    this.nak(seq, reason);
  }

  /** The decoder finished `seq`; `reason` 0 = applied, else the application NAK reason. */
  done(seq: number, reason: number): void {
    if (!this.session || seq !== this.applied) return; // from a session a HELLO replaced
    this.received.delete(seq);
    this.applied = (seq + 1) & 0xffff;
    if (reason) this.nak(seq, reason);
    else this.ack();
  }

  private state(): Ack {
    let sack = 0;
    for (let i = 0; i < 32; i++) if (this.received.has((this.applied + i) & 0xffff)) sack |= 1 << i;
    const corrected = this.corrected;
    this.corrected = 0;
    return { cumSeq: this.applied, sack: sack >>> 0, corrected };
  }

  private ack(): void {
    this.hooks.reply(MsgType.ACK, encodeAck(this.state()));
  }

  private nak(seq: number, reason: number): void {
    this.hooks.reply(MsgType.NAK, encodeNak({ seq, reason, ...this.state() }));
  }
}
