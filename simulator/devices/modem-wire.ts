/**
 * The simulated modem's side of the wire: command lines in (with echo while ATE1), one command
 * at a time with its latency (× the time scale, + the `slow` fault), replies and URCs out, line
 * noise, and the timers a reboot or power cut cancels. SimModem (modem.ts) adds the behaviour.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { SerialLink } from '../../device/serial/serial-link.js';
import type { SerialPair } from '../serial/serial-pair.js';
import { seededRandom } from '../../lib/seeded-random.js';
import type { AtOutcome } from './modem-at.js';
import { initialState, SimModemPower, type SimModemState } from './modem-sim-state.js';

export interface SimModemWireOptions {
  pair: SerialPair;
  logger: Logger;
  timeScale?: number;
  pin?: string;
  puk?: string;
  seed?: number;
}

export abstract class SimModemWire extends EventEmitter<{ power: [SimModemPower] }> {
  readonly s: SimModemState;
  readonly stats = { commands: 0, replies: 0, urcs: 0, reboots: 0, powerCycles: 0, garbageBytes: 0, ignoredBytes: 0 };
  protected readonly serial: SerialLink;
  protected readonly scale: number;
  protected readonly rnd: () => number;
  protected readonly log: Logger;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly queue: string[] = [];
  private busy = false;
  private inbuf = '';

  constructor(w: SimModemWireOptions) {
    super();
    this.scale = w.timeScale ?? 0.1;
    this.rnd = seededRandom(w.seed ?? 7);
    this.s = initialState(() => performance.now(), w.pin ?? '1234', w.puk ?? '12345678');
    this.log = w.logger.child({ device: 'sim-modem' });
    this.serial = new SerialLink({
      path: w.pair.devicePath, baudRate: 115200, name: 'sim-modem', logger: w.logger, binding: w.pair.binding, backoff: { initialMs: 20, maxMs: 200 },
    });
    this.serial.on('data', (c) => this.onBytes(c));
    this.serial.on('open', () => this.onPortOpen());
  }

  /** What the modem answers to one command line. */
  protected abstract interpretCommand(command: string): AtOutcome;

  /** The device end of the port opened (again). */
  protected abstract onPortOpen(): void;

  /** Forgets half-received input and queued commands (boot, hang). */
  protected resetWire(): void {
    this.queue.length = 0;
    this.busy = false;
    this.inbuf = '';
  }

  // ── wire ───────────────────────────────────────────────────────────────────────────────────

  protected onBytes(chunk: Buffer): void {
    if (this.s.power !== SimModemPower.On || this.s.faults.hang) {
      this.stats.ignoredBytes += chunk.length;
      return;
    }
    for (const ch of chunk.toString('latin1')) {
      if (ch === '\r') {
        const line = this.inbuf;
        this.inbuf = '';
        if (this.s.echo) this.write(`${line}\r`);
        if (line.trim()) this.queue.push(line.trim());
      } else if (ch !== '\n') {
        this.inbuf = this.inbuf.length < 1024 ? this.inbuf + ch : this.inbuf;
      }
    }
    this.next();
  }

  private next(): void {
    if (this.busy) return;
    const cmd = this.queue.shift();
    if (cmd === undefined) return;
    this.busy = true;
    this.stats.commands++;
    const out = this.interpretCommand(cmd);
    const send = () => {
      this.busy = false;
      if (this.s.power !== SimModemPower.On || this.s.faults.hang) return;
      this.write([...out.lines, out.final].map((l) => `\r\n${l}\r\n`).join(''));
      this.stats.replies++;
      out.after?.();
      this.next();
    };
    const delay = out.latencyMs * this.scale + this.s.faults.slowMs;
    if (delay <= 0) send();
    else this.later(delay, send, false);
  }

  protected urc(line: string): void {
    if (this.s.power !== SimModemPower.On || this.s.faults.hang) return;
    this.stats.urcs++;
    this.write(`\r\n${line}\r\n`);
  }

  protected burst(bytes: number): void {
    if (bytes <= 0 || this.s.power !== SimModemPower.On) return;
    // Line noise: high bytes, control characters and line breaks; never a whole "OK" line.
    const b = Buffer.alloc(bytes);
    for (let i = 0; i < bytes; i++) {
      const r = this.rnd();
      b[i] = r < 0.05 ? 0x0d : r < 0.1 ? 0x0a : r < 0.2 ? Math.floor(this.rnd() * 0x20) : 0x80 + Math.floor(this.rnd() * 0x80);
    }
    this.stats.garbageBytes += bytes;
    this.serial.write(b).catch(() => {});
  }

  protected write(text: string): void {
    this.serial.write(Buffer.from(text, 'latin1')).catch(() => {});
  }

  protected setPower(p: SimModemPower): void {
    if (this.s.power === p) return;
    this.s.power = p;
    this.emit('power', p);
  }

  /** A realistic delay, scaled. */
  protected later(realMs: number, f: () => void, scaled = true): void {
    const t = setTimeout(() => { this.timers.delete(t); f(); }, scaled ? realMs * this.scale : realMs);
    this.timers.add(t);
  }

  protected clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.busy = false;
    this.queue.length = 0;
  }
}
