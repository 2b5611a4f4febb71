/**
 * OnbonCard: the host side of one Onbon BX-5E/6E card on a serial line (docs/protocols/onbon.md
 * §8). A request/response waiter in the zigbee-herdsman style: one request in flight (the card
 * answers each in turn on a half-duplex RS-485 pair), a deadline of the request's and answer's
 * wire time plus a processing margin, re-sends on silence and on NACK ERR_CHECKSUM/ERR_BUSY, a
 * ping every `pingIntervalMs` while idle. A card that stops answering goes Offline; when it answers
 * again it is Ready and 'ready' fires — its RAM areas were lost if it restarted, so the owner
 * re-sends everything.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { SerialLink } from '../serial/serial-link.js';
import { deviceError } from '../errors.js';
import { encodeFrame, OnbonFrameDecoder } from '../../protocols/onbon/frame.js';
import { DEVICE_TYPES, HOST_ADDRESS, PROTOCOL_VERSION, type OnbonModel } from '../../protocols/onbon/header.js';
import { decodeResponse, encodePing, isNack, onbonErrorName, OnbonErr, type OnbonResponse } from '../../protocols/onbon/messages.js';
import { CardState } from './card-state.js';

export interface OnbonCardOptions {
  serial: SerialLink;
  logger: Logger;
  model: OnbonModel;
  /** Screen address (DstAddr) set in the card. */
  address: number;
  baudRate: number;
  /** Margin over wire time for the card to act and answer, ms. */
  ackTimeoutMs: number;
  /** Re-sends after the first transmission. */
  retries: number;
  /** Keep-alive ping while idle, ms. */
  pingIntervalMs: number;
  /** Failed pings in a row that make the card Offline. */
  offlineAfter: number;
  /** The card's receive buffer: larger requests are refused before sending. */
  maxFrameBytes: number;
}

export interface CardStats {
  requests: number;
  resends: number;
  timeouts: number;
  nacks: number;
  badFrames: number;
  bytesOut: number;
  recoveries: number;
  lastError: string | null;
  lastNack: string | null;
}

interface Job {
  data: Uint8Array;
  label: string;
  resolve: (r: OnbonResponse) => void;
  reject: (e: Error) => void;
}

const MAX_QUEUE = 32;
/** Bits per byte on an 8N1 line. */
const BITS = 10;

export class OnbonCard extends EventEmitter<{ state: [CardState]; ready: []; nack: [label: string, error: number] }> {
  state = CardState.Offline;
  readonly stats: CardStats = { requests: 0, resends: 0, timeouts: 0, nacks: 0, badFrames: 0, bytesOut: 0, recoveries: 0, lastError: null, lastNack: null };
  private readonly decoder = new OnbonFrameDecoder();
  private readonly queue: Job[] = [];
  /** The request on the line (one at a time); null when the line is free. */
  private current: Job | null = null;
  private waiter: ((r: OnbonResponse | null) => void) | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private failedPings = 0;
  /** A request went unanswered (no byte came back) since the last answer: the card may have restarted. */
  private silent = false;
  /** Bytes received so far: a request whose attempt saw none went unanswered (silence, not garble). */
  private bytesIn = 0;
  private readonly log: Logger;

  constructor(private readonly o: OnbonCardOptions) {
    super();
    this.log = o.logger.child({ device: 'onbon' });
    o.serial.on('data', (chunk) => this.onData(chunk));
    o.serial.on('open', () => this.ping());
    o.serial.on('close', () => this.setState(CardState.Offline));
  }

  start(): void {
    this.pingTimer = setInterval(() => { if (!this.current) this.ping(); }, this.o.pingIntervalMs);
    this.pingTimer.unref?.();
  }

  stop(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    this.setState(CardState.Stopped);
    for (const j of this.queue.splice(0)) j.reject(deviceError('SP_ONBON_OFFLINE', { label: j.label }));
  }

  get ready(): boolean {
    return this.state === CardState.Ready;
  }

  /** Wire bytes a request takes (for the bench and the layout's size budget). */
  frameBytes(data: Uint8Array): number {
    return this.frame(data).length;
  }

  /** Sends a request (encoded by protocols/onbon/messages) and resolves with the card's ACK. */
  request(data: Uint8Array, label: string): Promise<OnbonResponse> {
    if (this.state !== CardState.Ready) return Promise.reject(deviceError('SP_ONBON_OFFLINE', { label }));
    return this.enqueue(data, label);
  }

  private enqueue(data: Uint8Array, label: string, front = false): Promise<OnbonResponse> {
    if (this.queue.length >= MAX_QUEUE) return Promise.reject(deviceError('SP_ONBON_BUSY', { label }));
    const size = this.frame(data).length;
    if (size > this.o.maxFrameBytes) return Promise.reject(deviceError('SP_ONBON_TOO_LARGE', { label, bytes: size, max: this.o.maxFrameBytes }));
    return new Promise((resolve, reject) => {
      const job = { data, label, resolve, reject };
      if (front) this.queue.unshift(job); else this.queue.push(job);
      void this.pump();
    });
  }

