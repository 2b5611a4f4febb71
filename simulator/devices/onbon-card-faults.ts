/**
 * The simulated Onbon card's faults as /api/faults exposes them (docs/simulator.md §Onbon sign),
 * and its picture for the viewer: each LED a round dot in its real colour (red, green, or both
 * lit = amber) on a dark face, at the card's brightness level.
 */
import { createCanvas } from 'canvas';
import type { SignBitmap } from '../../protocols/onbon/bitmap.js';
import { ONBON_ERRORS } from '../../protocols/onbon/messages.js';
import type { SerialPair } from '../serial/serial-pair.js';
import { cableFaults, faultNumber as num, type FaultSpec } from './sim-device.js';
import type { SimOnbonCard } from './onbon-card.js';

export function onbonCardFaults(card: SimOnbonCard, pair: SerialPair): Record<string, FaultSpec> {
  return {
    ...cableFaults(pair),
    reset: { describe: 'power-cycle the card: its RAM areas are lost and it is deaf while it boots', run: () => card.reset() },
    silent: { describe: 'the card hangs: no answers and received bytes lost for {"ms": 3000}', run: (a) => card.silence(num(a, 'ms', 0, 600_000, 3000)) },
    corrupt: { describe: 'corrupt bytes on the RS-485 line both ways: {"rate": 0.001} per byte (0 stops)', run: (a) => { card.faults.corruptRate = num(a, 'rate', 0, 0.5); } },
    'corrupt-frames': { describe: 'flip one byte in a share of frames both ways: {"rate": 0.01} (0 stops)', run: (a) => { card.faults.corruptFrameRate = num(a, 'rate', 0, 1); } },
    nack: {
      describe: `answer the next requests with NACK: {"error": 3, "count": 2} (error numbers: ${ONBON_ERRORS.slice(1, 6).map((n, i) => `${i + 1} ${n}`).join(', ')}, …)`,
      run: (a) => { card.faults.nack = { error: num(a, 'error', 1, 19, 3), count: num(a, 'count', 1, 1000, 1) }; },
    },
    clear: { describe: 'undo every injected fault', run: () => card.clearFaults() },
  };
}

const COLOURS = ['#1a0c0c', '#ff2a1a', '#2aff3a', '#ffc21a'];

/** The sign as the street sees it: `scale` px per LED, dots dimmed by the brightness level 0–15. */
export function signPng(b: SignBitmap, level: number, scale = 4): Buffer {
  const c = createCanvas(b.width * scale, b.height * scale);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#0b0b0b';
  ctx.fillRect(0, 0, c.width, c.height);
  const r = scale * 0.42;
  for (let y = 0; y < b.height; y++) {
    for (let x = 0; x < b.width; x++) {
      const p = b.pixels[y * b.width + x]!;
      ctx.globalAlpha = p === 0 ? 1 : 0.35 + (0.65 * level) / 15;
      ctx.fillStyle = COLOURS[p]!;
      ctx.beginPath();
      ctx.arc(x * scale + scale / 2, y * scale + scale / 2, r, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
  return c.toBuffer('image/png');
}
