/**
 * ModbusMaster: the one Modbus RTU master on the pole's RS-485 bus (docs/protocols/field-bus.md §The
 * master). Own RTU framing (protocols/modbus) over the project's SerialLink, not modbus-serial's
 * client, because the bus needs what that client does not give: a shared SerialLink that reopens with
 * backoff, one queue with command priority and per-poller fairness, per-unit timeouts/retries/offline
 * tracking, CRC errors and stray bytes counted, and t3.5 pacing (decision in
 * docs/protocols/field-bus.md).
 *
 * One transaction at a time: wait for t3.5 of silence, send, wait for the reply within the
 * unit's timeout (which starts counting the request's and reply's wire time), retry on
 * timeout/CRC, turn exception replies into ModbusExceptionError. A unit that fails
 * `offlineAfter` transactions in a row is offline: its polls are refused without touching the
 * bus except one probe per `probeIntervalMs`, so a dead unit does not stall the others.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { SerialLink } from '../serial/serial-link.js';
import { RtuDecoder, encodeAdu } from '../../protocols/modbus/rtu.js';
import { ExceptionCode, decodeResponse, encodeRequest, isException, type Request, type Response } from '../../protocols/modbus/pdu.js';
import { interFrameMs, wireTimeMs, type LineSettings } from '../../protocols/modbus/timing.js';
import { RequestQueue, type Priority } from './request-queue.js';
import { ModbusExceptionError, fieldBusError } from './errors.js';
import { UnitState, maxReplyBytes, unitEntry, type Unit } from './unit-table.js';

export { UnitState };


export interface UnitOptions {
  name: string;
  /** Reply timeout after the wire time of request and reply. Default: the master's. */
  timeoutMs?: number;
  /** Extra attempts after a timeout or CRC error. Default: the master's. */
  retries?: number;
}

export interface ModbusMasterOptions {
  serial: SerialLink;
  line: LineSettings;
  logger: Logger;
  /** Default reply timeout beyond wire time (slave processing + turnaround). Default 100 ms. */
  timeoutMs?: number;
  /** Default retries. Default 2. */
  retries?: number;
  /** Consecutive failed transactions before a unit is offline. Default 3. */
  offlineAfter?: number;
  /** How often an offline unit is probed. Default 5000 ms. */
  probeIntervalMs?: number;
  /** Requests waiting at most. Default 64. */
  maxQueue?: number;
  /** Pause before retrying after a busy exception (06). Default 50 ms. */
  busyRetryMs?: number;
}

export interface RequestOptions {
  priority?: Priority;
  /** Fairness key for polls; default the unit's name. */
  poller?: string;
  timeoutMs?: number;
  retries?: number;
}

export interface UnitStats {
  address: number;
  name: string;
  state: UnitState;
  transactions: number;
  ok: number;
  timeouts: number;
  crcErrors: number;
  badResponses: number;
  exceptions: number;
  retries: number;
  refusedOffline: number;
  consecutiveFailures: number;
  lastError: string | null;
  lastOkAt: number | null;
  latencyMs: { p50: number | null; p99: number | null; max: number | null };
}

export interface TransactionInfo {
  unit: number;
  fc: number;
  priority: Priority;
  /** From enqueue to the request leaving (queue wait + pacing). */
  waitMs: number;
  /** From the request leaving to the reply (all attempts). */
  durationMs: number;
  attempts: number;
  ok: boolean;
  error?: string;
}

interface Job {
  priority: Priority;
  poller: string;
  enqueuedAt: number;
  unit: number;
  req: Request;
  timeoutMs: number;
  retries: number;
  resolve: (r: Response | null) => void;
  reject: (e: Error) => void;
}


type Outcome = { kind: 'frame'; pdu: Uint8Array; unit: number } | { kind: 'crc' } | { kind: 'timeout' } | { kind: 'closed' };
type Waiter = { unit: number; req: Request; done: (o: Outcome) => void };

