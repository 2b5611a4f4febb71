/**
 * Changed rectangles between two RGB565 pictures, and the binary message the web viewer's live
 * screen receives (changed rectangles, not whole PNGs; docs/simulator.md §Web viewer).
 *
 * Message (little-endian): u8 kind = 1, u8 flags (bit 0: full picture), u16 rect count,
 * u32 frame id, then per rect u16 x, y, w, h and w·h RGB565 pixels row by row.
 * Every offset stays even, so the browser reads pixels with a Uint16Array view without copying.
 */
export interface Rect { x: number; y: number; w: number; h: number }

export const SCREEN_UPDATE = 1;
export const FLAG_FULL = 1;
const HEADER = 8;
const RECT_HEADER = 8;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Tiles of `tile`×`tile` pixels that differ, merged into runs along each tile row and then into
 * taller rectangles where runs line up. More than `fullAbove` of the screen dirty → one full rect.
 */
export function diffRects(prev: Uint16Array, next: Uint16Array, width: number, height: number, tile = 16, fullAbove = 0.6): Rect[] {
  const cols = Math.ceil(width / tile);
  const rows = Math.ceil(height / tile);
  const rects: Rect[] = [];
  let open: Rect[] = []; // rects ending at the previous tile row, by x
  let dirtyTiles = 0;
  for (let ty = 0; ty < rows; ty++) {
    const y0 = ty * tile;
    const h = Math.min(tile, height - y0);
    const runs: Rect[] = [];
    let run: Rect | null = null;
    for (let tx = 0; tx < cols; tx++) {
      const x0 = tx * tile;
      const w = Math.min(tile, width - x0);
      let dirty = false;
      for (let y = y0; y < y0 + h && !dirty; y++) {
        const base = y * width + x0;
        for (let i = base; i < base + w; i++) if (prev[i] !== next[i]) { dirty = true; break; }
      }
      if (dirty) {
        dirtyTiles++;
        if (run) run.w += w;
        else run = { x: x0, y: y0, w, h };
      } else if (run) { runs.push(run); run = null; }
    }
    if (run) runs.push(run);
    const nextOpen: Rect[] = [];
    for (const r of runs) {
      const above = open.find((o) => o.x === r.x && o.w === r.w && o.y + o.h === r.y);
      if (above) { above.h += r.h; nextOpen.push(above); } else { rects.push(r); nextOpen.push(r); }
    }
    open = nextOpen;
  }
  if (dirtyTiles > fullAbove * cols * rows) return [{ x: 0, y: 0, w: width, h: height }];
  return rects;
}

export function encodeScreenUpdate(frameId: number, rects: readonly Rect[], picture: Uint16Array, width: number, full: boolean): Buffer {
  let size = HEADER;
  for (const r of rects) size += RECT_HEADER + r.w * r.h * 2;
  const buf = Buffer.alloc(size);
  buf.writeUInt8(SCREEN_UPDATE, 0);
  buf.writeUInt8(full ? FLAG_FULL : 0, 1);
  buf.writeUInt16LE(rects.length, 2);
  buf.writeUInt32LE(frameId >>> 0, 4);
  let o = HEADER;
  for (const r of rects) {
    buf.writeUInt16LE(r.x, o); buf.writeUInt16LE(r.y, o + 2); buf.writeUInt16LE(r.w, o + 4); buf.writeUInt16LE(r.h, o + 6);
    o += RECT_HEADER;
    for (let y = r.y; y < r.y + r.h; y++) {
      const row = picture.subarray(y * width + r.x, y * width + r.x + r.w);
      if (LITTLE_ENDIAN_HOST) { buf.set(new Uint8Array(row.buffer, row.byteOffset, row.byteLength), o); o += row.byteLength; }
      else for (let i = 0; i < row.length; i++, o += 2) buf.writeUInt16LE(row[i]!, o);
    }
  }
  return buf;
}

/** The receiving side (what simulator/web/screen.js does), for tests: applies an update in place. */
export function applyScreenUpdate(msg: Buffer, picture: Uint16Array, width: number): { frameId: number; rects: Rect[]; full: boolean } {
  if (msg.readUInt8(0) !== SCREEN_UPDATE) throw new Error('not a screen update');
  const full = (msg.readUInt8(1) & FLAG_FULL) !== 0;
  const n = msg.readUInt16LE(2);
  const frameId = msg.readUInt32LE(4);
  const rects: Rect[] = [];
  let o = HEADER;
  for (let k = 0; k < n; k++) {
    const r = { x: msg.readUInt16LE(o), y: msg.readUInt16LE(o + 2), w: msg.readUInt16LE(o + 4), h: msg.readUInt16LE(o + 6) };
    o += RECT_HEADER;
    for (let y = r.y; y < r.y + r.h; y++) for (let x = r.x; x < r.x + r.w; x++, o += 2) picture[y * width + x] = msg.readUInt16LE(o);
    rects.push(r);
  }
  return { frameId, rects, full };
}
