/**
 * AtChannel: the AT engine on one serial port, after ModemManager's mm-port-serial(-at).c
 * (docs/background.md §Modem and AT facts: how ModemManager drives an AT port):
 * - one command in flight, the rest in a bounded queue (urgent ones go to the head);
 * - a per-command timeout from the profile's table, started once the bytes reached the OS;
 * - the echo (before `ATE0`, or after a modem reset) removed; final results (`OK`, `ERROR`,
 *   `+CME ERROR: n` as typed errors) end a reply;
 * - a URC registry: URC lines are dispatched wherever they fall, even between the lines of a
 *   reply, unless the command in flight claims them (`+CPIN:` during `AT+CPIN?`);
 * - partial lines split anywhere and bounded buffers (AtFramer), bounded replies;
 * - consecutive timeouts counted, reset by any final result (MM's DEFAULT_MAX_TIMEOUTS logic
 *   lives in the state machine that reads the count).
 * Resynchronisation: after a timeout or a reply that is out of step (an OK with no information
 * line where one is required, or a reply the parser refuses), the next command waits until the
 * port has been quiet for `settleMs`, so a late reply is discarded instead of answering the next
 * command. Garbage therefore costs at most the command it hits and the one after it.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { AtFramer } from '../../protocols/at/framer.js';
import { parseFinal, finalError, type FinalResult } from '../../protocols/at/final.js';
import { SmartpoleError } from '../../protocols/errors.js';
import { atError } from '../../protocols/at/errors.js';
import { redactAtSecrets } from '../../protocols/at/redact.js';
import { modemError } from './errors.js';
import type { AtChannelOptions, AtChannelStats, AtCommandOptions, AtReply } from './at-types.js';

export type { AtChannelOptions, AtChannelStats, AtCommandOptions, AtPort, AtReply } from './at-types.js';

interface Pending {
  command: string;
  opts: AtCommandOptions;
  timeoutMs: number;
  lines: string[];
  queuedAt: number;
  sentAt: number;
  deadline: number;
  /** The timer fired late (event loop stalled): one grace period was given for pending input. */
  graced: boolean;
  timer: NodeJS.Timeout | null;
  resolve: (r: AtReply) => void;
  reject: (e: Error) => void;
}

interface UrcHandler {
  prefix: string;
  handler: (line: string) => void;
}

const matches = (u: UrcHandler, line: string) => (u.prefix.endsWith(':') ? line.startsWith(u.prefix) : line === u.prefix);

/** The channel between commands: free to send, handling a received chunk (nothing is sent until its lines are all handled), or closed. */
export enum ChannelState {
  Idle = 'idle',
  /** Lines of one received chunk are being handled: they all predate the next command. */
  InChunk = 'in-chunk',
  Closed = 'closed',
}

export class AtChannel extends EventEmitter<{ urc: [line: string]; timeout: [command: string, consecutive: number]; stray: [line: string] }> {
  readonly stats: AtChannelStats = {
    commands: 0, ok: 0, errors: 0, timeouts: 0, consecutiveTimeouts: 0, urcs: 0, echoes: 0, strayLines: 0, outOfStep: 0,
    truncatedReplies: 0, refused: 0, settles: 0, stallGraces: 0, lastCommandAt: 0, lastReplyAt: 0,
  };
  readonly framer: AtFramer;
  private readonly queue: Pending[] = [];
  private current: Pending | null = null;
  private readonly urcs: UrcHandler[] = [];
  private readonly log: Logger;
  private readonly now: () => number;
  private lastRxAt = 0;
  /** Set after a timeout or an out-of-step reply: the next command waits for quiet. */
  private settleSince: number | null = null;
  /** After a timeout, the next command waits (up to the timed-out command's timeout) for its late final result. */
  private lateUntil: number | null = null;
  private settleTimer: NodeJS.Timeout | null = null;
  private chan = ChannelState.Idle;
  /** A partial line was pending when the command in flight was written: it predates the reply. */
  private staleTail = false;

