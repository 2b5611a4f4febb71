/**
 * ANSI/VT100 output helpers for the console (docs/console.md §Output conventions: colour only when the
 * terminal asked for it). Cursor movement and erase-line are VT100 basics every serial terminal in use
 * (picocom's host terminal, PuTTY, minicom, screen) understands; colour (SGR) is opt-in per session.
 */

export const ESC = '\x1b';
export const BELL = '\x07';
export const CRLF = '\r\n';

export const cursor = {
  left: (n: number): string => (n > 0 ? `${ESC}[${n}D` : ''),
  right: (n: number): string => (n > 0 ? `${ESC}[${n}C` : ''),
  /** Erase from the cursor to the end of the line (EL 0). */
  eraseToEnd: `${ESC}[K`,
  /** Home and erase the whole screen (Ctrl-L). */
  clearScreen: `${ESC}[H${ESC}[2J`,
};

export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

const SGR: Record<Style, number> = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, cyan: 36 };

/** Wraps text in an SGR style and a reset, or returns it unchanged when colour is off. */
export function paint(text: string, style: Style | null | undefined, enabled: boolean): string {
  if (!enabled || !style || text === '') return text;
  return `${ESC}[${SGR[style]}m${text}${ESC}[0m`;
}

export type Painter = (text: string, style: Style | null | undefined) => string;

export function painter(enabled: boolean): Painter {
  return (text, style) => paint(text, style, enabled);
}

/** The colour a health/selftest word is shown in. */
export function statusStyle(word: string): Style | null {
  switch (word.toLowerCase()) {
    case 'ok': case 'pass': case 'connected': case 'ready': case 'online': return 'green';
    case 'fail': case 'down': case 'error': case 'faulted': return 'red';
    case 'degraded': case 'warn': case 'waiting': case 'locked': return 'yellow';
    case 'skip': case 'absent': return 'dim';
    default: return null;
  }
}
