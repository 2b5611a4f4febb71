/**
 * LED link framing (docs/protocols/led-link.md §2): `A5 | escaped(body) | 5A`, where
 * body = version u8 | type u8 | seq u16 LE | length u16 LE | payload | CRC-16/MODBUS u16 LE.
 * Escaping follows Onbon BX (reference/devices.md §2): A5→A6 02, A6→A6 01, 5A→5B 02, 5B→5B 01,
 * so SOF/EOF never appear inside a frame and a receiver resynchronises on the next A5.
 */
import { crc16Modbus } from '../crc16.js';

export const SOF = 0xa5;
export const EOF = 0x5a;
const ESC_A = 0xa6;
const ESC_B = 0x5b;
export const LINK_VERSION = 1;
export const HEADER_BYTES = 6;
export const CRC_BYTES = 2;
/** Largest payload any frame may carry; the board's HELLO reply may announce less. */
export const MAX_PAYLOAD = 16384;

export interface RawFrame {
  readonly version: number;
  readonly type: number;
  readonly seq: number;
  readonly payload: Uint8Array;
}

export function encodeFrame(type: number, seq: number, payload: Uint8Array, version = LINK_VERSION): Buffer {
  if (payload.length > MAX_PAYLOAD) throw new RangeError(`payload ${payload.length} > ${MAX_PAYLOAD}`);
  const body = Buffer.allocUnsafe(HEADER_BYTES + payload.length + CRC_BYTES);
  body[0] = version;
  body[1] = type;
  body.writeUInt16LE(seq & 0xffff, 2);
  body.writeUInt16LE(payload.length, 4);
  body.set(payload, HEADER_BYTES);
  body.writeUInt16LE(crc16Modbus(body, 0, HEADER_BYTES + payload.length), HEADER_BYTES + payload.length);
  return escapeFrame(body);
}

/** Wraps an unescaped body in SOF/EOF with escaping. */
export function escapeFrame(body: Uint8Array): Buffer {
  let extra = 0;
  for (const b of body) if (b === SOF || b === ESC_A || b === EOF || b === ESC_B) extra++;
  const out = Buffer.allocUnsafe(body.length + extra + 2);
  let o = 0;
  out[o++] = SOF;
  for (const b of body) {
    if (b === SOF) { out[o++] = ESC_A; out[o++] = 0x02; }
    else if (b === ESC_A) { out[o++] = ESC_A; out[o++] = 0x01; }
    else if (b === EOF) { out[o++] = ESC_B; out[o++] = 0x02; }
    else if (b === ESC_B) { out[o++] = ESC_B; out[o++] = 0x01; }
    else out[o++] = b;
  }
  out[o++] = EOF;
  return out;
}

export type FrameError = 'crc' | 'escape' | 'length' | 'too-long' | 'truncated' | 'version';

export type DecodeResult = { ok: true; frame: RawFrame } | { ok: false; error: FrameError; bytes: number };

export interface FrameDecoderStats {
  frames: number;
  errors: Record<FrameError, number>;
  /** Bytes discarded: outside frames (noise) or inside frames that failed. */
  droppedBytes: number;
}

/**
 * Incremental, allocation-light deframer. Feed it any chunking; it returns complete frames and
 * framing errors in order. Its buffer is bounded by the largest legal frame.
 */
export class FrameDecoder {
  readonly stats: FrameDecoderStats = {
    frames: 0,
    errors: { crc: 0, escape: 0, length: 0, 'too-long': 0, truncated: 0, version: 0 },
    droppedBytes: 0,
  };
  private readonly buf: Uint8Array;
  private len = 0;
  private inFrame = false;
  private pendingEscape = 0; // 0 none, else the escape lead byte seen
  private badEscape = false;
  private raw = 0; // wire bytes of the frame in progress

  constructor(private readonly maxPayload = MAX_PAYLOAD) {
    this.buf = new Uint8Array(HEADER_BYTES + maxPayload + CRC_BYTES);
  }

  push(chunk: Uint8Array): DecodeResult[] {
    const out: DecodeResult[] = [];
    for (const b of chunk) {
      if (b === SOF) {
        // A SOF inside a frame means the previous one was cut short: report and restart.
        if (this.inFrame) out.push(this.fail('truncated'));
        this.start();
        continue;
      }
      if (!this.inFrame) { this.stats.droppedBytes++; continue; }
      this.raw++;
      if (b === EOF) {
        out.push(this.finish());
        continue;
      }
      if (this.pendingEscape) {
        const lead = this.pendingEscape;
        this.pendingEscape = 0;
        let v: number;
        if (lead === ESC_A && b === 0x02) v = SOF;
        else if (lead === ESC_A && b === 0x01) v = ESC_A;
        else if (lead === ESC_B && b === 0x02) v = EOF;
        else if (lead === ESC_B && b === 0x01) v = ESC_B;
        else { this.badEscape = true; continue; }
        this.append(v);
        continue;
      }
      if (b === ESC_A || b === ESC_B) { this.pendingEscape = b; continue; }
      this.append(b);
    }
    return out;
  }

  /** Discards a partial frame (e.g. after the port was reopened). */
  reset(): void {
    if (this.inFrame) this.stats.droppedBytes += this.raw + 1;
    this.inFrame = false;
    this.len = 0;
  }

  private start(): void {
    this.inFrame = true;
    this.len = 0;
    this.raw = 0;
    this.pendingEscape = 0;
    this.badEscape = false;
  }

  private append(v: number): void {
    // Past the largest legal frame: stop storing, remember the overflow, report at EOF/SOF.
    if (this.len >= this.buf.length) { this.len = this.buf.length + 1; return; }
    this.buf[this.len++] = v;
  }

  private fail(error: FrameError): DecodeResult {
    this.stats.errors[error]++;
    const bytes = this.raw + 1;
    this.stats.droppedBytes += bytes;
    this.inFrame = false;
    this.len = 0;
    return { ok: false, error, bytes };
  }

  private finish(): DecodeResult {
    if (this.len > this.buf.length) return this.fail('too-long');
    if (this.badEscape || this.pendingEscape) return this.fail('escape');
    if (this.len < HEADER_BYTES + CRC_BYTES) return this.fail('length');
    const view = this.buf;
    const payloadLen = view[4]! | (view[5]! << 8);
    if (payloadLen !== this.len - HEADER_BYTES - CRC_BYTES) return this.fail('length');
    const crcAt = HEADER_BYTES + payloadLen;
    const want = view[crcAt]! | (view[crcAt + 1]! << 8);
    if (crc16Modbus(view, 0, crcAt) !== want) return this.fail('crc');
    if (view[0] !== LINK_VERSION) return this.fail('version');
    this.inFrame = false;
    this.stats.frames++;
    const frame: RawFrame = {
      version: view[0]!,
      type: view[1]!,
      seq: view[2]! | (view[3]! << 8),
      payload: view.slice(HEADER_BYTES, crcAt),
    };
    this.len = 0;
    return { ok: true, frame };
  }
}
