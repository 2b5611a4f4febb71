/**
 * eGalax/EETI serial touch packets, decoded exactly as Linux `drivers/input/touchscreen/
 * egalax_ts_serial.c` reads them (docs/background.md §Touch):
 *
 *   byte 0: bit 7 = start (always 1), bit 6 = pressure (packet is 6 bytes, else 5),
 *           bits 2:1 = resolution, bit 0 = touching
 *   bytes 1–4: X hi, X lo, Y hi, Y lo (7 bits each); byte 5 (only with bit 6): pressure
 *
 *   shift = 3 − res;  mask = 0xff >> (shift + 1)
 *   x = (((b1 & mask) << 7) | (b2 & 0x7f)) << shift       (u16; the driver's range is 0..0x4000)
 *
 * Framing follows the driver's interrupt handler byte for byte: a byte is stored at the current
 * index; if the stored byte 0 lacks the start bit the index resets (the byte is dropped as
 * "unsynchronized"); otherwise the packet completes at 5 or 6 bytes. The driver does not check the
 * start bit of bytes 1–5, so neither do we: a device that sends a start byte mid-packet loses that
 * packet in the kernel too, and resynchronises on a later boundary. The kernel ignores the
 * pressure byte; we pass it through as `pressure` for diagnostics only.
 *
 * Pure: no I/O, no timers. The buffer is bounded by the packet length (6 bytes).
 */

export const EGALAX_START_BIT = 0x80;
export const EGALAX_PRESSURE_BIT = 0x40;
export const EGALAX_TOUCH_BIT = 0x01;
export const EGALAX_RESOLUTION_MASK = 0x06;
/** The driver's declared axis range (ABS_X/ABS_Y max). */
export const EGALAX_MAX = 0x4000;

/** Resolution field (bits 2:1): 0 → 11-bit, 1 → 12-bit, 2 → 13-bit, 3 → 14-bit coordinates. */
export type EgalaxResolution = 0 | 1 | 2 | 3;

export interface EgalaxPacket {
  /** BTN_TOUCH: finger on the panel. A packet with this clear reports the release. */
  touching: boolean;
  /** Raw coordinates in the driver's 0..0x3FFF space (already shifted to 14 bits). */
  x: number;
  y: number;
  resolution: EgalaxResolution;
  /** 7-bit pressure from the 6th byte, when the pressure bit is set; the kernel discards it. */
  pressure?: number;
}

/** egalax_process_data(): decodes one complete 5- or 6-byte packet. */
export function decodeEgalaxPacket(data: ArrayLike<number>): EgalaxPacket {
  const b0 = data[0]!;
  const res = ((b0 & EGALAX_RESOLUTION_MASK) >> 1) as EgalaxResolution;
  const shift = 3 - res;
  const mask = 0xff >> (shift + 1);
  // u16 arithmetic as in C; the masked values cannot exceed 14 bits, so no wrap occurs.
  const x = ((((data[1]! & mask) << 7) | (data[2]! & 0x7f)) << shift) & 0xffff;
  const y = ((((data[3]! & mask) << 7) | (data[4]! & 0x7f)) << shift) & 0xffff;
  const p: EgalaxPacket = { touching: (b0 & EGALAX_TOUCH_BIT) !== 0, x, y, resolution: res };
  if (b0 & EGALAX_PRESSURE_BIT) p.pressure = data[5]! & 0x7f;
  return p;
}

export interface EgalaxEncodeInput {
  touching: boolean;
  /** Raw coordinate 0..0x3FFF; low bits below the resolution are dropped, as the device would. */
  x: number;
  y: number;
  resolution?: EgalaxResolution;
  /** 0..127; when given, a 6-byte packet with the pressure bit is produced. */
  pressure?: number;
}

/** The device side (for the simulator and tests): the bytes a controller sends for a sample. */
export function encodeEgalaxPacket(p: EgalaxEncodeInput): Uint8Array {
  const res = p.resolution ?? 3;
  const shift = 3 - res;
  const clamp = (v: number) => Math.max(0, Math.min(EGALAX_MAX - 1, Math.round(v))) >> shift;
  const x = clamp(p.x);
  const y = clamp(p.y);
  const withPressure = p.pressure !== undefined;
  const out = new Uint8Array(withPressure ? 6 : 5);
  out[0] = EGALAX_START_BIT | (withPressure ? EGALAX_PRESSURE_BIT : 0) | (res << 1) | (p.touching ? EGALAX_TOUCH_BIT : 0);
  out[1] = (x >> 7) & 0x7f;
  out[2] = x & 0x7f;
  out[3] = (y >> 7) & 0x7f;
  out[4] = y & 0x7f;
  if (withPressure) out[5] = Math.max(0, Math.min(127, Math.round(p.pressure!)));
  return out;
}

export interface EgalaxDecoderStats {
  packets: number;
  /** Bytes dropped because they arrived at index 0 without the start bit (the driver's dev_dbg). */
  unsynchronizedBytes: number;
}

/** egalax_interrupt(): a byte-at-a-time framer with the driver's exact resynchronisation. */
export class EgalaxDecoder {
  readonly stats: EgalaxDecoderStats = { packets: 0, unsynchronizedBytes: 0 };
  private readonly data = new Uint8Array(6);
  private idx = 0;

  /** Feeds a chunk (any split); returns the packets it completed, in order. */
  push(chunk: ArrayLike<number>): EgalaxPacket[] {
    const out: EgalaxPacket[] = [];
    for (let i = 0; i < chunk.length; i++) {
      this.data[this.idx++] = chunk[i]!;
      if (this.data[0]! & EGALAX_START_BIT) {
        const len = this.data[0]! & EGALAX_PRESSURE_BIT ? 6 : 5;
        if (this.idx === len) {
          out.push(decodeEgalaxPacket(this.data));
          this.stats.packets++;
          this.idx = 0;
        }
      } else {
        this.stats.unsynchronizedBytes++;
        this.idx = 0;
      }
    }
    return out;
  }

  /** Forgets a partial packet (the serial device closed). */
  reset(): void {
    this.idx = 0;
  }

  /** Bytes held of an incomplete packet (0..5). */
  get pending(): number {
    return this.idx;
  }
}
