/**
 * The simulated RS-485 bus: every simulated Modbus unit behind one serial device (the device end
 * of one PTY pair). A PTY delivers bytes instantly, so the bus emulates the wire
 * (docs/background.md §Field bus devices): a request is "received" only after its bytes would have crossed at
 * the configured baud rate, a slave answers no earlier than t3.5 of silence plus its processing
 * time, and the reply reaches the master when its last byte would have. Faults per unit:
 * silent, CRC-corrupted replies, exception replies.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { SerialLink } from '../../../device/serial/serial-link.js';
import { RtuDecoder, encodeAdu } from '../../../protocols/modbus/rtu.js';
import { decodeRequest, encodeResponse, type ExceptionCode, type Request } from '../../../protocols/modbus/pdu.js';
import { charTimeMs, interFrameMs, type LineSettings } from '../../../protocols/modbus/timing.js';
import type { SerialPair } from '../../serial/serial-pair.js';
import type { SimSlave } from './sim-slave.js';

export interface UnitFaults {
  silent: boolean;
  /** Replies still to corrupt (−1: all until cleared). */
  crcErrors: number;
  /** Exception to answer with, and how many more times (−1: until cleared). */
  exception: { code: ExceptionCode; remaining: number } | null;
}

export interface BusRequestEvent {
  unit: number;
  request: Request;
  /** performance.now() when the last byte of the request would have arrived. */
  at: number;
  answered: boolean;
}

export interface SimBusOptions {
  pair: SerialPair;
  line: LineSettings;
  logger: Logger;
  /** Slave processing time before it starts replying. Default 1 ms. */
  processingMs?: number;
}

