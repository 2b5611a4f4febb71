/**
 * Modbus RTU framing (modbus.org "Modbus over serial line" v1.02 §2.5): ADU = unit address, PDU,
 * CRC-16/MODBUS (low byte first); frames are separated by ≥ 3.5 character times of silence.
 *
 * On a PTY (and in any userspace reader) silence is invisible, so the decoder delimits frames by
 * their expected length, which every function code we speak determines from its first bytes;
 * the I/O layer calls `gap()` when it has measured a silence, which discards an incomplete frame.
 * One decoder per direction: a master decodes responses, a slave decodes requests.
 * Pure: no I/O, no timers. Buffer bounded to the 256-byte maximum ADU; drops are counted.
 */
import { crc16Modbus } from '../crc16.js';

/** §2.5.1.1: the largest RTU ADU. */
export const MAX_ADU = 256;

export function encodeAdu(unit: number, pdu: Uint8Array): Uint8Array {
  if (!Number.isInteger(unit) || unit < 0 || unit > 247) throw new RangeError(`Modbus unit ${unit} out of range 0–247`);
  if (pdu.length + 3 > MAX_ADU) throw new RangeError(`Modbus PDU of ${pdu.length} bytes exceeds the ADU limit`);
  const out = new Uint8Array(pdu.length + 3);
  out[0] = unit;
  out.set(pdu, 1);
  const crc = crc16Modbus(out, 0, out.length - 2);
  out[out.length - 2] = crc & 0xff;
  out[out.length - 1] = crc >>> 8;
  return out;
}

export function aduCrcOk(adu: Uint8Array): boolean {
  if (adu.length < 4) return false;
  const crc = crc16Modbus(adu, 0, adu.length - 2);
  return adu[adu.length - 2] === (crc & 0xff) && adu[adu.length - 1] === crc >>> 8;
}

/**
 * Length of the response ADU that starts with `b`, or `undefined` while more bytes are needed,
 * or `null` if the function code is one whose length we cannot know (left to the silence gap).
 */
export function responseLength(b: Uint8Array): number | undefined | null {
  if (b.length < 2) return undefined;
  const fc = b[1]!;
  if (fc & 0x80) return 5;
  if (fc >= 1 && fc <= 4) return b.length < 3 ? undefined : 5 + b[2]!;
  if (fc === 5 || fc === 6 || fc === 15 || fc === 16) return 8;
  return null;
}

/** Length of the request ADU that starts with `b` (see responseLength). */
export function requestLength(b: Uint8Array): number | undefined | null {
  if (b.length < 2) return undefined;
  const fc = b[1]!;
  if (fc >= 1 && fc <= 6) return 8;
  if (fc === 15 || fc === 16) return b.length < 7 ? undefined : 9 + b[6]!;
  // Serial-line-only functions without data: 07 read exception status, 11/12 comm event, 17 report server id.
  if (fc === 7 || fc === 11 || fc === 12 || fc === 17) return 4;
  return null;
}

export type RtuEvent =
  | { type: 'frame'; unit: number; pdu: Uint8Array; adu: Uint8Array }
  /** A frame of the right length whose CRC fails: line noise, a collision, a bad device. */
  | { type: 'crc'; adu: Uint8Array }
  /** Bytes given up on: garbage before a frame, an incomplete frame cut by a gap, overflow. */
  | { type: 'dropped'; bytes: number; reason: 'resync' | 'gap' | 'overflow' | 'unknown-function' };

export interface RtuDecoderStats {
  frames: number;
  crcErrors: number;
  droppedBytes: number;
}

export type RtuRole = 'master' | 'slave';

/**
 * Splits a byte stream into RTU frames. A master's decoder, after a CRC failure, drops what it
 * holds (the master retries after a silence); a slave's slides one byte and looks again, so a
 * slave listening to a noisy bus resynchronises on the next good request (§2.5.1.1).
 */
export class RtuDecoder {
  readonly stats: RtuDecoderStats = { frames: 0, crcErrors: 0, droppedBytes: 0 };
  private buf = new Uint8Array(MAX_ADU);
  private len = 0;
  private readonly lengthOf: (b: Uint8Array) => number | undefined | null;

  constructor(readonly role: RtuRole) {
    this.lengthOf = role === 'master' ? responseLength : requestLength;
  }

  /** Bytes held while waiting for the rest of a frame. */
  get pending(): number {
    return this.len;
  }

  push(chunk: Uint8Array): RtuEvent[] {
    const out: RtuEvent[] = [];
    for (let i = 0; i < chunk.length; i++) {
      if (this.len === MAX_ADU) out.push(this.drop(this.len, 'overflow'));
      this.buf[this.len++] = chunk[i]!;
      this.scan(out);
    }
    return out;
  }

  /** The I/O layer saw ≥ 3.5 character times of silence: whatever is held is not a frame. */
  gap(): RtuEvent[] {
    if (this.len === 0) return [];
    const held = this.buf.slice(0, this.len);
    // A frame of a function we cannot size ends at the silence: take it if its CRC holds.
    if (this.len >= 4 && this.lengthOf(held) === null && aduCrcOk(held)) {
      this.len = 0;
      this.stats.frames++;
      return [{ type: 'frame', unit: held[0]!, pdu: held.slice(1, -2), adu: held }];
    }
    return [this.drop(this.len, 'gap')];
  }

  reset(): void {
    this.len = 0;
  }

  private scan(out: RtuEvent[]): void {
    while (this.len > 0) {
      const view = this.buf.subarray(0, this.len);
      const need = this.lengthOf(view);
      if (need === undefined || (need !== null && this.len < need)) return;
      if (need === null) {
        // Unknown function code: a master cannot size it and must not guess; a slave waits for the gap.
        if (this.role === 'master') { out.push(this.drop(this.len, 'unknown-function')); return; }
        return;
      }
      const adu = this.buf.slice(0, need);
      if (aduCrcOk(adu)) {
        this.consume(need);
        this.stats.frames++;
        out.push({ type: 'frame', unit: adu[0]!, pdu: adu.slice(1, -2), adu });
        continue;
      }
      this.stats.crcErrors++;
      out.push({ type: 'crc', adu });
      if (this.role === 'master') { this.consume(this.len); return; }
      this.consume(1);
      this.stats.droppedBytes += 1;
    }
  }

  private consume(n: number): void {
    this.buf.copyWithin(0, n, this.len);
    this.len -= n;
  }

  private drop(n: number, reason: 'resync' | 'gap' | 'overflow' | 'unknown-function'): RtuEvent {
    this.consume(n);
    this.stats.droppedBytes += n;
    return { type: 'dropped', bytes: n, reason };
  }
}
