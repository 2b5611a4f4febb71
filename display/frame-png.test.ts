import { describe, expect, it } from 'vitest';
import { createCanvas, loadImage } from 'canvas';
import { rgb565, toRgba, type Frame } from '../lib/frame.js';
import { framePng, rgbaPng } from './frame-png.js';

async function decode(png: Buffer): Promise<{ width: number; height: number; data: Uint8ClampedArray }> {
  const img = await loadImage(png);
  const ctx = createCanvas(img.width, img.height).getContext('2d');
  ctx.drawImage(img, 0, 0);
  return { width: img.width, height: img.height, data: ctx.getImageData(0, 0, img.width, img.height).data };
}

describe('frame → PNG', () => {
  it('encodes every pixel of an RGB565 frame exactly (as RGBA8888)', async () => {
    const w = 37;
    const h = 11;
    const pixels = new Uint16Array(w * h);
    for (let i = 0; i < pixels.length; i++) pixels[i] = rgb565((i * 7) & 0xff, (i * 13) & 0xff, (i * 29) & 0xff);
    const frame: Frame = { width: w, height: h, pixels };
    const png = framePng(frame);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const back = await decode(png);
    expect([back.width, back.height]).toEqual([w, h]);
    expect(Buffer.from(back.data)).toEqual(Buffer.from(toRgba(frame)));
  });

  it('encodes raw RGBA at the size given', async () => {
    const rgba = new Uint8ClampedArray(2 * 3 * 4).fill(255);
    rgba.set([10, 20, 30, 255], 0);
    const back = await decode(rgbaPng(rgba, 2, 3));
    expect([back.width, back.height]).toEqual([2, 3]);
    expect([...back.data.subarray(0, 4)]).toEqual([10, 20, 30, 255]);
  });
});
