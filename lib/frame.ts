/** A rendered screen image in the panel's native RGB565 (little-endian 16-bit words, row-major). */
export interface Frame {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint16Array;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function rgb565(r: number, g: number, b: number): number {
  return ((r & 0xf8) << 8) | ((g & 0xfc) << 3) | (b >> 3);
}

/** Expands RGB565 to RGBA8888 (for PNG encoding and comparisons). */
export function toRgba(frame: Frame): Uint8ClampedArray {
  const out = new Uint8ClampedArray(frame.width * frame.height * 4);
  const px = frame.pixels;
  for (let i = 0, o = 0; i < px.length; i++, o += 4) {
    const v = px[i]!;
    const r = (v >> 11) & 0x1f, g = (v >> 5) & 0x3f, b = v & 0x1f;
    out[o] = (r << 3) | (r >> 2);
    out[o + 1] = (g << 2) | (g >> 4);
    out[o + 2] = (b << 3) | (b >> 2);
    out[o + 3] = 255;
  }
  return out;
}

export function copyRect(src: Frame, r: Rect): Uint16Array {
  const out = new Uint16Array(r.w * r.h);
  for (let row = 0; row < r.h; row++) {
    const start = (r.y + row) * src.width + r.x;
    out.set(src.pixels.subarray(start, start + r.w), row * r.w);
  }
  return out;
}