export class SimBus extends EventEmitter<{ request: [BusRequestEvent] }> {
  readonly slaves = new Map<number, SimSlave>();
  readonly faults = new Map<number, UnitFaults>();
  readonly stats = { requests: 0, replies: 0, broadcasts: 0, crcErrors: 0, droppedBytes: 0, ignored: 0, garbageBytes: 0, wireBusyMs: 0, occupiedMs: 0, startedAt: performance.now() };
  private readonly serial: SerialLink;
  private readonly decoder = new RtuDecoder('slave');
  private wireFreeAt = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly charMs: number;
  private readonly t35: number;
  private gapTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: SimBusOptions) {
    super();
    this.charMs = charTimeMs(o.line);
    this.t35 = interFrameMs(o.line);
    this.serial = new SerialLink({
      path: o.pair.devicePath, baudRate: o.line.baudRate, name: 'sim-fieldbus', logger: o.logger, binding: o.pair.binding,
      backoff: { initialMs: 50, maxMs: 1000 },
    });
    this.serial.on('data', (c) => this.onWire(c));
    this.serial.on('open', () => { this.decoder.reset(); this.wireFreeAt = 0; });
  }

  get line(): LineSettings {
    return this.o.line;
  }

  add(slave: SimSlave): void {
    this.slaves.set(slave.unit, slave);
    this.faults.set(slave.unit, { silent: false, crcErrors: 0, exception: null });
  }

  start(): void {
    this.serial.start();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.gapTimer) clearTimeout(this.gapTimer);
    await this.serial.stop();
  }

  get isOpen(): boolean {
    return this.serial.isOpen;
  }

  /**
   * Line noise on the RS-485 pair (the simulator's garbage fault: a motor starting, a loose shield):
   * random bytes the master must drop; a reply on the wire at the same time arrives corrupted.
   */
  garbage(n: number): void {
    this.stats.garbageBytes += n;
    this.serial.write(randomBytes(n)).catch(() => {});
  }

  /** Fraction of time the wire carried bytes, and the fraction it was occupied by transactions. */
  utilisation(): { wire: number; occupied: number } {
    const elapsed = performance.now() - this.stats.startedAt;
    return { wire: this.stats.wireBusyMs / elapsed, occupied: this.stats.occupiedMs / elapsed };
  }

  resetStats(): void {
    Object.assign(this.stats, { requests: 0, replies: 0, broadcasts: 0, crcErrors: 0, droppedBytes: 0, ignored: 0, garbageBytes: 0, wireBusyMs: 0, occupiedMs: 0, startedAt: performance.now() });
  }

  private later(atMs: number, f: () => void): void {
    const t = setTimeout(() => { this.timers.delete(t); f(); }, Math.max(0, atMs - performance.now()));
    this.timers.add(t);
  }

  /** Bytes from the master: usable once they would have crossed the wire. */
  private onWire(chunk: Buffer): void {
    const now = performance.now();
    const start = Math.max(this.wireFreeAt, now);
    const end = start + chunk.length * this.charMs;
    this.wireFreeAt = end;
    this.stats.wireBusyMs += end - start;
    const bytes = Buffer.from(chunk);
    this.later(end, () => this.receive(bytes, end));
  }

  private receive(bytes: Buffer, at: number): void {
    for (const ev of this.decoder.push(bytes)) {
      if (ev.type === 'crc') this.stats.crcErrors++;
      else if (ev.type === 'dropped') this.stats.droppedBytes += ev.bytes;
      else this.frame(ev.unit, ev.pdu, at);
    }
    // A real slave ends a frame on t3.5 of silence; here, when nothing more came in time.
    if (this.gapTimer) clearTimeout(this.gapTimer);
    if (this.decoder.pending > 0) {
      this.gapTimer = setTimeout(() => {
        this.gapTimer = null;
        for (const ev of this.decoder.gap()) {
          if (ev.type === 'frame') this.frame(ev.unit, ev.pdu, performance.now());
          else if (ev.type === 'dropped') this.stats.droppedBytes += ev.bytes;
        }
      }, Math.max(2, Math.ceil(this.t35 * 4)));
    }
  }

  private frame(unit: number, pdu: Uint8Array, at: number): void {
    this.stats.requests++;
    const d = decodeRequest(pdu);
    const targets = unit === 0 ? [...this.slaves.values()] : [this.slaves.get(unit)].filter((s): s is SimSlave => !!s);
    if (targets.length === 0) { this.stats.ignored++; return; }
    if (unit === 0) {
      // Broadcast: every slave acts on a write, none answers (serial line spec §2.1).
      this.stats.broadcasts++;
      if (d.ok) for (const s of targets) { if (!this.faults.get(s.unit)!.silent && s.responsive) s.handle(d.request); }
      return;
    }
    const slave = targets[0]!;
    const f = this.faults.get(unit)!;
    if (f.silent || !slave.responsive) { this.stats.ignored++; if (d.ok) this.emit('request', { unit, request: d.request, at, answered: false }); return; }
    let res;
    if (f.exception) {
      res = { fc: pdu[0]!, exception: f.exception.code };
      if (f.exception.remaining > 0 && --f.exception.remaining === 0) f.exception = null;
    } else {
      res = d.ok ? slave.handle(d.request) : { fc: d.fc, exception: d.exception };
    }
    if (d.ok) this.emit('request', { unit, request: d.request, at, answered: true });
    const adu = Buffer.from(encodeAdu(unit, encodeResponse(res)));
    if (f.crcErrors !== 0) {
      adu[adu.length - 1]! ^= 0x5a;
      if (f.crcErrors > 0) f.crcErrors--;
    }
    const replyStart = Math.max(at + this.t35 + (this.o.processingMs ?? 1), this.wireFreeAt);
    const replyEnd = replyStart + adu.length * this.charMs;
    this.wireFreeAt = replyEnd;
    this.stats.wireBusyMs += replyEnd - replyStart;
    // Occupied from the request's first byte to the reply's last, plus the silence after it.
    this.stats.occupiedMs += replyEnd - (at - (pdu.length + 3) * this.charMs) + this.t35;
    this.later(replyEnd, () => {
      this.stats.replies++;
      this.serial.write(adu).catch(() => {});
    });
  }
}
