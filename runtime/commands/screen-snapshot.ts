/**
 * `screen.snapshot` (docs/mqtt-api.md §Commands): a PNG of the board framebuffer as the runtime
 * believes it is shown (LedPresenter.shown — the last frame the board acknowledged presenting), in the
 * command response as base64. Size-limited: if the PNG does not fit the response limit it is downscaled
 * (box filter, factors 2, 3, 4, 6, 8) until it does; the result says which scale was used.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { toRgba, type Frame } from '../../lib/frame.js';
import { rgbaPng } from '../../display/frame-png.js';
import type { CommandRegistry } from './registry.js';
import { commandError } from './errors.js';

const SCALES = [1, 2, 3, 4, 6, 8];

/** Box-filter downscale of RGBA by an integer factor. */
export function downscaleRgba(rgba: Uint8ClampedArray, w: number, h: number, f: number): { data: Uint8ClampedArray; width: number; height: number } {
  if (f === 1) return { data: rgba, width: w, height: h };
  const W = Math.max(1, Math.floor(w / f));
  const H = Math.max(1, Math.floor(h / f));
  const out = new Uint8ClampedArray(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let r = 0, g = 0, b = 0;
      for (let dy = 0; dy < f; dy++) {
        for (let dx = 0; dx < f; dx++) {
          const i = ((y * f + dy) * w + (x * f + dx)) * 4;
          r += rgba[i]!; g += rgba[i + 1]!; b += rgba[i + 2]!;
        }
      }
      const n = f * f;
      const o = (y * W + x) * 4;
      out[o] = r / n; out[o + 1] = g / n; out[o + 2] = b / n; out[o + 3] = 255;
    }
  }
  return { data: out, width: W, height: H };
}

/** PNG of the frame shrunk by an integer factor. */
export function scaledFramePng(frame: Frame, scale: number): { png: Buffer; width: number; height: number } {
  const img = downscaleRgba(toRgba(frame), frame.width, frame.height, scale);
  return { png: rgbaPng(img.data, img.width, img.height), width: img.width, height: img.height };
}

export interface SnapshotDeps {
  /** The frame the board shows, null if unknown (just reset, link down); undefined: no LED board fitted. */
  shown: () => Frame | null | undefined;
  /** Largest PNG in bytes before base64 (the response limit minus headroom). */
  maxPngBytes: number;
}

export function registerSnapshotCommand(reg: CommandRegistry, d: SnapshotDeps): void {
  reg.register({
    name: 'screen.snapshot',
    description: 'PNG of what the LED board shows (base64 in the response), downscaled to fit the response limit',
    args: z.strictObject({
      scale: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(6), z.literal(8)]).default(1),
      maxBytes: z.number().int().min(1024).optional(),
    }),
    run: (a) => {
      const frame = d.shown();
      if (frame === undefined) throw commandError('SP_CMD_NOT_FITTED', {}, { message: 'no LED board is fitted on this pole' });
      if (frame === null) throw commandError('SP_CMD_UNAVAILABLE', {}, { message: 'the board contents are not known right now (link down or just reset)' });
      const limit = Math.min(a.maxBytes ?? d.maxPngBytes, d.maxPngBytes);
      for (const scale of SCALES.filter((s) => s >= a.scale)) {
        const { png, width, height } = scaledFramePng(frame, scale);
        if (png.length <= limit) {
          return { format: 'image/png', width, height, scale, bytes: png.length, sha256: createHash('sha256').update(png).digest('hex'), png: png.toString('base64') };
        }
      }
      throw commandError('SP_CMD_RESPONSE_TOO_LARGE', { limit }, { message: `the snapshot does not fit ${limit} bytes even at 1/8 scale` });
    },
  });
}
