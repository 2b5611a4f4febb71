/**
 * QR codes drawn module by module onto the canvas (the `qrcode` package computes the matrix).
 * Sized to scan from a phone at arm's length: the rule of thumb "scan distance ≈ 10 × code
 * width" asks for ≥ 50 mm at 50 cm, and whole-pixel modules keep the edges crisp on an LED
 * panel. The 4-module quiet zone of ISO/IEC 18004 is always kept, in white (docs/screen.md §QR).
 */
import QRCode from 'qrcode';
import type { Rect } from '../../lib/frame.js';
import { mm, type ScreenGeometry } from '../geometry.js';
import { Palette } from '../palette.js';
import type { Ctx } from './ui.js';

export const QR_QUIET_MODULES = 4;
/** Smallest code width (modules without quiet zone) for arm's-length scanning. */
export const QR_MIN_WIDTH_MM = 50;

interface Matrix { size: number; data: Uint8Array }

/** Matrices are cached: the same few payloads are drawn on every render of a page. */
export class QrCache {
  private readonly cache = new Map<string, Matrix>();
  constructor(private readonly max = 64) {}

  matrix(payload: string): Matrix {
    let m = this.cache.get(payload);
    if (!m) {
      const q = QRCode.create(payload, { errorCorrectionLevel: 'M' });
      m = { size: q.modules.size, data: Uint8Array.from(q.modules.data) };
      if (this.cache.size >= this.max) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(payload, m);
    }
    return m;
  }
}

export interface QrPlacement {
  /** Outer box including the quiet zone. */
  rect: Rect;
  modulePx: number;
  modules: number;
  /** Width of the code itself (without quiet zone) in mm at this panel's pitch. */
  codeMm: number;
}

/** Where a code for `payload` goes inside `box` (centred, whole-pixel modules, largest that fits). */
export function placeQr(g: ScreenGeometry, qr: QrCache, payload: string, box: Rect): QrPlacement {
  const m = qr.matrix(payload);
  const total = m.size + 2 * QR_QUIET_MODULES;
  const modulePx = Math.max(1, Math.floor(Math.min(box.w, box.h) / total));
  const side = modulePx * total;
  return {
    rect: { x: box.x + Math.floor((box.w - side) / 2), y: box.y + Math.floor((box.h - side) / 2), w: side, h: side },
    modulePx, modules: m.size, codeMm: mm(g, modulePx * m.size),
  };
}

export function drawQr(ctx: Ctx, g: ScreenGeometry, qr: QrCache, payload: string, box: Rect): QrPlacement {
  const p = placeQr(g, qr, payload, box);
  const m = qr.matrix(payload);
  ctx.fillStyle = Palette.qrLight;
  ctx.fillRect(p.rect.x, p.rect.y, p.rect.w, p.rect.h);
  ctx.fillStyle = Palette.qrDark;
  const ox = p.rect.x + QR_QUIET_MODULES * p.modulePx;
  const oy = p.rect.y + QR_QUIET_MODULES * p.modulePx;
  for (let r = 0; r < m.size; r++) {
    // Runs of dark modules in a row become one rectangle.
    let c = 0;
    while (c < m.size) {
      if (!m.data[r * m.size + c]) { c++; continue; }
      const start = c;
      while (c < m.size && m.data[r * m.size + c]) c++;
      ctx.fillRect(ox + start * p.modulePx, oy + r * p.modulePx, (c - start) * p.modulePx, p.modulePx);
    }
  }
  return p;
}
