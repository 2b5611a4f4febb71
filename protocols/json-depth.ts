/**
 * How deep JSON nests, measured on the bytes before `JSON.parse` (docs/security.md §Checks in
 * order): a hostile message of a million `[` must cost one linear scan, not a parser's or a
 * serializer's stack. Strings are skipped (with their escapes), so brackets inside text do not count.
 */
export const JSON_MAX_DEPTH = 64;

/** True when `bytes` (UTF-8 JSON) nests arrays/objects deeper than `max`. */
export function jsonTooDeep(bytes: Uint8Array, max = JSON_MAX_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (b === 0x5c) i++; // backslash: skip the escaped byte
      else if (b === 0x22) inString = false;
      continue;
    }
    if (b === 0x22) inString = true;
    else if (b === 0x5b || b === 0x7b) { if (++depth > max) return true; }
    else if (b === 0x5d || b === 0x7d) depth--;
  }
  return false;
}