/** The bus as the master drives it: one transaction at a time. */
export enum LineState {
  /** No transaction; the next queued request goes out. */
  Idle = 'idle',
  /** A transaction (request, answer or timeout, retries) is on the line. */
  Busy = 'busy',
  /** stop() was called: every request is refused. */
  Stopped = 'stopped',
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class ModbusMaster extends EventEmitter<{ unitState: [unit: number, state: UnitState, name: string]; transaction: [TransactionInfo] }> {
  readonly stats = { transactions: 0, bytesOut: 0, bytesIn: 0, strayBytes: 0, crcErrors: 0, busyMs: 0, startedAt: performance.now() };
  private readonly queue: RequestQueue<Job>;
  private readonly units = new Map<number, Unit>();
  private readonly decoder = new RtuDecoder('master');
  private readonly log: Logger;
  private readonly o: Required<Omit<ModbusMasterOptions, 'serial' | 'line' | 'logger'>>;
  private lineState = LineState.Idle;
  private waiter: Waiter | null = null;
  /** performance.now() of the last byte sent or received: pacing for t3.5. */
  private lastActivity = 0;
  private readonly t35: number;

  constructor(private readonly opts: ModbusMasterOptions) {
    super();
    this.log = opts.logger.child({ device: 'fieldbus' });
    this.o = {
      timeoutMs: opts.timeoutMs ?? 100, retries: opts.retries ?? 2, offlineAfter: opts.offlineAfter ?? 3,
      probeIntervalMs: opts.probeIntervalMs ?? 5000, maxQueue: opts.maxQueue ?? 64, busyRetryMs: opts.busyRetryMs ?? 50,
    };
    this.queue = new RequestQueue<Job>(this.o.maxQueue);
    this.t35 = interFrameMs(opts.line);
    opts.serial.on('data', (c) => this.onData(c));
    opts.serial.on('close', () => this.waiter?.done({ kind: 'closed' }));
  }

  get line(): LineSettings {
    return this.opts.line;
  }

  get queueDepth(): number {
    return this.queue.size;
  }

  get queueHighWater(): number {
    return this.queue.highWater;
  }

  /** Names a unit and sets its timeout/retries; requests to unknown units use the defaults. */
  configureUnit(address: number, o: UnitOptions): void {
    this.unit(address).opts = o;
  }

  unitState(address: number): UnitState {
    return this.units.get(address)?.stats.state ?? UnitState.Unknown;
  }

  unitStats(): UnitStats[] {
    return [...this.units.values()].map((u) => ({ ...u.stats, latencyMs: u.latency.summary() }));
  }

  /** Fraction of time since start that the bus carried a transaction. */
  utilisation(): number {
    const elapsed = performance.now() - this.stats.startedAt;
    return elapsed > 0 ? this.stats.busyMs / elapsed : 0;
  }

  /**
   * Sends one request and resolves with its reply (null for a broadcast to unit 0).
   * Rejects with a typed error: ModbusExceptionError, SP_MODBUS_TIMEOUT/CRC/BAD_RESPONSE after
   * the retries, SP_MODBUS_UNIT_OFFLINE, SP_MODBUS_BUS_DOWN, SP_MODBUS_QUEUE_FULL, SP_MODBUS_STOPPED.
   */
  request(unit: number, req: Request, o: RequestOptions = {}): Promise<Response | null> {
    if (this.lineState === LineState.Stopped) return Promise.reject(fieldBusError('SP_MODBUS_STOPPED'));
    const u = this.unit(unit);
    const priority = o.priority ?? 'poll';
    let retries = o.retries ?? u.opts.retries ?? this.o.retries;
    if (u.stats.state === UnitState.Offline && unit !== 0) {
      // A dead unit gets one probe per interval and no retries; other polls are refused at once.
      const now = performance.now();
      if (priority === 'poll' && now - u.lastProbeAt < this.o.probeIntervalMs) {
        u.stats.refusedOffline++;
        return Promise.reject(fieldBusError('SP_MODBUS_UNIT_OFFLINE', { unit, name: u.opts.name }));
      }
      if (priority === 'poll') u.lastProbeAt = now;
      retries = 0;
    }
    return new Promise((resolve, reject) => {
      const job: Job = {
        priority, poller: o.poller ?? u.opts.name, enqueuedAt: performance.now(), unit, req,
        timeoutMs: o.timeoutMs ?? u.opts.timeoutMs ?? this.o.timeoutMs, retries, resolve, reject,
      };
      if (!this.queue.push(job)) {
        reject(fieldBusError('SP_MODBUS_QUEUE_FULL', { unit, depth: this.queue.size }));
        return;
      }
      this.pump();
    });
  }

  stop(): void {
    this.lineState = LineState.Stopped;
    this.waiter?.done({ kind: 'timeout' });
    for (const j of this.queue.drain()) j.reject(fieldBusError('SP_MODBUS_STOPPED'));
  }

  private unit(address: number): Unit {
    return unitEntry(this.units, address);
  }

  private pump(): void {
    if (this.lineState !== LineState.Idle) return;
    const job = this.queue.shift();
    if (!job) return;
    this.lineState = LineState.Busy;
    this.run(job).finally(() => {
      if (this.lineState === LineState.Busy) this.lineState = LineState.Idle;
      this.pump();
    });
  }

  private async run(job: Job): Promise<void> {
    const u = this.unit(job.unit);
    let attempts = 0;
    let started = 0;
    let last: Error = fieldBusError('SP_MODBUS_TIMEOUT', { unit: job.unit });
    try {
      for (;;) {
        if (this.lineState === LineState.Stopped) throw fieldBusError('SP_MODBUS_STOPPED');
        if (!this.opts.serial.isOpen) throw fieldBusError('SP_MODBUS_BUS_DOWN', { path: this.opts.serial.path, state: this.opts.serial.state });
        await this.quiet();
        if (!started) started = performance.now();
        attempts++;
        u.stats.transactions++;
        if (attempts > 1) u.stats.retries++;
        try {
          const r = await this.attempt(job);
          this.succeeded(u, job, started, attempts);
          job.resolve(r);
          return;
        } catch (e) {
          last = e as Error;
          const code = (e as { code?: string }).code;
          if (code === 'SP_MODBUS_BUS_DOWN' || code === 'SP_MODBUS_STOPPED') throw e;
          if (e instanceof ModbusExceptionError) {
            u.stats.exceptions++;
            this.alive(u);
            const transient = e.exception === ExceptionCode.ServerDeviceBusy || e.exception === ExceptionCode.Acknowledge;
            if (transient && attempts <= job.retries) { await sleep(this.o.busyRetryMs); continue; }
            throw e;
          }
          if (attempts > job.retries) break;
        }
      }
      this.failed(u, last);
      throw last;
    } catch (e) {
      const err = e as Error;
      u.stats.lastError = `${(err as { code?: string }).code ?? 'error'}: ${err.message}`;
      const now = performance.now();
      if (started) this.stats.busyMs += now - started;
      this.emit('transaction', { unit: job.unit, fc: job.req.fc, priority: job.priority, waitMs: (started || now) - job.enqueuedAt, durationMs: started ? now - started : 0, attempts, ok: false, error: (err as { code?: string }).code });
      job.reject(err);
    }
  }

  private succeeded(u: Unit, job: Job, started: number, attempts: number): void {
    const now = performance.now();
    this.stats.busyMs += now - started;
    u.stats.ok++;
    u.stats.lastOkAt = Date.now();
    u.latency.add(now - job.enqueuedAt);
    this.alive(u);
    this.emit('transaction', { unit: job.unit, fc: job.req.fc, priority: job.priority, waitMs: started - job.enqueuedAt, durationMs: now - started, attempts, ok: true });
  }

  private alive(u: Unit): void {
    u.stats.consecutiveFailures = 0;
    if (u.stats.state !== UnitState.Online) {
      const was = u.stats.state;
      u.stats.state = UnitState.Online;
      if (was === UnitState.Offline) this.log.info({ unit: u.stats.address, name: u.opts.name }, 'Modbus unit back online');
      this.emit('unitState', u.stats.address, UnitState.Online, u.opts.name);
    }
  }

  private failed(u: Unit, e: Error): void {
    u.stats.consecutiveFailures++;
    if (u.stats.state !== UnitState.Offline && u.stats.consecutiveFailures >= this.o.offlineAfter) {
      u.stats.state = UnitState.Offline;
      u.lastProbeAt = performance.now();
      this.log.warn({ unit: u.stats.address, name: u.opts.name, err: e.message }, 'Modbus unit offline');
      this.emit('unitState', u.stats.address, UnitState.Offline, u.opts.name);
    }
  }

  /** Waits until the line has been silent for t3.5 (and at least 1 ms: timer granularity). */
  private async quiet(): Promise<void> {
    for (;;) {
      const wait = this.lastActivity + Math.max(this.t35, 1) - performance.now();
      if (wait <= 0) return;
      await sleep(Math.ceil(wait));
    }
  }

  private async attempt(job: Job): Promise<Response | null> {
    const adu = encodeAdu(job.unit, encodeRequest(job.req));
    this.decoder.reset();
    const requestWire = wireTimeMs(adu.length, this.opts.line);
    if (job.unit === 0) {
      // Broadcast: no reply; give slaves a turnaround delay to act (serial line spec §2.4.1).
      await this.opts.serial.write(adu);
      this.sent(adu.length);
      await sleep(Math.ceil(requestWire + job.timeoutMs));
      return null;
    }
    const outcome = new Promise<Outcome>((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      const w: Waiter = {
        unit: job.unit, req: job.req,
        done: (o) => { if (this.waiter === w) this.waiter = null; if (timer) clearTimeout(timer); resolve(o); },
      };
      this.waiter = w;
      const replyWire = wireTimeMs(maxReplyBytes(job.req), this.opts.line);
      timer = setTimeout(() => w.done({ kind: 'timeout' }), Math.ceil(requestWire + replyWire + job.timeoutMs));
    });
    try {
      await this.opts.serial.write(adu);
    } catch (e) {
      this.waiter?.done({ kind: 'timeout' });
      throw fieldBusError('SP_MODBUS_BUS_DOWN', { reason: (e as Error).message });
    }
    this.sent(adu.length);
    const o = await outcome;
    const u = this.unit(job.unit);
    if (o.kind === 'closed') throw fieldBusError('SP_MODBUS_BUS_DOWN', { reason: 'serial device closed during the transaction' });
    if (this.lineState === LineState.Stopped) throw fieldBusError('SP_MODBUS_STOPPED');
    if (o.kind === 'timeout') {
      u.stats.timeouts++;
      throw fieldBusError('SP_MODBUS_TIMEOUT', { unit: job.unit, fc: job.req.fc });
    }
    if (o.kind === 'crc') {
      u.stats.crcErrors++;
      this.stats.crcErrors++;
      throw fieldBusError('SP_MODBUS_CRC', { unit: job.unit, fc: job.req.fc });
    }
    if (o.unit !== job.unit) {
      u.stats.badResponses++;
      throw fieldBusError('SP_MODBUS_BAD_RESPONSE', { unit: job.unit, from: o.unit });
    }
    const d = decodeResponse(o.pdu, job.req);
    if (!d.ok) {
      u.stats.badResponses++;
      throw fieldBusError('SP_MODBUS_BAD_RESPONSE', { unit: job.unit, fc: job.req.fc, problem: d.problem });
    }
    if (isException(d.response)) throw new ModbusExceptionError(d.response.exception, job.unit, job.req.fc);
    return d.response;
  }

  private sent(n: number): void {
    this.stats.bytesOut += n;
    // The frame occupies the wire after the write returns; pace from its end.
    this.lastActivity = performance.now() + wireTimeMs(n, this.opts.line);
  }

  private onData(chunk: Buffer): void {
    this.stats.bytesIn += chunk.length;
    this.lastActivity = Math.max(this.lastActivity, performance.now());
    const w = this.waiter;
    if (!w) {
      // Late reply after a timeout, or noise: counted and dropped.
      this.stats.strayBytes += chunk.length;
      this.decoder.reset();
      return;
    }
    for (const ev of this.decoder.push(chunk)) {
      if (ev.type === 'frame') { w.done({ kind: 'frame', pdu: ev.pdu, unit: ev.unit }); return; }
      if (ev.type === 'crc') { w.done({ kind: 'crc' }); return; }
      this.stats.strayBytes += ev.bytes;
    }
  }
}
