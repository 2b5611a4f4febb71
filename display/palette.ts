/** Screen colours. Text/background pairs keep WCAG contrast ≥ 4.5:1 (checked by palette.test.ts). */
export const Palette = {
  background: '#0b1f3a',
  surface: '#14325c',
  text: '#ffffff',
  textMuted: '#c9d6e8',
  accent: '#35c2b0',
  cue: '#ffd166',
  cueText: '#1a1300',
  emergencyBg: '#b00020',
  emergencyText: '#ffffff',
  high: '#ff8a3d',
  highText: '#1a0a00',
} as const;