  private frame(data: Uint8Array): Buffer {
    return encodeFrame({ dst: this.o.address, src: HOST_ADDRESS, protocol: PROTOCOL_VERSION, deviceType: DEVICE_TYPES[this.o.model] }, data);
  }

  /**
   * An answer after silence: the card was away, perhaps restarting, and a restart empties its RAM
   * areas. Nothing in the protocol tells, so the owner is told to write everything again ('ready').
   */
  private answered(): void {
    this.failedPings = 0;
    if (this.state === CardState.Offline) {
      this.silent = false;
      this.stats.recoveries++;
      this.setState(CardState.Ready);
      this.log.info('Onbon card answering');
      this.emit('ready');
    } else if (this.silent && this.state === CardState.Ready) {
      this.silent = false;
      this.stats.recoveries++;
      this.log.info('Onbon card answering again after silence; writing its areas again');
      this.emit('ready');
    }
  }

  private ping(): void {
    if (this.state === CardState.Stopped || !this.o.serial.isOpen || this.queue.some((j) => j.label === 'ping')) return;
    this.enqueue(encodePing(), 'ping', true).then(() => undefined, (e: Error) => {
      if (++this.failedPings >= this.o.offlineAfter && this.state === CardState.Ready) {
        this.log.warn({ err: e.message }, 'Onbon card silent; offline until it answers a ping');
        this.setState(CardState.Offline);
      }
    });
  }

  private setState(s: CardState): void {
    if (this.state === s || this.state === CardState.Stopped) return;
    this.state = s;
    this.emit('state', s);
  }

  private async pump(): Promise<void> {
    if (this.current) return;
    try {
      while (this.queue.length) {
        const job = (this.current = this.queue.shift()!);
        try { job.resolve(await this.transact(job)); } catch (e) { job.reject(e as Error); }
      }
    } finally {
      this.current = null;
    }
  }

  private async transact(job: Job): Promise<OnbonResponse> {
    const frame = this.frame(job.data);
    // Request out, 9-byte answer back (≈ 40 bytes framed), each at 10 bits a byte.
    const deadline = Math.ceil(((frame.length + 40) * BITS * 1000) / this.o.baudRate) + this.o.ackTimeoutMs;
    this.stats.requests++;
    // A ping is not re-sent: its job is to notice silence (a restarting card), not to get through.
    const retries = job.label === 'ping' ? 0 : this.o.retries;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) this.stats.resends++;
      if (this.state === CardState.Stopped) break;
      this.decoder.reset();
      this.stats.bytesOut += frame.length;
      const heardBefore = this.bytesIn;
      const answer = this.await(deadline);
      await this.o.serial.write(frame).catch(() => undefined);
      const r = await answer;
      if (!r) {
        this.stats.timeouts++;
        if (this.bytesIn === heardBefore) this.silent = true;
        continue;
      }
      this.answered();
      if (!isNack(r)) return r;
      this.stats.nacks++;
      this.stats.lastNack = `${job.label}: ${onbonErrorName(r.error)}`;
      this.emit('nack', job.label, r.error);
      if (r.error !== OnbonErr.CHECKSUM && r.error !== OnbonErr.BUSY) {
        throw deviceError('SP_ONBON_NACK', { label: job.label, error: r.error, name: onbonErrorName(r.error) });
      }
      this.log.debug({ label: job.label, error: onbonErrorName(r.error) }, 'Onbon NACK; re-sending');
    }
    this.stats.lastError = `${job.label}: no answer`;
    if (job.label !== 'ping' && this.state === CardState.Ready) {
      // Silent through every re-send: it may have restarted and lost its areas. Offline until a ping
      // is answered, then 'ready' makes the owner write everything again.
      this.log.warn({ label: job.label }, 'Onbon card did not answer; offline until it answers a ping');
      this.setState(CardState.Offline);
    }
    throw deviceError('SP_ONBON_TIMEOUT', { label: job.label, attempts: retries + 1 });
  }

  private await(ms: number): Promise<OnbonResponse | null> {
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.waiter = null; resolve(null); }, ms);
      // A garbled answer (null) ends the wait at once: re-sending is safe, every request we send is idempotent.
      this.waiter = (r) => { clearTimeout(t); this.waiter = null; resolve(r); };
    });
  }

  private onData(chunk: Buffer): void {
    this.bytesIn += chunk.length;
    for (const res of this.decoder.push(chunk)) {
      if (!res.ok) { this.stats.badFrames++; this.waiter?.(null); continue; }
      const { header, data } = res.frame;
      if (header.dst !== HOST_ADDRESS) continue;
      const r = decodeResponse(data);
      if (!r) { this.stats.badFrames++; this.waiter?.(null); continue; }
      this.waiter?.(r);
    }
  }
}
