/**
 * Serial-line timing arithmetic (modbus.org serial line spec §2.5.1.1): a character is start bit,
 * 8 data bits, optional parity and 1–2 stop bits; frames are separated by 3.5 character times,
 * fixed at 1.75 ms above 19200 baud, and a frame may not contain gaps over 1.5 characters
 * (0.75 ms fixed above 19200). Pure numbers, used by the master's pacing and by the simulated
 * bus, which must emulate wire time because a PTY has none (docs/background.md §Field bus devices).
 */
export type Parity = 'none' | 'even' | 'odd';

export interface LineSettings {
  baudRate: number;
  parity: Parity;
  stopBits: 1 | 2;
}

export function bitsPerChar(s: Omit<LineSettings, 'baudRate'>): number {
  return 1 + 8 + (s.parity === 'none' ? 0 : 1) + s.stopBits;
}

export function charTimeMs(s: LineSettings): number {
  return (bitsPerChar(s) * 1000) / s.baudRate;
}

/** Time for `bytes` characters on the wire, back to back. */
export function wireTimeMs(bytes: number, s: LineSettings): number {
  return bytes * charTimeMs(s);
}

/** t3.5: the inter-frame silence. */
export function interFrameMs(s: LineSettings): number {
  return s.baudRate > 19200 ? 1.75 : 3.5 * charTimeMs(s);
}

/** t1.5: the longest silence allowed inside a frame. */
export function interCharMs(s: LineSettings): number {
  return s.baudRate > 19200 ? 0.75 : 1.5 * charTimeMs(s);
}
