/** What every page's draw function gets: the canvas, the layout grid, text measurement, QR cache. */
import type { ScreenGeometry } from '../geometry.js';
import type { TextMeasure } from '../text/measure.js';
import type { QrCache, QrPlacement } from './qr.js';
import type { Ctx } from './ui.js';

export interface Kit {
  ctx: Ctx;
  g: ScreenGeometry;
  tm: TextMeasure;
  qr: QrCache;
  /** QR codes placed by this draw (audits check their physical size). */
  placedQr: QrPlacement[];
}
