/**
 * Frame → PNG, the one encoder for every picture the pole hands out: the `screen.snapshot`
 * command, the console's `led snapshot`, and the simulator's panel image (docs/architecture.md
 * §Shared helpers). PNG by node-canvas (libpng), so no second image library is needed.
 */
import { createCanvas } from 'canvas';
import { toRgba, type Frame } from '../lib/frame.js';

/** PNG of RGBA8888 pixels, row-major, `width × height × 4` bytes. */
export function rgbaPng(rgba: Uint8ClampedArray, width: number, height: number): Buffer {
  const c = createCanvas(width, height);
  const ctx = c.getContext('2d');
  const img = ctx.createImageData(width, height);
  img.data.set(rgba);
  ctx.putImageData(img, 0, 0);
  return c.toBuffer('image/png');
}

/** PNG of an RGB565 frame at its own size. */
export function framePng(frame: Frame): Buffer {
  return rgbaPng(toRgba(frame), frame.width, frame.height);
}
