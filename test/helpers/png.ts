import { createCanvas, loadImage } from 'canvas';

export interface Rgba { width: number; height: number; data: Uint8ClampedArray }

export async function decodePng(png: Buffer): Promise<Rgba> {
  const img = await loadImage(png);
  const c = createCanvas(img.width, img.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const d = ctx.getImageData(0, 0, img.width, img.height);
  return { width: img.width, height: img.height, data: d.data };
}

/** Fraction of pixels that differ inside a region. */
export function diffFraction(a: Rgba, b: Rgba, r = { x: 0, y: 0, w: a.width, h: a.height }): number {
  let n = 0;
  for (let y = r.y; y < r.y + r.h; y++) {
    for (let x = r.x; x < r.x + r.w; x++) {
      const i = (y * a.width + x) * 4;
      if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2]) n++;
    }
  }
  return n / (r.w * r.h);
}
