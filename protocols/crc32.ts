/**
 * CRC-32/ISO-HDLC (the zlib/Ethernet CRC): reflected polynomial 0xEDB88320, init 0xFFFFFFFF,
 * final XOR 0xFFFFFFFF, check value 0xCBF43926 for "123456789". The LED link uses it for frame
 * bodies and for the back-buffer check of PRESENT (docs/protocols/led-link.md §2, §4.4);
 * microcontrollers commonly have it in hardware. Node's native zlib.crc32 is used when present.
 */
import * as zlib from 'node:zlib';

const TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
    t[n] = c;
  }
  return t;
})();

const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** CRC-32 of `data`; pass a previous result as `prev` to continue over several buffers. */
export function crc32(data: Uint8Array, prev = 0): number {
  if (native) return native(data, prev) >>> 0;
  let c = ~prev;
  for (let i = 0; i < data.length; i++) c = (c >>> 8) ^ TABLE[(c ^ data[i]!) & 0xff]!;
  return ~c >>> 0;
}

/** The portable table implementation (tests compare it with the native one). */
export function crc32Table(data: Uint8Array, prev = 0): number {
  let c = ~prev;
  for (let i = 0; i < data.length; i++) c = (c >>> 8) ^ TABLE[(c ^ data[i]!) & 0xff]!;
  return ~c >>> 0;
}
