/**
 * LineEditor: keys → an edited line, the echo to send back, and events (docs/console.md §Keys: echo,
 * backspace/DEL, Ctrl-C, Ctrl-U, ↑↓ history, Tab completion). Pure: the caller feeds keys from
 * KeyDecoder and writes `out` to the port.
 *
 * Echo uses only printable characters, BS (moves the cursor left) and spaces, so it draws right on
 * any terminal, dumb ones included; only Ctrl-L uses an ANSI clear-screen. Editing in the middle
 * of a line assumes the line fits on one terminal row (lines are capped at `maxChars`).
 * Obscured reads (the PIN) echo "*", keep no history and complete nothing (Zephyr's
 * `shell_obscure_set`, docs/background.md §Console conventions).
 */
import { BELL, CRLF, cursor } from './ansi.js';
import type { Key } from './key-decoder.js';
import { charWidth } from './text-width.js';

export type EditEvent = { type: 'line'; text: string } | { type: 'interrupt' };

/** What Tab offers for the word before the cursor: the word itself and the full candidates. */
export interface Completion {
  token: string;
  candidates: string[];
}
export type Completer = (before: string) => Completion;

export interface ReadSpec {
  prompt: string;
  /** Echo "*" per character; no history, no completion, no cursor movement. */
  obscure?: boolean;
  /** Record the line in the history and let ↑↓ recall earlier ones. */
  history?: boolean;
  completer?: Completer;
}

export interface LineEditorOptions {
  /** Longest line in characters; typing beyond rings the bell. Default 256. */
  maxChars?: number;
  /** Lines kept for ↑↓. Default 50. */
  historySize?: number;
}

export interface EditResult {
  out: string;
  event: EditEvent | null;
}

const BS = '\b';
const left = (n: number) => BS.repeat(n);

export class LineEditor {
  private chars: string[] = [];
  private cursor = 0;
  private spec: ReadSpec | null = null;
  private readonly hist: string[] = [];
  /** Position while browsing history: hist.length = the line being typed. */
  private histPos = 0;
  private draft: string[] = [];
  private readonly maxChars: number;
  private readonly historySize: number;
  readonly stats = { lines: 0, bells: 0, overlong: 0 };

  constructor(o: LineEditorOptions = {}) {
    this.maxChars = o.maxChars ?? 256;
    this.historySize = o.historySize ?? 50;
  }

  get active(): boolean {
    return this.spec !== null;
  }

  get text(): string {
    return this.chars.join('');
  }

  get history(): readonly string[] {
    return this.hist;
  }

  clearHistory(): void {
    this.hist.length = 0;
    this.histPos = 0;
  }

  /** Starts reading a line; returns the prompt to write. */
  begin(spec: ReadSpec): string {
    this.spec = spec;
    this.chars = [];
    this.cursor = 0;
    this.histPos = this.hist.length;
    this.draft = [];
    return spec.prompt;
  }

  /** Stops reading without a line (the caller cancelled the read). */
  end(): void {
    this.spec = null;
    this.chars = [];
    this.cursor = 0;
  }

  key(key: Key): EditResult {
    const spec = this.spec;
    if (!spec) return { out: '', event: null };
    const r = (out: string, event: EditEvent | null = null): EditResult => {
      if (out.includes(BELL)) this.stats.bells++;
      return { out, event };
    };
    switch (key.k) {
      case 'char': return r(this.insert(key.ch));
      case 'enter': {
        const text = this.text;
        if (spec.history && !spec.obscure && text.trim() !== '' && this.hist.at(-1) !== text) {
          this.hist.push(text);
          if (this.hist.length > this.historySize) this.hist.shift();
        }
        this.stats.lines++;
        this.end();
        return r(CRLF, { type: 'line', text });
      }
      case 'interrupt':
        this.end();
        return r('^C' + CRLF, { type: 'interrupt' });
      case 'backspace': return r(this.backspace());
      case 'kill-line': return r(this.replace([]));
      default: break;
    }
    if (spec.obscure) return r(''); // nothing else applies to a hidden entry
    switch (key.k) {
      case 'delete': return r(this.deleteAt());
      case 'eof-or-delete': return r(this.chars.length === 0 ? BELL : this.deleteAt());
      case 'left': return r(this.moveTo(this.cursor - 1));
      case 'right': return r(this.moveTo(this.cursor + 1));
      case 'home': return r(this.moveTo(0));
      case 'end': return r(this.moveTo(this.chars.length));
      case 'word-left': return r(this.moveTo(this.wordStart()));
      case 'word-right': return r(this.moveTo(this.wordEnd()));
      case 'kill-to-end': return r(this.killToEnd());
      case 'kill-word': return r(this.killWord());
      case 'clear-screen': return r(cursor.clearScreen + spec.prompt + this.disp(this.chars) + left(this.width(this.cursor, this.chars.length)));
      case 'up': return r(this.recall(-1));
      case 'down': return r(this.recall(1));
      case 'tab': return r(this.complete());
      default: return r('');
    }
  }

  private cw(ch: string): number {
    return this.spec?.obscure ? 1 : charWidth(ch.codePointAt(0)!);
  }

