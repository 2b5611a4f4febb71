/**
 * AtFramer: the incremental line splitter of an AT port. Bytes in, complete lines out, whatever
 * the chunking (a read may end anywhere, even inside `\r\n`). V.250 responses are
 * `\r\n<text>\r\n`; we treat any run of CR/LF as one line break and drop empty lines, so the
 * command echo (`AT+CSQ\r` before E0 takes effect) comes out as a line of its own that the
 * channel removes. The SMS prompt `\r\n> ` has no line end: it is reported only while the channel
 * says it expects one, so splitting stays independent of chunk boundaries.
 *
 * Bounded: a line longer than `maxLineBytes` is dropped whole (counted), the framer resynchronises
 * at the next line break. Pure: no I/O, no timers.
 */
export type AtToken = { kind: 'line'; text: string } | { kind: 'prompt' };

export interface AtFramerOptions {
  /** Longest line kept, in bytes. Default 2048 (the longest real reply, +QENG EN-DC, is ~120). */
  maxLineBytes?: number;
}

export interface AtFramerStats {
  bytes: number;
  lines: number;
  /** Lines dropped for exceeding maxLineBytes. */
  overflows: number;
  droppedBytes: number;
  prompts: number;
}

const CR = 13;
const LF = 10;

export class AtFramer {
  readonly stats: AtFramerStats = { bytes: 0, lines: 0, overflows: 0, droppedBytes: 0, prompts: 0 };
  private readonly buf: Uint8Array;
  private len = 0;
  /** Inside an over-long line: discard until the next line break. */
  private discarding = false;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  /** Set by the channel while a command that answers with `> ` is in flight. */
  expectPrompt = false;

  constructor(o: AtFramerOptions = {}) {
    this.buf = new Uint8Array(o.maxLineBytes ?? 2048);
  }

  /** Bytes held of an unfinished line. */
  get pending(): number {
    return this.len;
  }

  /** Forgets a partial line (port reopened: what came before belongs to another session). */
  reset(): void {
    if (this.len) this.stats.droppedBytes += this.len;
    this.len = 0;
    this.discarding = false;
  }

  push(chunk: Uint8Array): AtToken[] {
    const out: AtToken[] = [];
    this.stats.bytes += chunk.length;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === CR || b === LF) {
        if (this.discarding) this.discarding = false;
        else if (this.len > 0) {
          out.push({ kind: 'line', text: this.decoder.decode(this.buf.subarray(0, this.len)) });
          this.stats.lines++;
          this.len = 0;
        }
        continue;
      }
      if (this.discarding) {
        this.stats.droppedBytes++;
        continue;
      }
      if (this.len === this.buf.length) {
        this.stats.overflows++;
        this.stats.droppedBytes += this.len + 1;
        this.len = 0;
        this.discarding = true;
        continue;
      }
      this.buf[this.len++] = b;
    }
    if (this.expectPrompt && this.len === 2 && this.buf[0] === 0x3e && this.buf[1] === 0x20) {
      this.len = 0;
      this.stats.prompts++;
      out.push({ kind: 'prompt' });
    }
    return out;
  }
}
