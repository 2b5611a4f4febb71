/**
 * Fonts and the type scale. Text renders through Pango/fontconfig, so families are named, not
 * loaded: Noto Sans CJK SC (Debian fonts-noto-cjk) first, WenQuanYi Micro Hei
 * (fonts-wqy-microhei) as fallback. Every size the pages use comes from TYPE (480-px design
 * base, scaled with the screen); none is below the legibility floor (display/geometry.ts;
 * docs/screen.md §Type).
 */
import type { ScreenGeometry } from './geometry.js';

export const SANS = '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "Droid Sans Fallback", sans-serif';

/** Design sizes in px at 480 px width. */
export const TYPE = {
  /** The attract loop's clock. */
  clock: 76,
  /** Emergency headline, ticket numbers. */
  display: 44,
  h1: 36,
  h2: 30,
  title: 26,
  body: 24,
  /** Secondary lines (addresses, English subtitles). The smallest size: the floor at 0.5 mm pitch. */
  small: 20,
} as const;

export type TypeRole = keyof typeof TYPE;

/** The px size for a role on this screen, never below the legibility floor. */
export function typeSize(g: ScreenGeometry, role: TypeRole): number {
  return Math.max(g.floorPx, Math.round(TYPE[role] * g.scale));
}

export function font(sizePx: number, weight: 'normal' | 'bold' = 'normal'): string {
  return `${weight === 'bold' ? 'bold ' : ''}${sizePx}px ${SANS}`;
}

/** Parses the px size back out of a font string (tests check every fillText against the floor). */
export function fontSizePx(f: string): number {
  const m = /(\d+(?:\.\d+)?)px/.exec(f);
  return m ? Number(m[1]) : NaN;
}
