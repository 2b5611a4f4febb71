/**
 * Font stacks. Text renders through Pango/fontconfig, so families are named, not loaded:
 * Noto Sans CJK SC (Debian fonts-noto-cjk) first, WenQuanYi Micro Hei (fonts-wqy-microhei) as
 * fallback. Sizes are in px; docs/screen.md gives the legibility floor for the panel.
 */
export const SANS = '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "Droid Sans Fallback", sans-serif';

export function font(sizePx: number, weight: 'normal' | 'bold' = 'normal'): string {
  return `${weight === 'bold' ? 'bold ' : ''}${sizePx}px ${SANS}`;
}
