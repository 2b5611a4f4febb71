/**
 * SerialLink: one serial device kept open. Opens a path, reopens it with backoff when the device
 * disappears or errors (USB unplugged, socat gone, EIO), queues writes with a byte bound and
 * backpressure (each write resolves once the bytes reach the OS), and counts what happens.
 * Protocol drivers sit on top and listen for 'data', 'open' and 'close'.
 */
import { EventEmitter } from 'node:events';
import { SerialPortStream } from '@serialport/stream';
import { autoDetect } from '@serialport/bindings-cpp';
import type { BindingInterface } from '@serialport/bindings-interface';
import type { Logger } from 'pino';
import { deviceError } from '../errors.js';
import { Backoff, type BackoffOptions } from '../../protocols/backoff.js';

export enum LinkState {
  Idle = 'idle',
  Opening = 'opening',
  Open = 'open',
  /** Closed after a failure; a reopen is scheduled. */
  Waiting = 'waiting',
  Stopped = 'stopped',
}

export interface SerialLinkOptions {
  /** Device path, e.g. /dev/ttyUSB0 or a socat link. */
  path: string;
  baudRate: number;
  /** Name used in logs and health (`device` field). */
  name: string;
  logger: Logger;
  /** serialport binding; defaults to the OS binding (@serialport/bindings-cpp). */
  binding?: BindingInterface;
  /** Reopen backoff; defaults 250 ms doubling to 10 s with ±20% jitter. */
  backoff?: Partial<BackoffOptions>;
  /** Bound on bytes waiting to be written; writes beyond it are refused. Default 4 MiB. */
  maxQueuedBytes?: number;
}

export interface SerialLinkStats {
  bytesIn: number;
  bytesOut: number;
  opens: number;
  openFailures: number;
  disconnects: number;
  writeErrors: number;
  refusedWrites: number;
  queuedBytes: number;
  lastError: string | null;
}

interface PendingWrite {
  buf: Buffer;
  resolve: () => void;
  reject: (e: Error) => void;
}

export interface SerialLinkEvents {
  open: [];
  close: [reason: string];
  data: [chunk: Buffer];
}

export class SerialLink extends EventEmitter<SerialLinkEvents> {
  state: LinkState = LinkState.Idle;
  readonly stats: SerialLinkStats = {
    bytesIn: 0, bytesOut: 0, opens: 0, openFailures: 0, disconnects: 0, writeErrors: 0, refusedWrites: 0, queuedBytes: 0, lastError: null,
  };
  private port: SerialPortStream | null = null;
  private readonly queue: PendingWrite[] = [];
  private writing = false;
  private inProgress: PendingWrite | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly backoff: Backoff;
  private readonly binding: BindingInterface;
  private readonly maxQueued: number;
  private readonly log: Logger;

  constructor(private readonly opts: SerialLinkOptions) {
    super();
    this.binding = opts.binding ?? (autoDetect() as unknown as BindingInterface);
    this.backoff = new Backoff({ initialMs: 250, maxMs: 10_000, factor: 2, jitter: 0.2, ...opts.backoff });
    this.maxQueued = opts.maxQueuedBytes ?? 4 * 1024 * 1024;
    this.log = opts.logger.child({ device: opts.name });
  }

  get path(): string {
    return this.opts.path;
  }

  get isOpen(): boolean {
    return this.state === LinkState.Open;
  }

  start(): void {
    if (this.state !== LinkState.Idle) return;
    this.open();
  }

  async stop(): Promise<void> {
    this.state = LinkState.Stopped;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.failQueue('stopped');
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((r) => port.close(() => r()));
    port?.removeAllListeners();
    port?.on('error', () => {});
  }

