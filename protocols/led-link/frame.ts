/**
 * LED link framing v2 (docs/protocols/led-link.md §2). A frame on the wire:
 *
 *   sync(4) A5 5A 3C C3 | header(8) | header parity(4) | body
 *   header = version u8 | type u8 | seq u16 LE | length u16 LE | fec u8 | flags u8
 *   body   = payload ‖ CRC-32 u32 LE over (header ‖ payload), cut into blocks of 255−fec bytes,
 *            each followed by its `fec` Reed–Solomon parity bytes (no blocks when fec = 0)
 *
 * No byte stuffing (a departure from Onbon BX, §2.5): escaping turns a corrupted byte into an
 * insertion or deletion that no block code can repair. Instead the length lives in an
 * RS-protected header, the receiver hunts for the sync word tolerating one wrong byte, and a
 * frame that fails is re-scanned from the byte after its sync so a frame hidden inside it is found.
 */
import { crc32 } from '../crc32.js';
import { rsDecodeInPlace, rsEncodeInto } from './reed-solomon.js';

export const SYNC = Uint8Array.of(0xa5, 0x5a, 0x3c, 0xc3);
export const LINK_VERSION = 2;
export const HEADER_BYTES = 8;
export const HEADER_PARITY = 4;
export const PREFIX_BYTES = SYNC.length + HEADER_BYTES + HEADER_PARITY; // 16
export const CRC_BYTES = 4;
/** Largest payload any frame may carry; the board's CAPS may announce less. */
export const MAX_PAYLOAD = 32768;
/** Largest parity count per block a receiver must accept (t = 16). */
export const MAX_FEC = 32;

export interface RawFrame {
  readonly type: number;
  readonly seq: number;
  /** Parity bytes per 255-byte block the frame was sent with (0 = none). */
  readonly fec: number;
  readonly payload: Uint8Array;
  /** Bytes the receiver's Reed–Solomon decoder repaired in this frame (header and body). */
  readonly corrected: number;
}

export function validFec(fec: number): boolean {
  return fec === 0 || (fec % 2 === 0 && fec >= 2 && fec <= MAX_FEC);
}

/** Wire length of a body carrying `payloadLen` bytes at `fec` parity bytes per block. */
export function bodyWireLength(payloadLen: number, fec: number): number {
  const l = payloadLen + CRC_BYTES;
  return fec === 0 ? l : l + Math.ceil(l / (255 - fec)) * fec;
}

export function frameWireLength(payloadLen: number, fec: number): number {
  return PREFIX_BYTES + bodyWireLength(payloadLen, fec);
}

export function encodeFrame(type: number, seq: number, payload: Uint8Array, fec = 0): Buffer {
  if (payload.length > MAX_PAYLOAD) throw new RangeError(`payload ${payload.length} > ${MAX_PAYLOAD}`);
  if (!validFec(fec)) throw new RangeError(`fec ${fec} is not 0 or an even number 2…${MAX_FEC}`);
  const out = Buffer.allocUnsafe(frameWireLength(payload.length, fec));
  out.set(SYNC, 0);
  const h = SYNC.length;
  out[h] = LINK_VERSION;
  out[h + 1] = type;
  out.writeUInt16LE(seq & 0xffff, h + 2);
  out.writeUInt16LE(payload.length, h + 4);
  out[h + 6] = fec;
  out[h + 7] = 0;
  rsEncodeInto(out, h, h + HEADER_BYTES, HEADER_PARITY, out, h + HEADER_BYTES);
  const crc = crc32(payload, crc32(out.subarray(h, h + HEADER_BYTES)));
  const plain = Buffer.allocUnsafe(payload.length + CRC_BYTES);
  plain.set(payload, 0);
  plain.writeUInt32LE(crc, payload.length);
  let o = PREFIX_BYTES;
  if (fec === 0) {
    out.set(plain, o);
    return out;
  }
  const k = 255 - fec;
  for (let i = 0; i < plain.length; i += k) {
    const end = Math.min(plain.length, i + k);
    out.set(plain.subarray(i, end), o);
    o += end - i;
    rsEncodeInto(plain, i, end, fec, out, o);
    o += fec;
  }
  return out;
}

