/**
 * Terminal display width of text (docs/console.md §Output conventions: tables that fit 80 columns).
 * CJK ideographs and full-width forms take two columns in xterm, PuTTY and picocom's host terminal;
 * combining marks and ANSI escape sequences take none. Ranges after Unicode's East Asian Width
 * property (W/F).
 */

const WIDE: readonly [number, number][] = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x2e80, 0x303e], [0x3041, 0x33ff],
  [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3],
  [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f], [0x1f900, 0x1f9ff], [0x20000, 0x3fffd],
];

const ZERO: readonly [number, number][] = [
  [0x0300, 0x036f], [0x200b, 0x200f], [0x2028, 0x202e], [0x2060, 0x2064], [0xfe00, 0xfe0f], [0xfeff, 0xfeff],
];

function inRanges(cp: number, ranges: readonly [number, number][]): boolean {
  for (const [a, b] of ranges) {
    if (cp < a) return false;
    if (cp <= b) return true;
  }
  return false;
}

/** Columns one code point occupies: 0, 1 or 2. Control characters take 0. */
export function charWidth(cp: number): 0 | 1 | 2 {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (inRanges(cp, ZERO)) return 0;
  return inRanges(cp, WIDE) ? 2 : 1;
}

// eslint-disable-next-line no-control-regex
const ANSI_RE = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

export function stripAnsi(s: string): string {
  return s.replace(ANSI_RE, '');
}

/** Columns a string occupies on the terminal (ANSI sequences ignored). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of stripAnsi(s)) w += charWidth(ch.codePointAt(0)!);
  return w;
}

/** Cuts plain text to at most `width` columns, ending with "…" when something was cut. */
export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(s) <= width) return s;
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0)!);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return out + '…';
}

export function padEnd(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : s + ' '.repeat(width - w);
}

export function padStart(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : ' '.repeat(width - w) + s;
}

/**
 * Wraps plain text into lines of at most `width` columns: breaks at spaces where it can, and
 * anywhere between CJK characters (which have no spaces); a word longer than a line is split.
 */
export function wrapText(s: string, width: number): string[] {
  const out: string[] = [];
  for (const para of s.split('\n')) {
    let line = '';
    let lineW = 0;
    const flush = () => { out.push(line.trimEnd()); line = ''; lineW = 0; };
    // Tokens: runs of spaces, runs of non-space narrow characters (words), single wide characters.
    const tokens = para.match(/ +|[^\s\u2e80-\u9fff\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]+|./gu) ?? [];
    for (const tok of tokens) {
      const tw = displayWidth(tok);
      if (tok.startsWith(' ')) {
        if (lineW + tw <= width) { line += tok; lineW += tw; } else flush();
        continue;
      }
      if (lineW + tw <= width) { line += tok; lineW += tw; continue; }
      if (lineW > 0) flush();
      if (tw <= width) { line = tok; lineW = tw; continue; }
      for (const ch of tok) {
        const cw = charWidth(ch.codePointAt(0)!);
        if (lineW + cw > width) flush();
        line += ch;
        lineW += cw;
      }
    }
    flush();
  }
  return out;
}
