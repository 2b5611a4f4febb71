/**
 * KeyDecoder: the bytes a serial terminal sends → keys (docs/console.md §Keys). One small decoder with
 * state carried across reads, so a key split anywhere (CR|LF, ESC|[|A, a UTF-8 character cut in two)
 * decodes the same as if it arrived whole. Bounded: an escape sequence longer than 16 bytes or a
 * malformed UTF-8 sequence is dropped and counted, never buffered without limit.
 *
 * Line ends: CR, LF and CRLF each give one Enter (a CR followed by LF is one key, even when the LF
 * comes in a later read). Key bindings follow the Zephyr shell's meta keys (docs/background.md §Console conventions).
 */

export type Key =
  | { k: 'char'; ch: string }
  | {
    k: 'enter' | 'tab' | 'backspace' | 'delete' | 'interrupt' | 'eof-or-delete' | 'kill-line' | 'kill-to-end' | 'kill-word'
    | 'clear-screen' | 'up' | 'down' | 'left' | 'right' | 'home' | 'end' | 'word-left' | 'word-right';
  };

/** Every key but a character. */
export type NamedKey = Exclude<Key, { k: 'char' }>['k'];

export interface KeyDecoderStats {
  keys: number;
  /** Escape sequences the console does not use (e.g. F-keys, terminal replies) — ignored. */
  ignoredSequences: number;
  /** Invalid UTF-8 and oversized escape sequences. */
  malformed: number;
  /** Control bytes with no binding (e.g. NUL, Ctrl-G). */
  ignoredControls: number;
}

enum DecodeState {
  Ground = 'ground',
  /** After ESC. */
  Escape = 'escape',
  /** After ESC [: parameter and intermediate bytes until a final byte 0x40–0x7e. */
  Csi = 'csi',
  /** After ESC O (SS3: application cursor keys). */
  Ss3 = 'ss3',
  /** Inside a multi-byte UTF-8 character. */
  Utf8 = 'utf8',
}

const MAX_SEQ = 16;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

const CONTROL: Record<number, NamedKey> = {
  0x01: 'home', 0x02: 'left', 0x03: 'interrupt', 0x04: 'eof-or-delete', 0x05: 'end', 0x06: 'right',
  0x08: 'backspace', 0x09: 'tab', 0x0b: 'kill-to-end', 0x0c: 'clear-screen', 0x0e: 'down', 0x10: 'up',
  0x15: 'kill-line', 0x17: 'kill-word', 0x7f: 'backspace',
};

/** One frozen object per named key and per ASCII character: decoding allocates no key objects. */
const NAMED = new Map<NamedKey, Key>();
const named = (k: NamedKey): Key => {
  let v = NAMED.get(k);
  if (!v) { v = Object.freeze({ k }) as Key; NAMED.set(k, v); }
  return v;
};
const ASCII: Key[] = Array.from({ length: 128 }, (_, b) => Object.freeze({ k: 'char', ch: String.fromCharCode(b) }) as Key);

const CSI_FINAL: Record<string, NamedKey> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end' };
const CSI_TILDE: Record<string, NamedKey> = { '1': 'home', '7': 'home', '3': 'delete', '4': 'end', '8': 'end' };

export class KeyDecoder {
  readonly stats: KeyDecoderStats = { keys: 0, ignoredSequences: 0, malformed: 0, ignoredControls: 0 };
  private state = DecodeState.Ground;
  private seq = '';
  private afterCr = false;
  private utf8: number[] = [];
  private utf8Need = 0;

  /** Decodes one read; keys completed by it are returned in order (shared, frozen key objects). */
  push(bytes: Uint8Array): Key[] {
    const out: Key[] = [];
    for (let i = 0; i < bytes.length; i++) this.byte(bytes[i]!, out);
    this.stats.keys += out.length;
    return out;
  }

  reset(): void {
    this.state = DecodeState.Ground;
    this.seq = '';
    this.afterCr = false;
    this.utf8 = [];
    this.utf8Need = 0;
  }

