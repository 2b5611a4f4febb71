/**
 * Onbon BX-5/6 byte stuffing (docs/protocols/onbon.md §2): the frame markers A5 (start) and 5A
 * (end) never appear inside a frame. Each of the four special bytes becomes a pair:
 * A5 → A6 02, A6 → A6 01, 5A → 5B 02, 5B → 5B 01. The CRC and every length field are computed
 * over the bytes before escaping.
 */
export const FRAME_START = 0xa5;
export const FRAME_END = 0x5a;
/** The vendor sends eight start bytes so that a lost one still leaves a start; any one suffices. */
export const START_RUN = 8;
const ESC_A = 0xa6;
const ESC_B = 0x5b;

/** Bytes `data` takes on the wire once escaped. */
export function escapedLength(data: Uint8Array): number {
  let n = data.length;
  for (const b of data) if (b === 0xa5 || b === 0xa6 || b === 0x5a || b === 0x5b) n++;
  return n;
}

export function escapeInto(data: Uint8Array, out: Uint8Array, at: number): number {
  let o = at;
  for (const b of data) {
    if (b === 0xa5 || b === 0xa6) { out[o++] = ESC_A; out[o++] = b === 0xa5 ? 2 : 1; }
    else if (b === 0x5a || b === 0x5b) { out[o++] = ESC_B; out[o++] = b === 0x5a ? 2 : 1; }
    else out[o++] = b;
  }
  return o;
}

export function escape(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(escapedLength(data));
  escapeInto(data, out, 0);
  return out;
}

/** The original bytes, or null when an escape byte is followed by anything but 01/02 (or nothing). */
export function unescape(data: Uint8Array): Uint8Array | null {
  const out = new Uint8Array(data.length);
  let o = 0;
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (b !== ESC_A && b !== ESC_B) { out[o++] = b; continue; }
    const n = data[++i];
    if (n === 1) out[o++] = b;
    else if (n === 2) out[o++] = b === ESC_A ? 0xa5 : 0x5a;
    else return null;
  }
  return out.slice(0, o);
}
