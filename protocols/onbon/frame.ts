/**
 * Onbon BX-5/6 framing (docs/protocols/onbon.md §2):
 *
 *   A5 ×8 | escape( header(16) ‖ data(N) ‖ CRC-16/ARC u16 LE over header ‖ data ) | 5A
 *
 * `OnbonFrameDecoder` is the receiving half, written like a node-serialport parser: feed it any
 * chunking, it returns whole frames and failures in order. Any A5 starts a frame (the vendor's
 * rule: one surviving start byte is enough); an A5 inside a frame means the previous one was cut
 * short; a frame ends at the first 5A.
 */
import { crc16Arc } from '../crc16.js';
import { escapedLength, escapeInto, unescape, FRAME_END, FRAME_START, START_RUN } from './escape.js';
import { HEADER_BYTES, readHeader, writeHeader, type OnbonHeader } from './header.js';

export const CRC_BYTES = 2;
/** Largest data field we send or accept: one 300 KiB area (the 5E's per-area limit) and its parameters. */
export const MAX_DATA = 320 * 1024;

export interface OnbonFrame {
  readonly header: OnbonHeader;
  readonly data: Uint8Array;
}

/** The unescaped packet (header ‖ data ‖ CRC), what the CRC and lengths refer to. */
export function packet(header: Omit<OnbonHeader, 'dataLen'>, data: Uint8Array): Uint8Array {
  const p = new Uint8Array(HEADER_BYTES + data.length + CRC_BYTES);
  writeHeader({ ...header, dataLen: data.length }, p, 0);
  p.set(data, HEADER_BYTES);
  const crc = crc16Arc(p, 0, HEADER_BYTES + data.length);
  p[p.length - 2] = crc & 0xff;
  p[p.length - 1] = crc >>> 8;
  return p;
}

export function encodeFrame(header: Omit<OnbonHeader, 'dataLen'>, data: Uint8Array): Buffer {
  if (data.length > MAX_DATA) throw new RangeError(`Onbon data field ${data.length} > ${MAX_DATA} bytes`);
  const p = packet(header, data);
  const out = Buffer.alloc(START_RUN + escapedLength(p) + 1, FRAME_START);
  const end = escapeInto(p, out, START_RUN);
  out[end] = FRAME_END;
  return out;
}

export type OnbonFrameError = 'crc' | 'escape' | 'short' | 'length' | 'cut' | 'too-long';

export type OnbonDecodeResult =
  | { ok: true; frame: OnbonFrame }
  | { ok: false; error: OnbonFrameError; bytes: number };

export interface OnbonDecoderOptions {
  /** Longest escaped frame body accepted before the decoder gives up on it and hunts again. */
  maxFrameBytes?: number;
}

enum Hunt { Idle, Start, Body }

export class OnbonFrameDecoder {
  private state = Hunt.Idle;
  private buf: Uint8Array;
  private len = 0;
  private readonly max: number;

  constructor(o: OnbonDecoderOptions = {}) {
    this.max = o.maxFrameBytes ?? 2 * (MAX_DATA + HEADER_BYTES + CRC_BYTES);
    this.buf = new Uint8Array(1024);
  }

  /** Whether a frame has started and not yet ended (a receiver uses it to time out a cut frame). */
  get inFrame(): boolean {
    return this.state !== Hunt.Idle;
  }

  push(chunk: Uint8Array): OnbonDecodeResult[] {
    const out: OnbonDecodeResult[] = [];
    for (const b of chunk) {
      if (b === FRAME_START) {
        if (this.state === Hunt.Body) out.push({ ok: false, error: 'cut', bytes: this.len });
        this.state = Hunt.Start;
        this.len = 0;
        continue;
      }
      if (this.state === Hunt.Idle) continue;
      if (b === FRAME_END) {
        out.push(this.finish());
        this.state = Hunt.Idle;
        this.len = 0;
        continue;
      }
      this.state = Hunt.Body;
      if (this.len >= this.max) {
        out.push({ ok: false, error: 'too-long', bytes: this.len });
        this.state = Hunt.Idle;
        this.len = 0;
        continue;
      }
      if (this.len === this.buf.length) {
        const bigger = new Uint8Array(Math.min(this.max, this.buf.length * 2));
        bigger.set(this.buf);
        this.buf = bigger;
      }
      this.buf[this.len++] = b;
    }
    return out;
  }

  /** Drops a partial frame (the receiver's inter-byte timeout). */
  reset(): void {
    this.state = Hunt.Idle;
    this.len = 0;
  }

  private finish(): OnbonDecodeResult {
    const bytes = this.len;
    const p = unescape(this.buf.subarray(0, this.len));
    if (!p) return { ok: false, error: 'escape', bytes };
    if (p.length < HEADER_BYTES + CRC_BYTES) return { ok: false, error: 'short', bytes };
    const crc = p[p.length - 2]! | (p[p.length - 1]! << 8);
    if (crc16Arc(p, 0, p.length - CRC_BYTES) !== crc) return { ok: false, error: 'crc', bytes };
    const header = readHeader(p);
    if (header.dataLen !== p.length - HEADER_BYTES - CRC_BYTES) return { ok: false, error: 'length', bytes };
    return { ok: true, frame: { header, data: p.slice(HEADER_BYTES, p.length - CRC_BYTES) } };
  }
}