export type FrameError = 'crc' | 'fec' | 'too-long';

export type DecodeResult =
  | { ok: true; frame: RawFrame }
  /** The header decoded (so type and seq are trustworthy) but the body could not be repaired. */
  | { ok: false; error: FrameError; type: number; seq: number; fec: number; bytes: number };

export interface FrameDecoderStats {
  frames: number;
  errors: Record<FrameError, number>;
  /** Bytes outside any good frame: line noise, lost or failed frames. */
  droppedBytes: number;
  /** Bytes repaired by Reed–Solomon in good frames. */
  corrected: number;
  /** Sync candidates whose header failed (noise, or a frame whose header was destroyed). */
  falseSyncs: number;
}

const enum St { Hunt, Header, Body }

/**
 * Incremental deframer: feed it any chunking; it returns good frames and body failures in order.
 * Memory is bounded by one largest frame; work per byte is bounded (a failed frame's bytes are
 * re-scanned once per failure, and every re-scan starts strictly later).
 */
export class FrameDecoder {
  readonly stats: FrameDecoderStats = { frames: 0, errors: { crc: 0, fec: 0, 'too-long': 0 }, droppedBytes: 0, corrected: 0, falseSyncs: 0 };
  private readonly buf: Uint8Array;
  private len = 0;
  private state = St.Hunt;
  private need = 0;
  private hdr = { type: 0, seq: 0, length: 0, fec: 0, corrected: 0 };
  /** The last 4 bytes seen while hunting, as a shift register. */
  private win = 0;
  private winLen = 0;

  constructor(private readonly maxPayload = MAX_PAYLOAD) {
    this.buf = new Uint8Array(frameWireLength(maxPayload, MAX_FEC));
  }

  private inFeed = false;

  push(chunk: Uint8Array): DecodeResult[] {
    const out: DecodeResult[] = [];
    this.inFeed = true;
    try { this.feed(chunk, out); } finally { this.inFeed = false; }
    return out;
  }

  /** True while a frame is partly received (a receiver's inter-byte timeout may then call dropPartial). */
  get midFrame(): boolean {
    return this.state !== St.Hunt;
  }

  /**
   * Gives up on a partly received frame (line idle too long, port reopened). Its bytes are
   * re-scanned, so a complete frame inside them is still delivered.
   */
  dropPartial(): DecodeResult[] {
    const out: DecodeResult[] = [];
    if (this.state !== St.Hunt) this.rescan(out);
    return out;
  }

  /** Forgets everything in progress without re-scanning. */
  reset(): void {
    if (this.state !== St.Hunt) this.stats.droppedBytes += this.len;
    this.state = St.Hunt;
    this.len = 0;
    this.win = 0;
    this.winLen = 0;
  }

  /** Bytes of a failed candidate waiting to be re-scanned before the rest of the input. */
  private rescanQueue: Uint8Array | null = null;

  private feed(chunk: Uint8Array, out: DecodeResult[]): void {
    // An explicit stack instead of recursion: nested failures cannot overflow the call stack.
    const stack: { data: Uint8Array; i: number }[] = [{ data: chunk, i: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.i >= top.data.length) { stack.pop(); continue; }
      const data = top.data;
      if (this.state === St.Hunt) {
        const b = data[top.i++]!;
        this.win = ((this.win << 8) | b) >>> 0;
        if (this.winLen < 4) this.winLen++;
        if (this.winLen === 4 && syncLike(this.win)) {
          this.buf[0] = this.win >>> 24;
          this.buf[1] = (this.win >>> 16) & 0xff;
          this.buf[2] = (this.win >>> 8) & 0xff;
          this.buf[3] = this.win & 0xff;
          this.len = 4;
          this.state = St.Header;
          this.need = PREFIX_BYTES;
          this.winLen = 0;
        } else if (this.winLen === 4) {
          this.stats.droppedBytes++;
        }
        continue;
      }
      const take = Math.min(this.need - this.len, data.length - top.i);
      this.buf.set(data.subarray(top.i, top.i + take), this.len);
      this.len += take;
      top.i += take;
      if (this.len < this.need) continue;
      if (this.state === St.Header) this.onHeader(out);
      else this.onBody(out);
      if (this.rescanQueue) {
        stack.push({ data: this.rescanQueue, i: 0 });
        this.rescanQueue = null;
      }
    }
  }

