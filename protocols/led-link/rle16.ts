/**
 * RLE16: PackBits over 16-bit pixels (docs/protocols/led-link.md §4). A control byte c:
 * c < 0x80 → c+1 literal pixels follow; c ≥ 0x80 → the next pixel repeats (c & 0x7f)+2 times.
 * UI frames are mostly flat colour, so this is cheap to decode on a microcontroller and small.
 */
export function encodeRle16(px: Uint16Array): Uint8Array {
  const out = new Uint8Array(px.length * 2 + Math.ceil(px.length / 128) + 4);
  let o = 0;
  let i = 0;
  const n = px.length;
  while (i < n) {
    let run = 1;
    while (i + run < n && run < 129 && px[i + run] === px[i]) run++;
    if (run >= 2) {
      out[o++] = 0x80 | (run - 2);
      out[o++] = px[i]! & 0xff;
      out[o++] = px[i]! >> 8;
      i += run;
      continue;
    }
    // Literal: extend until a run of ≥2 starts or 128 pixels.
    let lit = 1;
    while (i + lit < n && lit < 128 && !(i + lit + 1 < n && px[i + lit] === px[i + lit + 1])) lit++;
    out[o++] = lit - 1;
    for (let k = 0; k < lit; k++) {
      out[o++] = px[i + k]! & 0xff;
      out[o++] = px[i + k]! >> 8;
    }
    i += lit;
  }
  return out.slice(0, o);
}

/** Decodes into `dst` (expected pixel count = dst.length). Returns false on malformed input. */
export function decodeRle16(src: Uint8Array, dst: Uint16Array): boolean {
  let i = 0;
  let o = 0;
  while (i < src.length) {
    const c = src[i++]!;
    if (c >= 0x80) {
      const run = (c & 0x7f) + 2;
      if (i + 2 > src.length || o + run > dst.length) return false;
      const v = src[i]! | (src[i + 1]! << 8);
      i += 2;
      dst.fill(v, o, o + run);
      o += run;
    } else {
      const lit = c + 1;
      if (i + lit * 2 > src.length || o + lit > dst.length) return false;
      for (let k = 0; k < lit; k++, i += 2) dst[o++] = src[i]! | (src[i + 1]! << 8);
    }
  }
  return o === dst.length;
}