  private byte(b: number, out: Key[]): void {
    const wasCr = this.afterCr;
    this.afterCr = false;
    switch (this.state) {
      case DecodeState.Escape: return this.escape(b, out);
      case DecodeState.Csi: return this.csi(b, out);
      case DecodeState.Ss3: return this.ss3(b, out);
      case DecodeState.Utf8: return this.utf8Byte(b, out);
      case DecodeState.Ground: break;
    }
    if (b === 0x0d) { this.afterCr = true; out.push(named('enter')); return; }
    if (b === 0x0a) { if (!wasCr) out.push(named('enter')); return; }
    if (b === 0x1b) { this.state = DecodeState.Escape; this.seq = ''; return; }
    const ctl = CONTROL[b];
    if (ctl) { out.push(named(ctl)); return; }
    if (b < 0x20) { this.stats.ignoredControls++; return; }
    if (b < 0x80) { out.push(ASCII[b]!); return; }
    this.utf8Start(b);
  }

  private escape(b: number, out: Key[]): void {
    this.state = DecodeState.Ground;
    if (b === 0x5b) { this.state = DecodeState.Csi; return; } // [
    if (b === 0x4f) { this.state = DecodeState.Ss3; return; } // O
    if (b === 0x62) { out.push(named('word-left')); return; } // Alt-b
    if (b === 0x66) { out.push(named('word-right')); return; } // Alt-f
    if (b === 0x7f || b === 0x08) { out.push(named('kill-word')); return; } // Alt-Backspace
    // A lone ESC (or Alt + an unbound key): drop the ESC and read the byte as itself.
    this.stats.ignoredSequences++;
    this.byte(b, out);
  }

  private csi(b: number, out: Key[]): void {
    if (b >= 0x40 && b <= 0x7e) {
      this.state = DecodeState.Ground;
      const params = this.seq;
      this.seq = '';
      const f = String.fromCharCode(b);
      const key = f === '~' ? CSI_TILDE[params] : /^(1(;\d+)?)?$/.test(params) ? CSI_FINAL[f] : undefined;
      if (key) out.push(named(key));
      else this.stats.ignoredSequences++; // terminal replies (ESC[?1;2c), F-keys, bracketed paste marks
      return;
    }
    if (b < 0x20 || b > 0x7e || this.seq.length >= MAX_SEQ) {
      // Not a CSI byte, or a runaway sequence: abandon it; a control byte still counts as itself.
      this.state = DecodeState.Ground;
      this.seq = '';
      this.stats.malformed++;
      if (b < 0x20 || b === 0x7f) this.byte(b, out);
      return;
    }
    this.seq += String.fromCharCode(b);
  }

  private ss3(b: number, out: Key[]): void {
    this.state = DecodeState.Ground;
    const key = CSI_FINAL[String.fromCharCode(b)];
    if (key) out.push(named(key));
    else this.stats.ignoredSequences++;
  }

  private utf8Start(b: number): void {
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) { this.stats.malformed++; return; }
    this.utf8 = [b];
    this.utf8Need = need;
    this.state = DecodeState.Utf8;
  }

  private utf8Byte(b: number, out: Key[]): void {
    if ((b & 0xc0) !== 0x80) {
      // Truncated character: drop it and read this byte afresh.
      this.stats.malformed++;
      this.state = DecodeState.Ground;
      this.utf8 = [];
      this.byte(b, out);
      return;
    }
    this.utf8.push(b);
    if (this.utf8.length < this.utf8Need + 1) return;
    this.state = DecodeState.Ground;
    const bytes = Uint8Array.from(this.utf8);
    this.utf8 = [];
    let ch: string;
    try {
      ch = UTF8.decode(bytes);
    } catch {
      this.stats.malformed++; // overlong forms, surrogates, beyond U+10FFFF
      return;
    }
    out.push({ k: 'char', ch });
  }
}
