/**
 * ConsoleTerminal: the technician's serial port as a terminal (docs/console.md §Keys). Bytes from the
 * SerialLink go through KeyDecoder into keys at once (so a key split across reads decodes the same,
 * and Ctrl-C is seen even while a command runs); a `readLine()` feeds queued keys to the
 * LineEditor and writes its echo back. Output text has its "\n" turned into CRLF.
 *
 * Why not @serialport/parser-readline here: it splits on one fixed delimiter, so it cannot accept
 * CR, LF and CRLF alike, echo per key, hide a PIN, or act on BS/DEL, arrows, Tab or Ctrl-C before
 * a line ends — an interactive terminal needs every byte as it comes (docs/console.md "Design").
 * The readline parser is used where whole lines are all there is: the scripted test client that
 * reads the console's output (test/helpers/console-client.ts).
 *
 * Bounded: at most `maxQueuedKeys` keys wait while nobody reads (type-ahead); more are dropped and
 * counted. Output beyond the SerialLink's queue bound is dropped and counted, never buffered.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { KeyDecoder, type Key } from '../../protocols/console/key-decoder.js';
import { LineEditor, type ReadSpec } from '../../protocols/console/line-editor.js';
import type { SerialLink } from '../serial/serial-link.js';
import { nextTick } from '../../lib/next-tick.js';

/** Output waiting for the next write is sent at once beyond this many characters. */
const MAX_PENDING_CHARS = 16 * 1024;

export type ReadResult =
  | { kind: 'line'; text: string }
  | { kind: 'interrupt' }
  /** The read was cancelled by the caller (idle logout, port closed, stop). */
  | { kind: 'cancelled'; reason: string };

export interface ConsoleTerminalOptions {
  serial: SerialLink;
  logger: Logger;
  /** Keys kept while no line is being read. Default 1024. */
  maxQueuedKeys?: number;
  /** Longest input line. Default 256 characters. */
  maxLineChars?: number;
  /** Lines kept for ↑↓. Default 50. */
  historySize?: number;
}

export interface ConsoleTerminalStats {
  keysDropped: number;
  outputDroppedBytes: number;
  interrupts: number;
}

export class ConsoleTerminal extends EventEmitter<{ open: []; close: [reason: string]; activity: []; interrupt: [] }> {
  readonly stats: ConsoleTerminalStats = { keysDropped: 0, outputDroppedBytes: 0, interrupts: 0 };
  readonly decoder = new KeyDecoder();
  readonly editor: LineEditor;
  private readonly queue: Key[] = [];
  private reader: { resolve: (r: ReadResult) => void } | null = null;
  private lastWrite: Promise<void> = Promise.resolve();
  private outQueue: string[] = [];
  private outChars = 0;
  private readonly sendSoon = nextTick(() => this.sendOut());
  private readonly maxQueued: number;
  private readonly log: Logger;

  constructor(private readonly o: ConsoleTerminalOptions) {
    super();
    this.log = o.logger.child({ device: 'console' });
    this.maxQueued = o.maxQueuedKeys ?? 1024;
    this.editor = new LineEditor({ maxChars: o.maxLineChars ?? 256, historySize: o.historySize ?? 50 });
    o.serial.on('data', (chunk) => this.onData(chunk));
    o.serial.on('open', () => { this.decoder.reset(); this.queue.length = 0; this.emit('open'); });
    o.serial.on('close', (reason) => this.emit('close', reason));
  }

  get isOpen(): boolean {
    return this.o.serial.isOpen;
  }

  get path(): string {
    return this.o.serial.path;
  }

  get reading(): boolean {
    return this.reader !== null;
  }

  /**
   * Writes text; "\n" becomes CRLF. Never throws: a closed or stalled port drops and counts.
   * Output of one turn of the event loop (the echo of a whole read, a command's lines) goes to
   * the port as one write, not one syscall per key.
   */
  write(text: string): void {
    if (text === '') return;
    this.outQueue.push(text);
    this.outChars += text.length;
    if (this.outChars > MAX_PENDING_CHARS) this.sendOut();
    else this.sendSoon();
  }

  private sendOut(): void {
    this.sendSoon.cancel();
    if (this.outQueue.length === 0) return;
    const buf = Buffer.from(this.outQueue.join('').replace(/\r?\n/g, '\r\n'), 'utf8');
    this.outQueue = [];
    this.outChars = 0;
    if (!this.o.serial.isOpen) { this.stats.outputDroppedBytes += buf.length; return; }
    this.lastWrite = this.o.serial.write(buf).catch(() => { this.stats.outputDroppedBytes += buf.length; });
  }

  /** Resolves when what was written so far has reached the OS (or after `maxMs`). */
  async flush(maxMs = 1000): Promise<void> {
    this.sendOut();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.lastWrite, new Promise<void>((r) => { timer = setTimeout(r, maxMs); })]);
    clearTimeout(timer);
  }

  /** Reads one line with echo and editing. Only one read at a time; a second cancels the first. */
  readLine(spec: ReadSpec): Promise<ReadResult> {
    this.cancelRead('superseded');
    return new Promise((resolve) => {
      this.reader = { resolve };
      this.write(this.editor.begin(spec));
      this.drain();
    });
  }

  cancelRead(reason: string): void {
    const r = this.reader;
    if (!r) return;
    this.reader = null;
    this.editor.end();
    r.resolve({ kind: 'cancelled', reason });
  }

  /** Forgets typed-ahead keys (after Ctrl-C, at logout). */
  flushInput(): void {
    this.queue.length = 0;
  }

  private onData(chunk: Buffer): void {
    const keys = this.decoder.push(chunk);
    if (keys.length === 0) return;
    this.emit('activity');
    for (const k of keys) {
      if (k.k === 'interrupt' && !this.reader) {
        // Ctrl-C while a command runs: cancel it and throw away what was typed ahead (like a tty's INTR).
        this.stats.interrupts++;
        this.queue.length = 0;
        this.emit('interrupt');
        continue;
      }
      if (this.queue.length >= this.maxQueued) { this.stats.keysDropped++; continue; }
      this.queue.push(k);
      this.drain();
    }
  }

  private drain(): void {
    while (this.reader && this.queue.length) {
      const k = this.queue.shift()!;
      let r;
      try {
        r = this.editor.key(k);
      } catch (e) {
        // The editor is pure and tested; if it ever throws, drop the key rather than the console.
        this.log.error({ err: (e as Error).message, key: k.k }, 'line editor failed on a key');
        continue;
      }
      this.write(r.out);
      if (r.event) {
        const reader = this.reader;
        this.reader = null;
        reader.resolve(r.event.type === 'line' ? { kind: 'line', text: r.event.text } : { kind: 'interrupt' });
      }
    }
  }
}
