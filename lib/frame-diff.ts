/**
 * Finds what changed between the frame the board shows and a new one, as a few rectangles.
 * The screen is cut into tiles (default 16×16); changed tiles are grown into row spans and then
 * merged vertically, so a changed text line becomes one rectangle rather than dozens.
 */
import type { Frame, Rect } from './frame.js';

export interface DiffOptions {
  /** Tile edge in pixels. Default 16. */
  tile?: number;
}

export function diffFrames(prev: Frame | null, next: Frame, opts: DiffOptions = {}): Rect[] {
  const { width, height } = next;
  if (!prev || prev.width !== width || prev.height !== height) return [{ x: 0, y: 0, w: width, h: height }];
  const tile = opts.tile ?? 16;
  const cols = Math.ceil(width / tile);
  const rows = Math.ceil(height / tile);
  const a = prev.pixels;
  const b = next.pixels;
  // Byte views for native row comparison (memcmp): most rows of a UI change are untouched.
  const ab = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const bb = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const rowBytes = width * 2;
  // 1. Which tiles differ.
  const dirty = new Uint8Array(cols * rows);
  for (let y = 0; y < height; y++) {
    const ty = Math.floor(y / tile);
    if (y % tile === 0) {
      // One native compare per tile row first: a clock tick leaves ~49 of 50 tile rows untouched.
      const end = Math.min(height, y + tile) * rowBytes;
      if (ab.compare(bb, y * rowBytes, end, y * rowBytes, end) === 0) { y = Math.min(height, y + tile) - 1; continue; }
    }
    const rowStart = y * width;
    const o = rowStart * 2;
    if (ab.compare(bb, o, o + rowBytes, o, o + rowBytes) === 0) continue;
    for (let tx = 0; tx < cols; tx++) {
      if (dirty[ty * cols + tx]) continue;
      const x0 = tx * tile;
      const x1 = Math.min(width, x0 + tile);
      for (let i = rowStart + x0, end = rowStart + x1; i < end; i++) {
        if (a[i] !== b[i]) { dirty[ty * cols + tx] = 1; break; }
      }
    }
  }
  // 2. Horizontal spans of dirty tiles per tile row; 3. merge identical spans in adjacent rows.
  const rects: Rect[] = [];
  let open: Rect[] = [];
  for (let ty = 0; ty < rows; ty++) {
    const spans: Array<[number, number]> = [];
    for (let tx = 0; tx < cols; tx++) {
      if (!dirty[ty * cols + tx]) continue;
      const s = tx;
      while (tx + 1 < cols && dirty[ty * cols + tx + 1]) tx++;
      spans.push([s, tx]);
    }
    const y = ty * tile;
    const h = Math.min(tile, height - y);
    const nextOpen: Rect[] = [];
    for (const [s, e] of spans) {
      const x = s * tile;
      const w = Math.min(width, (e + 1) * tile) - x;
      const cont = open.find((r) => r.x === x && r.w === w && r.y + r.h === y);
      if (cont) { cont.h += h; nextOpen.push(cont); }
      else { const r = { x, y, w, h }; rects.push(r); nextOpen.push(r); }
    }
    open = nextOpen;
  }
  return rects;
}
