/**
 * Screen colours. Every text colour is used only on the backgrounds listed with it in
 * TEXT_PAIRS, and each pair keeps WCAG contrast ≥ 4.5:1 (display/palette.test.ts;
 * docs/screen.md §Palette). Accent colours without text on them (icons, stripes) are free.
 */
export const Palette = {
  background: '#0b1f3a',
  surface: '#14325c',
  surfaceRaised: '#1b4073',
  line: '#2c5288',
  text: '#ffffff',
  textMuted: '#c3d3ea',
  accent: '#35c2b0',
  accentText: '#04241f',
  cue: '#ffd166',
  cueText: '#1a1300',
  emergencyBg: '#b00020',
  emergencyText: '#ffffff',
  emergencyBand: '#ffffff',
  emergencyBandText: '#8a0019',
  high: '#ff8a3d',
  highText: '#1a0a00',
  ok: '#3ecf8e',
  okText: '#032414',
  busy: '#5aa9ff',
  busyText: '#03182e',
  fault: '#ff6b78',
  faultText: '#2b0006',
  idle: '#9fb0c8',
  idleText: '#0b1f3a',
  qrDark: '#000000',
  qrLight: '#ffffff',
  /** Home tiles: icon colours only. */
  tileNotices: '#35c2b0',
  tileServices: '#5aa9ff',
  tileTransit: '#3ecf8e',
  tileCharging: '#ffc145',
  tileMessages: '#ff8fa3',
  tileLanguage: '#c3a6ff',
} as const;

export type PaletteColor = keyof typeof Palette;

/** Text colour → the backgrounds it is drawn on. */
export const TEXT_PAIRS: ReadonlyArray<readonly [PaletteColor, readonly PaletteColor[]]> = [
  ['text', ['background', 'surface', 'surfaceRaised', 'emergencyBg']],
  ['textMuted', ['background', 'surface', 'surfaceRaised']],
  ['accent', ['background', 'surface']],
  ['cue', ['background', 'surface']],
  ['accentText', ['accent']],
  ['cueText', ['cue']],
  ['emergencyText', ['emergencyBg']],
  ['emergencyBandText', ['emergencyBand']],
  ['highText', ['high']],
  ['okText', ['ok']],
  ['busyText', ['busy']],
  ['faultText', ['fault']],
  ['idleText', ['idle']],
];

/** WCAG 2.x relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
}

export function contrast(a: string, b: string): number {
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (l1 + 0.05) / (l2 + 0.05);
}
