/** Shared by the LED link message codecs (docs/protocols/led-link.md §3: payloads are little-endian). */
/** A little-endian view of a payload. */
export function view(p: Uint8Array): DataView {
  return new DataView(p.buffer, p.byteOffset, p.byteLength);
}
