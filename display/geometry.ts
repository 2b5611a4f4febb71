/**
 * Screen geometry: the layout grid every page uses, derived from the panel's resolution and pixel
 * pitch (config `screen`). The design is drawn for a 480-px-wide portrait panel and scales with
 * the width; physical limits (touch-target size, legibility floor) come from the pitch
 * (docs/screen.md §Layout grid).
 */
import type { Rect } from '../lib/frame.js';

/** WCAG 2.5.5 / Material 48 dp ≈ 9 mm (docs/background.md §Signage and legibility): the smallest touch target allowed. */
export const MIN_TARGET_MM = 9;
/**
 * Legibility floor, as font size in mm: 10 mm gives a CJK glyph body of ≈ 9 mm and a Latin cap
 * height of ≈ 7 mm, above EN 301 549's 6 mm large-text cap height and ADA 707's 4.8 mm.
 */
export const LEGIBILITY_FLOOR_MM = 10;
/** Complex hanzi (警, 疆) need 12–16+ rows per glyph (docs/background.md §Signage and legibility; docs/screen.md §Type and the legibility floor): a font of ≥ 20 px. */
export const CJK_MIN_FONT_PX = 20;

export interface ScreenGeometry {
  width: number;
  height: number;
  pixelPitchMm: number;
  /** Design scale: width / 480. */
  scale: number;
  /** Smallest touch target edge in px (MIN_TARGET_MM at this pitch). */
  minTargetPx: number;
  /** Smallest font size in px any text may use. */
  floorPx: number;
  pad: number;
  gap: number;
  headerH: number;
  footerH: number;
  /** The content area between header and footer on interactive pages. */
  content: Rect;
}

export function screenGeometry(width: number, height: number, pixelPitchMm: number): ScreenGeometry {
  const scale = width / 480;
  const s = (v: number) => Math.round(v * scale);
  const headerH = s(104);
  const footerH = s(96);
  const pad = s(16);
  const gap = s(12);
  return {
    width, height, pixelPitchMm, scale,
    minTargetPx: Math.ceil(MIN_TARGET_MM / pixelPitchMm),
    floorPx: Math.max(Math.ceil(CJK_MIN_FONT_PX * scale), Math.ceil(LEGIBILITY_FLOOR_MM / pixelPitchMm)),
    pad, gap, headerH, footerH,
    content: { x: pad, y: headerH + gap, w: width - 2 * pad, h: height - headerH - footerH - 2 * gap },
  };
}

/** Scales a design value (480-px base) to this screen. */
export function sc(g: ScreenGeometry, v: number): number {
  return Math.round(v * g.scale);
}

export function mm(g: ScreenGeometry, px: number): number {
  return px * g.pixelPitchMm;
}

export function inside(r: Rect, x: number, y: number): boolean {
  return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}