  private onHeader(out: DecodeResult[]): void {
    // Repair a copy: if this is no header after all, the original bytes are re-scanned.
    const b = this.buf.slice(0, PREFIX_BYTES);
    const r = rsDecodeInPlace(b, 4, PREFIX_BYTES, HEADER_PARITY);
    const length = b[8]! | (b[9]! << 8);
    const fec = b[10]!;
    if (!r.ok || b[4] !== LINK_VERSION || b[11] !== 0 || !validFec(fec)) {
      this.stats.falseSyncs++;
      this.rescan(out);
      return;
    }
    this.hdr = { type: b[5]!, seq: b[6]! | (b[7]! << 8), length, fec, corrected: r.corrected };
    if (length > this.maxPayload) {
      // A real header announcing more than we accept: report it (the sender learns via NAK) and hunt on.
      this.stats.errors['too-long']++;
      out.push({ ok: false, error: 'too-long', type: this.hdr.type, seq: this.hdr.seq, fec, bytes: PREFIX_BYTES });
      this.stats.droppedBytes += PREFIX_BYTES;
      this.state = St.Hunt;
      this.len = 0;
      return;
    }
    this.buf.set(b.subarray(4, PREFIX_BYTES), 4);
    this.state = St.Body;
    this.need = PREFIX_BYTES + bodyWireLength(length, fec);
  }

  private onBody(out: DecodeResult[]): void {
    const { type, seq, length, fec } = this.hdr;
    const b = this.buf;
    let corrected = this.hdr.corrected;
    let plain: Uint8Array;
    if (fec === 0) {
      plain = b.subarray(PREFIX_BYTES, this.need);
    } else {
      // De-interleave blocks in place: repair each, then pack the data parts together.
      const k = 255 - fec;
      plain = new Uint8Array(length + CRC_BYTES);
      let o = 0;
      for (let at = PREFIX_BYTES; at < this.need;) {
        const dataLen = Math.min(k, plain.length - o);
        const r = rsDecodeInPlace(b, at, at + dataLen + fec, fec);
        if (!r.ok) return this.bodyFailed(out, 'fec', type, seq, fec);
        corrected += r.corrected;
        plain.set(b.subarray(at, at + dataLen), o);
        o += dataLen;
        at += dataLen + fec;
      }
    }
    const want = plain[length]! | (plain[length + 1]! << 8) | (plain[length + 2]! << 16) | (plain[length + 3]! * 0x1000000);
    const got = crc32(plain.subarray(0, length), crc32(b.subarray(4, 4 + HEADER_BYTES)));
    if ((want >>> 0) !== got) return this.bodyFailed(out, 'crc', type, seq, fec);
    this.stats.frames++;
    this.stats.corrected += corrected;
    out.push({ ok: true, frame: { type, seq, fec, payload: plain.slice(0, length), corrected } });
    this.state = St.Hunt;
    this.len = 0;
  }

  private bodyFailed(out: DecodeResult[], error: FrameError, type: number, seq: number, fec: number): void {
    this.stats.errors[error]++;
    out.push({ ok: false, error, type, seq, fec, bytes: this.need });
    this.rescan(out);
  }

  /** Queues the bytes of a failed candidate for re-scanning, starting after its first sync byte. */
  private rescan(out: DecodeResult[]): void {
    const bytes = this.buf.slice(1, this.len);
    this.stats.droppedBytes += 1;
    this.state = St.Hunt;
    this.len = 0;
    this.win = 0;
    this.winLen = 0;
    if (this.inFeed) this.rescanQueue = bytes;
    else this.feed(bytes, out);
  }
}

/** Within one byte of the sync word: one corrupted sync byte does not lose the frame. */
function syncLike(w: number): boolean {
  let diff = 0;
  if ((w >>> 24) !== 0xa5) diff++;
  if (((w >>> 16) & 0xff) !== 0x5a) diff++;
  if (((w >>> 8) & 0xff) !== 0x3c) diff++;
  if ((w & 0xff) !== 0xc3) diff++;
  return diff <= 1;
}