  /** Queues bytes; resolves when they reach the OS. Rejects if closed or the queue is full. */
  write(data: Uint8Array): Promise<void> {
    if (this.state !== LinkState.Open) {
      this.stats.refusedWrites++;
      return Promise.reject(deviceError('SP_SERIAL_NOT_OPEN', { device: this.opts.name, state: this.state }));
    }
    if (this.stats.queuedBytes + data.length > this.maxQueued) {
      this.stats.refusedWrites++;
      return Promise.reject(deviceError('SP_SERIAL_QUEUE_FULL', { device: this.opts.name, queuedBytes: this.stats.queuedBytes }));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ buf: Buffer.from(data.buffer, data.byteOffset, data.length), resolve, reject });
      this.stats.queuedBytes += data.length;
      this.pump();
    });
  }

  private open(): void {
    this.state = LinkState.Opening;
    const port = new SerialPortStream({ binding: this.binding, path: this.opts.path, baudRate: this.opts.baudRate, autoOpen: false });
    this.port = port;
    port.on('error', (e: Error) => this.onFailure(port, e.message));
    port.on('close', (e?: Error) => this.onFailure(port, e?.message ?? 'closed'));
    port.on('data', (chunk: Buffer) => {
      this.stats.bytesIn += chunk.length;
      this.emit('data', chunk);
    });
    port.open((err) => {
      if (this.port !== port || this.state === LinkState.Stopped) {
        if (!err) port.close();
        return;
      }
      if (err) {
        this.stats.openFailures++;
        this.onFailure(port, err.message);
        return;
      }
      this.state = LinkState.Open;
      this.stats.opens++;
      this.stats.lastError = null;
      this.backoff.succeeded();
      this.log.info({ path: this.opts.path }, 'serial device open');
      this.emit('open');
      this.pump();
    });
  }

  private onFailure(port: SerialPortStream, reason: string): void {
    if (this.port !== port || this.state === LinkState.Stopped || this.state === LinkState.Waiting) return;
    const wasOpen = this.state === LinkState.Open;
    this.port = null;
    port.removeAllListeners();
    port.on('error', () => {});
    if (port.isOpen) port.close();
    this.stats.lastError = reason;
    // A write in progress on the dead port may never call back: settle it here, or the reopened
    // port would never be written to again (and its bytes would stay counted as queued).
    const stuck = this.inProgress;
    this.inProgress = null;
    this.writing = false;
    if (stuck) {
      this.stats.queuedBytes -= stuck.buf.length;
      stuck.reject(deviceError('SP_SERIAL_CLOSED', { device: this.opts.name, reason }));
    }
    this.failQueue(reason);
    const delay = this.backoff.next();
    this.state = LinkState.Waiting;
    if (wasOpen) {
      this.stats.disconnects++;
      this.log.warn({ reason, retryInMs: delay }, 'serial device lost; reopening');
      this.emit('close', reason);
    } else {
      // Log the first failure loudly, then quietly while it stays absent.
      const level = this.stats.openFailures <= 1 ? 'warn' : 'debug';
      this.log[level]({ reason, retryInMs: delay }, 'serial device not available; retrying');
    }
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.state === LinkState.Waiting) this.open();
    }, delay);
    this.retryTimer.unref?.();
  }

  private failQueue(reason: string): void {
    while (this.queue.length) {
      const w = this.queue.shift()!;
      this.stats.queuedBytes -= w.buf.length;
      w.reject(deviceError('SP_SERIAL_CLOSED', { device: this.opts.name, reason }));
    }
  }

  private pump(): void {
    if (this.writing || this.state !== LinkState.Open || !this.port) return;
    const w = this.queue.shift();
    if (!w) return;
    this.writing = true;
    const port = this.port;
    this.inProgress = w;
    port.write(w.buf, (err) => {
      if (this.inProgress !== w) return; // settled when its port failed
      this.inProgress = null;
      this.writing = false;
      this.stats.queuedBytes -= w.buf.length;
      if (err) {
        this.stats.writeErrors++;
        w.reject(deviceError('SP_SERIAL_CLOSED', { device: this.opts.name, reason: err.message }));
        this.onFailure(port, err.message);
        return;
      }
      this.stats.bytesOut += w.buf.length;
      w.resolve();
      this.pump();
    });
  }
}
