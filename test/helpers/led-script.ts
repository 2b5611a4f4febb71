/**
 * A scripted LED board on a FakeBytePort, for unit tests of the host side of the LED link
 * (docs/protocols/led-link.md §5–§6). It decodes what the host writes and answers only what the
 * test tells it to: CAPS to a HELLO (on by default), and with `autoAck` a cumulative ACK for each
 * frame, as an in-order board that loses nothing. Answers arrive after `replyMs` of (fake) time.
 */
import { FrameDecoder, encodeFrame, type RawFrame } from '../../protocols/led-link/frame.js';
import {
  CapsReason, Codec, Feature, MsgType, PixelFormat, encodeAck, encodeCaps, encodeNak, type Ack, type Caps, type Nak,
} from '../../protocols/led-link/messages.js';
import type { FakeBytePort } from './byte-port.js';

export const TEST_CAPS: Caps = {
  reason: CapsReason.HELLO, helloSeq: 0, version: 2, width: 64, height: 32, pixelFormat: PixelFormat.RGB565,
  maxPayload: 4096, rxWindow: 8,
  codecs: (1 << Codec.RAW) | (1 << Codec.RLE16) | (1 << Codec.DEFLATE) | (1 << Codec.PALETTE_DEFLATE) | (1 << Codec.SOLID),
  features: Feature.VERIFY_CRC, maxFec: 0, moduleCols: 1, moduleRows: 1, decodeMs: 5, bootId: 0x1234, firmware: 'scripted',
};

export class ScriptedLedBoard {
  readonly decoder = new FrameDecoder();
  /** Every good frame the host sent, in order. */
  readonly frames: RawFrame[] = [];
  /** When each of `frames` arrived (performance.now(), fake under fake timers). */
  readonly arrivedAt: number[] = [];
  answerHello = true;
  autoAck = false;
  replyMs = 1;
  caps: Caps;

  constructor(readonly port: FakeBytePort, caps: Partial<Caps> = {}) {
    this.caps = { ...TEST_CAPS, ...caps };
    port.onWrite = (bytes) => {
      for (const r of this.decoder.push(bytes)) if (r.ok) this.onFrame(r.frame);
    };
  }

  /** Frames other than HELLO (what the send window sent). */
  data(): RawFrame[] {
    return this.frames.filter((f) => f.type !== MsgType.HELLO);
  }

  /** Seqs of the frames of one type, in the order sent (a retransmission appears again). */
  seqs(type?: number): number[] {
    return this.data().filter((f) => type === undefined || f.type === type).map((f) => f.seq);
  }

  ack(a: Partial<Ack> & { cumSeq: number }): void {
    this.send(MsgType.ACK, encodeAck({ sack: 0, corrected: 0, ...a }));
  }

  nak(n: Partial<Nak> & { seq: number; reason: number; cumSeq: number }): void {
    this.send(MsgType.NAK, encodeNak({ sack: 0, corrected: 0, ...n }));
  }

  /** The board (re)booted and says so unasked (§6.5). */
  bootAnnouncement(bootId: number): void {
    this.caps = { ...this.caps, bootId };
    this.send(MsgType.CAPS, encodeCaps({ ...this.caps, reason: CapsReason.BOOT, helloSeq: 0 }));
  }

  send(type: number, payload: Uint8Array): void {
    this.port.feed(encodeFrame(type, 0, payload));
  }

  private later(fn: () => void): void {
    setTimeout(fn, this.replyMs);
  }

  private onFrame(f: RawFrame): void {
    this.frames.push(f);
    this.arrivedAt.push(performance.now());
    if (f.type === MsgType.HELLO) {
      if (this.answerHello) this.later(() => this.send(MsgType.CAPS, encodeCaps({ ...this.caps, reason: CapsReason.HELLO, helloSeq: f.seq })));
      return;
    }
    if (this.autoAck) this.later(() => this.ack({ cumSeq: (f.seq + 1) & 0xffff }));
  }
}