  constructor(private readonly o: AtChannelOptions) {
    super();
    this.log = o.logger.child({ device: 'modem', part: 'at' });
    this.now = o.now ?? (() => performance.now());
    this.framer = new AtFramer({ maxLineBytes: o.maxLineBytes });
    o.port.on('data', (c) => this.onData(c));
    o.port.on('close', (reason) => this.onClose(reason));
    o.port.on('open', () => {
      this.framer.reset();
      this.settleSince = null;
      this.lateUntil = null;
      this.pump();
    });
  }

  /** Commands waiting plus the one in flight. */
  get depth(): number {
    return this.queue.length + (this.current ? 1 : 0);
  }

  /** Registers a URC handler by line prefix (`RDY` matches the whole line). Returns an unsubscribe. */
  onUrc(prefix: string, handler: (line: string) => void): () => void {
    const h = { prefix, handler };
    this.urcs.push(h);
    return () => {
      const i = this.urcs.indexOf(h);
      if (i >= 0) this.urcs.splice(i, 1);
    };
  }

  send(command: string, opts: AtCommandOptions = {}): Promise<AtReply> {
    if (this.chan === ChannelState.Closed) return Promise.reject(modemError('SP_MODEM_ABORTED', { command: this.shown(command, opts) }, { message: 'AT channel closed' }));
    if (!this.o.port.isOpen) return Promise.reject(modemError('SP_MODEM_PORT_CLOSED', { command: this.shown(command, opts) }));
    if (this.queue.length >= (this.o.maxQueue ?? 32)) {
      this.stats.refused++;
      return Promise.reject(modemError('SP_MODEM_QUEUE_FULL', { command: this.shown(command, opts), depth: this.queue.length }));
    }
    return new Promise<AtReply>((resolve, reject) => {
      const p: Pending = {
        command, opts, timeoutMs: opts.timeoutMs ?? this.o.timeoutFor(command), lines: [], queuedAt: this.now(), sentAt: 0, deadline: 0, graced: false, timer: null, resolve, reject,
      };
      if (opts.urgent) this.queue.unshift(p);
      else this.queue.push(p);
      this.pump();
    });
  }

  /**
   * Sends and parses. A parser that refuses the reply (SP_AT_BAD_REPLY) marks the channel out
   * of step, so the next command waits for quiet first.
   */
  async query<T>(command: string, opts: AtCommandOptions, parse: (lines: string[]) => T): Promise<T> {
    const r = await this.send(command, opts);
    try {
      return parse(r.lines);
    } catch (e) {
      if (e instanceof SmartpoleError && e.code === 'SP_AT_BAD_REPLY') this.markOutOfStep(command);
      throw e;
    }
  }