  private width(from: number, to: number, chars = this.chars): number {
    let w = 0;
    for (let i = from; i < to; i++) w += this.cw(chars[i]!);
    return w;
  }

  private disp(chars: string[]): string {
    return this.spec?.obscure ? '*'.repeat(chars.length) : chars.join('');
  }

  private insert(ch: string): string {
    if (this.cw(ch) === 0) return BELL; // zero-width marks would desynchronise the cursor
    if (this.chars.length >= this.maxChars) { this.stats.overlong++; return BELL; }
    if (this.cursor === this.chars.length) { // typing at the end: the common case
      this.chars.push(ch);
      this.cursor++;
      return this.spec?.obscure ? '*' : ch;
    }
    this.chars.splice(this.cursor, 0, ch);
    this.cursor++;
    const tail = this.chars.slice(this.cursor);
    return this.disp([ch]) + this.disp(tail) + left(this.width(this.cursor, this.chars.length));
  }

  private backspace(): string {
    if (this.cursor === 0) return BELL;
    const w = this.cw(this.chars[this.cursor - 1]!);
    this.chars.splice(this.cursor - 1, 1);
    this.cursor--;
    const tailW = this.width(this.cursor, this.chars.length);
    return left(w) + this.disp(this.chars.slice(this.cursor)) + ' '.repeat(w) + left(tailW + w);
  }

  private deleteAt(): string {
    if (this.cursor >= this.chars.length) return BELL;
    const w = this.cw(this.chars[this.cursor]!);
    this.chars.splice(this.cursor, 1);
    const tailW = this.width(this.cursor, this.chars.length);
    return this.disp(this.chars.slice(this.cursor)) + ' '.repeat(w) + left(tailW + w);
  }

  private moveTo(pos: number): string {
    if (pos < 0 || pos > this.chars.length) return BELL;
    let out = '';
    if (pos < this.cursor) out = left(this.width(pos, this.cursor));
    else if (pos > this.cursor) out = this.disp(this.chars.slice(this.cursor, pos));
    this.cursor = pos;
    return out;
  }

  private isWordChar(i: number): boolean {
    return !/\s/.test(this.chars[i] ?? ' ');
  }

  private wordStart(): number {
    let i = this.cursor;
    while (i > 0 && !this.isWordChar(i - 1)) i--;
    while (i > 0 && this.isWordChar(i - 1)) i--;
    return i;
  }

  private wordEnd(): number {
    let i = this.cursor;
    while (i < this.chars.length && !this.isWordChar(i)) i++;
    while (i < this.chars.length && this.isWordChar(i)) i++;
    return i;
  }

  /** Replaces the whole line, leaving the cursor at its end. */
  private replace(next: string[]): string {
    const oldW = this.width(0, this.chars.length);
    let out = left(this.width(0, this.cursor));
    this.chars = next;
    this.cursor = next.length;
    const newW = this.width(0, next.length);
    out += this.disp(next);
    if (oldW > newW) out += ' '.repeat(oldW - newW) + left(oldW - newW);
    return out;
  }

  private killToEnd(): string {
    const w = this.width(this.cursor, this.chars.length);
    this.chars.splice(this.cursor);
    return ' '.repeat(w) + left(w);
  }

  private killWord(): string {
    const start = this.wordStart();
    if (start === this.cursor) return BELL;
    const removedW = this.width(start, this.cursor);
    this.chars.splice(start, this.cursor - start);
    this.cursor = start;
    const tailW = this.width(this.cursor, this.chars.length);
    return left(removedW) + this.disp(this.chars.slice(this.cursor)) + ' '.repeat(removedW) + left(tailW + removedW);
  }

  private recall(dir: -1 | 1): string {
    if (!this.spec?.history || this.spec.obscure) return BELL;
    const next = this.histPos + dir;
    if (next < 0 || next > this.hist.length) return BELL;
    if (this.histPos === this.hist.length) this.draft = [...this.chars];
    this.histPos = next;
    return this.replace(next === this.hist.length ? [...this.draft] : [...this.hist[next]!]);
  }

  private complete(): string {
    const spec = this.spec!;
    if (!spec.completer) return BELL;
    const before = this.chars.slice(0, this.cursor).join('');
    let c: Completion;
    try {
      c = spec.completer(before);
    } catch {
      return BELL;
    }
    if (c.candidates.length === 0) return BELL;
    const common = commonPrefix(c.candidates);
    let out = '';
    if (common.length > c.token.length && common.startsWith(c.token)) {
      for (const ch of common.slice(c.token.length)) out += this.insert(ch);
    }
    if (c.candidates.length === 1) {
      if (this.chars[this.cursor] !== ' ') out += this.insert(' ');
      return out;
    }
    if (out !== '') return out;
    // Several candidates and nothing to add: list them, then redraw the line.
    return CRLF + c.candidates.join('  ') + CRLF + spec.prompt + this.disp(this.chars) + left(this.width(this.cursor, this.chars.length));
  }
}

export function commonPrefix(words: string[]): string {
  if (words.length === 0) return '';
  let p = words[0]!;
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}