  /** Rejects the command in flight and everything queued (modem reset detected, shutdown). */
  abortAll(reason: string): void {
    const all = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
    this.current = null;
    // The modem is being reset or re-probed: what it still owed us no longer matters.
    this.lateUntil = null;
    if (this.settleTimer) { clearTimeout(this.settleTimer); this.settleTimer = null; }
    for (const p of all) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(modemError('SP_MODEM_ABORTED', { command: this.shown(p.command, p.opts), reason }, { message: `${this.shown(p.command, p.opts)}: abandoned (${reason})` }));
    }
    this.settleSince = this.now();
  }

  close(): void {
    this.abortAll('channel closed');
    this.chan = ChannelState.Closed;
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = null;
  }

  private shown(command: string, opts: AtCommandOptions): string {
    return opts.secret ? `${command.split('=')[0]}=****` : redactAtSecrets(command);
  }

  private markOutOfStep(command: string): void {
    this.stats.outOfStep++;
    this.settleSince ??= this.now();
    this.log.debug({ command }, 'reply out of step; next command waits for quiet');
  }

  private pump(): void {
    if (this.current || this.chan !== ChannelState.Idle || this.settleTimer) return;
    if (this.queue.length === 0) return;
    if (!this.o.port.isOpen) {
      for (const p of this.queue.splice(0)) p.reject(modemError('SP_MODEM_PORT_CLOSED', { command: this.shown(p.command, p.opts) }));
      return;
    }
    if (this.lateUntil !== null) {
      const wait = this.lateUntil - this.now();
      if (wait > 0) {
        this.settleTimer = setTimeout(() => { this.settleTimer = null; this.pump(); }, wait);
        return;
      }
      this.lateUntil = null;
    }
    if (this.settleSince !== null) {
      const now = this.now();
      const settle = this.o.settleMs ?? 100;
      const quietFor = now - Math.max(this.lastRxAt, this.settleSince);
      const waited = now - this.settleSince;
      if (quietFor < settle && waited < (this.o.maxSettleMs ?? 1000)) {
        this.settleTimer = setTimeout(() => { this.settleTimer = null; this.pump(); }, Math.max(1, settle - quietFor));
        return;
      }
      this.settleSince = null;
      this.stats.settles++;
    }
    const p = this.queue.shift()!;
    this.current = p;
    this.stats.commands++;
    this.stats.lastCommandAt = Date.now();
    this.staleTail = this.framer.pending > 0;
    this.log.debug({ command: this.shown(p.command, p.opts) }, 'AT >');
    this.o.port.write(Buffer.from(`${p.command}\r`, 'latin1')).then(
      () => {
        if (this.current !== p) return;
        p.sentAt = this.now();
        p.deadline = p.sentAt + p.timeoutMs;
        // MM: the timeout runs from the moment the last byte was written.
        p.timer = setTimeout(() => this.onTimer(p), p.timeoutMs);
      },
      (e: Error) => {
        if (this.current !== p) return;
        this.current = null;
        p.reject(modemError('SP_MODEM_PORT_CLOSED', { command: this.shown(p.command, p.opts), reason: e.message }));
        this.pump();
      },
    );
  }

  private onData(chunk: Buffer): void {
    this.lastRxAt = this.now();
    // Lines in the chunk that ends a reply were all sent before our next command: keep the
    // next command unsent until the whole chunk is handled, so they cannot be taken as its reply.
    if (this.chan === ChannelState.Idle) this.chan = ChannelState.InChunk;
    try {
      for (const t of this.framer.push(chunk)) {
        if (t.kind !== 'line') continue;
        const stale = this.staleTail;
        this.staleTail = false;
        this.onLine(t.text, stale);
      }
    } finally {
      if (this.chan === ChannelState.InChunk) this.chan = ChannelState.Idle;
    }
    this.pump();
  }

  private onLine(line: string, stale: boolean): void {
    // A line begun before the command was written cannot be part of its reply (only a URC).
    const cur = stale ? null : this.current;
    if (cur && line.trim().toUpperCase() === cur.command.toUpperCase()) {
      this.stats.echoes++;
      return;
    }
    const final = parseFinal(line);
    if (final) {
      if (cur) this.finish(cur, final);
      else {
        this.stray(line);
        if (this.lateUntil !== null) this.lateReplySeen();
      }
      return;
    }
    if (stale && !this.urcs.some((u) => matches(u, line))) {
      this.stray(line);
      return;
    }
    if (cur && this.claims(cur, line)) {
      this.addLine(cur, line);
      return;
    }
    const h = this.urcs.find((u) => matches(u, line));
    if (h) {
      this.stats.urcs++;
      this.log.debug({ line: redactAtSecrets(line) }, 'URC');
      try {
        h.handler(line);
      } catch (e) {
        this.log.warn({ line, err: (e as Error).message, code: (e as SmartpoleError).code }, 'URC handler failed');
      }
      this.emit('urc', line);
      return;
    }
    // A command with a declared prefix takes only its own lines; one without (ATI, +CGSN) takes any.
    if (cur && cur.opts.prefix === undefined && !cur.opts.isReply) this.addLine(cur, line);
    else this.stray(line);
  }

  private claims(p: Pending, line: string): boolean {
    if (!p.opts.isReply) return p.opts.prefix !== undefined && line.startsWith(p.opts.prefix);
    try {
      return p.opts.isReply(line);
    } catch {
      return false; // a malformed line is not this reply's
    }
  }

  /** The late final result of a timed-out command arrived: now only wait for quiet. */
  private lateReplySeen(): void {
    this.lateUntil = null;
    this.settleSince = this.now();
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = null;
    if (this.chan !== ChannelState.InChunk) this.pump();
  }

  private addLine(p: Pending, line: string): void {
    if (p.lines.length >= (this.o.maxReplyLines ?? 64)) {
      this.stats.truncatedReplies++;
      return;
    }
    p.lines.push(line);
  }

  private stray(line: string): void {
    this.stats.strayLines++;
    // A mangled echo of a PIN or APN-password command must not reach the log.
    const shown = redactAtSecrets(line);
    this.log.debug({ line: shown.length > 120 ? `${shown.slice(0, 120)}…` : shown }, 'line outside any reply discarded');
    this.emit('stray', line);
  }

  private finish(p: Pending, final: FinalResult): void {
    if (p.timer) clearTimeout(p.timer);
    this.current = null;
    this.stats.consecutiveTimeouts = 0;
    this.stats.lastReplyAt = Date.now();
    const shown = this.shown(p.command, p.opts);
    const elapsedMs = this.now() - (p.sentAt || p.queuedAt);
    const err = finalError(final, shown);
    if (err) {
      this.stats.errors++;
      this.log.debug({ command: shown, result: err.message, elapsedMs }, 'AT < error');
      p.reject(err);
    } else if (p.opts.expectLines && p.lines.length === 0) {
      this.markOutOfStep(shown);
      p.reject(atError('SP_AT_BAD_REPLY', { command: shown }, { message: `${shown}: OK without the expected information (reply out of step)` }));
    } else {
      this.stats.ok++;
      this.log.debug({ command: shown, lines: p.opts.secret ? undefined : p.lines, elapsedMs }, 'AT < OK');
      p.resolve({ command: shown, lines: p.lines, elapsedMs });
    }
    if (this.chan !== ChannelState.InChunk) this.pump();
  }

  /**
   * A timer that fires well after its deadline means the event loop was stalled (a loaded
   * machine, a long GC): the reply may be waiting, unread, in the OS buffer. Timers run before
   * I/O in a loop turn, so give the input one short grace before calling it a timeout.
   */
  private onTimer(p: Pending): void {
    if (this.current !== p) return;
    const late = this.now() - p.deadline;
    if (late > 50 && !p.graced) {
      p.graced = true;
      this.stats.stallGraces++;
      p.timer = setTimeout(() => this.onTimer(p), Math.min(1000, 100 + late));
      return;
    }
    this.onTimeout(p);
  }

  private onTimeout(p: Pending): void {
    if (this.current !== p) return;
    this.current = null;
    this.stats.timeouts++;
    const n = ++this.stats.consecutiveTimeouts;
    this.settleSince = this.now();
    // A slow modem answers late: hold the next command until that answer (or another timeout's
    // worth of waiting), so the late reply is dropped instead of being taken for the next one's.
    this.lateUntil = this.now() + Math.min(p.timeoutMs, this.o.maxLateWaitMs ?? 5_000);
    const shown = this.shown(p.command, p.opts);
    this.log.warn({ command: shown, timeoutMs: p.timeoutMs, consecutive: n }, 'AT command timed out');
    p.reject(modemError('SP_MODEM_AT_TIMEOUT', { command: shown, timeoutMs: p.timeoutMs, consecutive: n }, { message: `${shown}: no answer within ${Math.round(p.timeoutMs)} ms` }));
    this.emit('timeout', shown, n);
    this.pump();
  }

  private onClose(reason: string): void {
    this.framer.reset();
    const all = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
    this.current = null;
    for (const p of all) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(modemError('SP_MODEM_PORT_CLOSED', { command: this.shown(p.command, p.opts), reason }));
    }
  }
}
