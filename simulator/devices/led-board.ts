/**
 * The simulated LED driver board: the board side of docs/protocols/led-link.md on the device end
 * of a serial pair. Emulates the wire (bytes arrive at `linkRate` bytes/s), its own decode time
 * (a microcontroller cost model, §8.3), sensors (ambient light from the sun's height, temperature,
 * supply), STATUS/FAULT reports, and injects faults on request (corrupt bytes, dropped frames,
 * stalls, resets, failed modules) — see ledBoardFaults() for the /api/faults names. Collaborators:
 * BoardReceiver (receive window, ACK/NAK), BoardTurns (half-duplex answers, §5.5), LedPanel
 * (buffers, brightness), led-board-cost.ts (decode time), led-board-injected.ts (line faults),
 * led-board-sensors.ts (light, temperature).
 */
import { EventEmitter } from 'node:events';
import { randomBytes, randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { FrameDecoder, encodeFrame, type RawFrame } from '../../protocols/led-link/frame.js';
import { CapsReason, Feature, FaultCode, MsgType, NakReason, PixelFormat, TestPattern, encodeCaps, encodeFault, encodeStatus, type Fault } from '../../protocols/led-link/messages.js';
import { SerialLink } from '../../device/serial/serial-link.js';
import type { SerialPair } from '../serial/serial-pair.js';
import { BoardReceiver } from './led-board-receiver.js';
import { LedPanel, type PresentRecord } from './led-panel.js';
import { decodeCostMs, defaultCost, worstBlit, type DecodeCostModel } from './led-board-cost.js';
import { NO_FAULTS, corruptBytes, type InjectedFaults } from './led-board-injected.js';
import { OVER_TEMPERATURE_C, WUHAN, daylightLux, enclosureTemperatureC } from './led-board-sensors.js';
import { BoardTurns } from './led-board-turns.js';
import { WireDelay } from './led-board-wire.js';
import { BOARD_CODECS, applyFrame } from './led-board-apply.js';
import { nextTick } from '../../lib/next-tick.js';

export interface SimLedBoardOptions {
  pair: SerialPair;
  width: number;
  height: number;
  logger: Logger;
  /** Bytes/s the emulated wire carries. Default 1,000,000. */
  linkRate?: number;
  maxPayload?: number;
  rxWindow?: number;
  firmware?: string;
  moduleCols?: number;
  moduleRows?: number;
  /** Microcontroller decode-time model; `null` = no emulated decode time. */
  cost?: Partial<DecodeCostModel> | null;
  /**
   * 2-wire RS-485 (docs/protocols/led-link.md §5.5): answer only when the host has addressed the
   * board and then left the line quiet for `turnaroundMs`; host bytes arriving while the board
   * drives the line are a collision (counted, and they arrive corrupted). Default: full duplex.
   */
  halfDuplex?: { turnaroundMs?: number };
  /** Where the pole stands, for the daylight model of the light sensor. Default Wuhan. */
  location?: { lat: number; lon: number };
  now?: () => number;
}

export interface BoardPresent {
  frameId: number;
  at: number;
}

// Long enough for a host whose event loop is busy (rendering) between two writes of one frame.
const INTER_BYTE_TIMEOUT_MS = 500;

export class SimLedBoard extends EventEmitter<{ presented: [BoardPresent] }> {
  readonly panel: LedPanel;
  readonly linkRate: number;
  faults: InjectedFaults = { ...NO_FAULTS };
  private readonly serial: SerialLink;
  private readonly receiver: BoardReceiver;
  private decoder: FrameDecoder;
  private readonly wire: WireDelay;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly cpuQueue: RawFrame[] = [];
  private cpuBusy = false;
  private cpuFreeAt = 0;
  private statusTimer: NodeJS.Timeout | null = null;
  private txSeq = 1;
  private replyFec = 8;
  private bootId = 0;
  private bootedAt = 0;
  private activeFaults = 0;
  /** performance.now() of the first PRESENT since this process started (startup benchmarks). */
  private firstPresentMs: number | null = null;
  readonly stats = { frames: 0, rxErrors: 0, bytes: 0, boots: 0, corruptedBytes: 0, droppedFrames: 0, stalledBytes: 0, fecCorrected: 0, naks: 0, idleDrops: 0, falseSyncs: 0, blits: 0, presents: 0, garbageBytes: 0, turns: 0, collisions: 0 };
  private readonly maxPayload: number;
  private readonly rxWindow: number;
  private readonly cost: DecodeCostModel | null;
  private readonly now: () => number;
  /** Half duplex only: when the board may answer (§5.5). */
  private readonly turns: BoardTurns | null = null;
  private readonly ackSoon = nextTick(() => this.receiver.ackNow(), 'microtask');

  constructor(private readonly o: SimLedBoardOptions) {
    super();
    this.panel = new LedPanel({ width: o.width, height: o.height, moduleCols: o.moduleCols ?? 3, moduleRows: o.moduleRows ?? 5 });
    this.linkRate = o.linkRate ?? 1_000_000;
    this.maxPayload = o.maxPayload ?? 8192;
    this.rxWindow = o.rxWindow ?? 16;
    this.cost = o.cost === null ? null : { ...defaultCost(), ...o.cost };
    this.now = o.now ?? (() => performance.now());
    this.decoder = new FrameDecoder(this.maxPayload);
    this.wire = new WireDelay({ linkRate: this.linkRate, now: this.now, arrived: (c) => this.onBytes(c) });
    this.receiver = new BoardReceiver(this.rxWindow, {
      reply: (t, p) => this.reply(t, p),
      deliver: (f) => {
        const waits = this.cpuBusy || this.cpuQueue.length > 0;
        this.cpuQueue.push(f);
        this.runCpu();
        if (waits) this.deferAck();
      },
      hello: (f) => this.onHello(f),
    });
    this.serial = new SerialLink({
      path: o.pair.devicePath, baudRate: 1_000_000, name: 'sim-led-board', logger: o.logger, binding: o.pair.binding,
      backoff: { initialMs: 50, maxMs: 1000 },
    });
    if (o.halfDuplex) {
      this.turns = new BoardTurns({
        turnaroundMs: o.halfDuplex.turnaroundMs ?? 2, linkRate: this.linkRate, now: this.now,
        hostWireFreeAt: () => this.wire.freeAt, hostBytesInTransit: () => this.wire.inTransit,
        encode: (t, p) => this.encodeReply(t, p), write: (b) => { this.serial.write(b).catch(() => {}); },
        onTurn: () => { this.stats.turns++; },
      });
    }
    this.serial.on('open', () => this.boot());
    this.serial.on('data', (c) => this.onWire(c));
  }

  /** The decoded front buffer (what PRESENT last put up). */
  get front(): Uint16Array {
    return this.panel.front;
  }

  /** Every PRESENT the board carried out, with the CRC-32 of the picture it showed. */
  get presents(): readonly PresentRecord[] {
    return this.panel.presents;
  }

  start(): void {
    this.serial.start();
  }

  async stop(): Promise<void> {
    for (const t of [this.idleTimer, this.statusTimer]) if (t) clearTimeout(t);
    this.idleTimer = this.statusTimer = null;
    this.wire.stop();
    this.turns?.stop();
    await this.serial.stop();
  }

  /** Power-on: blank buffers, no session, announce capabilities unprompted. */
  boot(): void {
    this.stats.boots++;
    this.bootId = randomInt(1, 0xffffffff);
    this.bootedAt = this.now();
    this.panel.blank();
    this.receiver.reboot();
    this.decoder = new FrameDecoder(this.maxPayload);
    this.wire.drop();
    this.cpuQueue.length = 0;
    this.cpuFreeAt = 0;
    this.turns?.reboot();
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.statusTimer = null;
    this.sendCaps(CapsReason.BOOT, 0);
  }

  /** The panel as a camera pointed at it would see it at full brightness, as PNG. */
  screenPng(): Buffer {
    return this.panel.panelPng();
  }

  state(): Record<string, unknown> {
    const now = this.now();
    return {
      open: this.serial.isOpen, width: this.o.width, height: this.o.height, linkRate: this.linkRate, maxPayload: this.maxPayload, rxWindow: this.rxWindow,
      session: this.receiver.hasSession, lastPresented: this.panel.lastFrameId, firstPresentMs: this.firstPresentMs,
      brightness: this.panel.brightness(now), testPattern: this.panel.testPattern.pattern, failedModules: [...this.panel.failedModules],
      ambientLux: this.lux(), temperatureC: this.temperature(now),
      faults: { ...this.faults, stalled: this.faults.stalledUntil > now },
      ...this.stats, ...this.panel.counters, receiver: this.receiver.stats,
    };
  }

  // --- faults (exposed through /api/faults by ledBoardFaults) ---------------------------------

  setModuleFailed(module: number, failed: boolean): void {
    if (module < 0 || module >= this.panel.moduleCount) throw new RangeError(`module ${module} outside 0…${this.panel.moduleCount - 1}`);
    if (failed === this.panel.failedModules.has(module)) return;
    if (failed) this.panel.failedModules.add(module);
    else this.panel.failedModules.delete(module);
    this.reportFault({ code: FaultCode.MODULE, active: failed, module, value: 0 });
  }

  setTemperature(c: number | null): void {
    this.faults.temperatureOverride = c;
    this.checkTemperature();
  }

  /**
   * Line noise from the board (the simulator's garbage fault): bytes the host's frame decoder must
   * skip.
   */
  garbage(n: number): void {
    this.stats.garbageBytes += n;
    this.serial.write(randomBytes(n)).catch(() => {});
  }

  clearFaults(): void {
    this.faults = { ...NO_FAULTS };
    for (const m of [...this.panel.failedModules]) this.setModuleFailed(m, false);
    this.checkTemperature();
  }

  // --- wire ------------------------------------------------------------------------------------

  /** Bytes from the host: a hung board loses them, noise and collisions corrupt them, then the wire delays them. */
  private onWire(chunk: Buffer): void {
    const now = this.now();
    if (this.faults.stalledUntil > now) {
      // A hung controller: its UART overruns and the bytes are gone.
      this.stats.stalledBytes += chunk.length;
      return;
    }
    let data = this.corrupt(chunk, 'rx');
    if (this.turns?.driving(now)) {
      // Both ends drive the pair at once: what the host sent is garbage (§5.5).
      this.stats.collisions++;
      data = BoardTurns.garble(data);
    }
    this.wire.push(data, now);
  }

  private corrupt(chunk: Buffer, dir: 'rx' | 'tx'): Buffer {
    const r = corruptBytes(chunk, this.faults, dir);
    this.stats.corruptedBytes += r.corrupted;
    return r.bytes;
  }

  private onBytes(chunk: Buffer): void {
    this.stats.bytes += chunk.length;
    this.turns?.heardHost(this.now());
    for (const r of this.decoder.push(chunk)) this.onDecoded(r);
    this.turns?.armTurn();
    this.stats.falseSyncs = this.decoder.stats.falseSyncs;
    // A frame left half-received for longer than the inter-byte timeout is given up (§2.4).
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.decoder.midFrame) {
      this.idleTimer = setTimeout(() => {
        this.idleTimer = null;
        if (!this.wire.inTransit) {
          this.stats.idleDrops++;
          for (const r of this.decoder.dropPartial()) this.onDecoded(r);
        }
      }, INTER_BYTE_TIMEOUT_MS);
    }
  }

  private onDecoded(r: ReturnType<FrameDecoder['push']>[number]): void {
    this.turns?.addressedByHost();
    if (!r.ok) {
      this.stats.rxErrors++;
      // The line is noisy: protect our answers at least at level 8 (§5.3).
      this.replyFec = Math.max(8, this.replyFec, r.fec);
      if (r.error === 'too-long') this.receiver.refuse(r.seq, NakReason.TOO_LONG);
      else this.receiver.onBodyFailure(r.seq);
      return;
    }
    if (this.faults.dropRate > 0 && Math.random() < this.faults.dropRate) {
      this.stats.droppedFrames++;
      return;
    }
    this.stats.frames++;
    this.stats.fecCorrected += r.frame.corrected;
    this.replyFec = r.frame.fec;
    this.receiver.onFrame(r.frame);
  }

  private reply(type: number, payload: Uint8Array): void {
    if (type === MsgType.NAK) this.stats.naks++;
    if (this.faults.stalledUntil > this.now()) return;
    if (this.turns) this.turns.queue(type, payload);
    else this.serial.write(this.encodeReply(type, payload)).catch(() => {});
  }

  private encodeReply(type: number, payload: Uint8Array): Buffer {
    const bytes = this.corrupt(encodeFrame(type, this.txSeq, payload, this.replyFec), 'tx');
    this.txSeq = (this.txSeq + 1) & 0xffff;
    return bytes;
  }

  /** One "received, decoding" ACK per burst of frames that queue behind the decoder. */
  private deferAck(): void {
    this.ackSoon();
  }

  // --- decoder (the board's CPU) ---------------------------------------------------------------

  /** Frames are decoded one at a time, each taking at least its modelled microcontroller time. */
  private runCpu(): void {
    if (this.cpuBusy) return;
    const f = this.cpuQueue.shift();
    if (!f) return;
    this.cpuBusy = true;
    const now = this.now();
    const start = Math.max(now, this.cpuFreeAt);
    this.cpuFreeAt = start + (this.cost ? decodeCostMs(this.cost, f) : 0);
    const finish = () => {
      const boot = this.bootId;
      const reason = this.apply(f);
      this.cpuBusy = false;
      if (boot === this.bootId) this.receiver.done(f.seq, reason);
      this.runCpu();
    };
    const wait = this.cpuFreeAt - now;
    if (wait >= 1) setTimeout(finish, wait);
    else finish();
  }

  private apply(f: RawFrame): number {
    const now = this.now();
    if (this.faults.stalledUntil > now) return 0;
    const r = applyFrame(this.panel, f, now);
    switch (r.effect) {
      case 'blit': this.stats.blits++; break;
      case 'present':
        this.stats.presents++;
        this.firstPresentMs ??= now;
        this.emit('presented', { frameId: r.frameId, at: now });
        break;
      case 'status-requested': queueMicrotask(() => this.sendStatus()); break;
      case 'reset-requested': setTimeout(() => this.boot(), 50); break; // after the ACK has gone out
      case 'none': break;
    }
    return r.reason;
  }

  // --- session, status, faults -----------------------------------------------------------------

  private onHello(f: RawFrame): void {
    // Half duplex: what waited for a turn (a boot announcement) is superseded by this session.
    this.turns?.clearQueue();
    this.cpuQueue.length = 0;
    this.cpuBusy = false;
    this.sendCaps(CapsReason.HELLO, f.seq);
    const interval = f.payload.length >= 4 ? f.payload[2]! | (f.payload[3]! << 8) : 0;
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.statusTimer = null;
    if (interval > 0) {
      this.statusTimer = setInterval(() => this.sendStatus(), Math.max(100, interval));
      this.statusTimer.unref?.();
    }
  }

  private sendCaps(reason: number, helloSeq: number): void {
    this.reply(MsgType.CAPS, encodeCaps({
      reason, helloSeq, version: 2, width: this.o.width, height: this.o.height, pixelFormat: PixelFormat.RGB565, maxPayload: this.maxPayload,
      rxWindow: this.rxWindow, codecs: BOARD_CODECS,
      features: Feature.VERIFY_CRC | Feature.AMBIENT_LIGHT | Feature.TEMPERATURE | Feature.SUPPLY_VOLTAGE | Feature.TEST_PATTERNS | Feature.BRIGHTNESS_RAMP,
      maxFec: 32, moduleCols: this.o.moduleCols ?? 3, moduleRows: this.o.moduleRows ?? 5,
      decodeMs: Math.ceil(this.cost ? decodeCostMs(this.cost, { type: MsgType.BLIT, seq: 0, fec: 32, payload: worstBlit(this.maxPayload), corrected: 0 }, 65536) : 5),
      bootId: this.bootId, firmware: this.o.firmware ?? 'sim-board 2.0',
    }));
  }

  private sendStatus(): void {
    const now = this.now();
    this.checkTemperature();
    this.reply(MsgType.STATUS, encodeStatus({
      bootId: this.bootId, uptimeS: Math.floor((now - this.bootedAt) / 1000), temperatureC: this.temperature(now), supplyMv: 5020,
      ambientLux: this.lux(), brightness: this.panel.brightness(now), testPattern: this.panel.testPattern.pattern as TestPattern,
      lastFrameId: this.panel.lastFrameId, presents: this.panel.counters.presents, blits: this.panel.counters.blits,
      rxFrames: this.stats.frames, rxErrors: this.stats.rxErrors, fecCorrected: this.stats.fecCorrected,
      faults: this.activeFaults, moduleCount: this.panel.moduleCount, failedModules: [...this.panel.failedModules],
    }));
  }

  private reportFault(f: Fault): void {
    const bit = 1 << (f.code - 1);
    const moduleBit = f.code === FaultCode.MODULE ? this.panel.failedModules.size > 0 : f.active;
    this.activeFaults = moduleBit ? this.activeFaults | bit : this.activeFaults & ~bit;
    if (this.receiver.hasSession) this.reply(MsgType.FAULT, encodeFault(f));
  }

  private checkTemperature(): void {
    const t = this.temperature(this.now());
    const over = t >= OVER_TEMPERATURE_C;
    const was = (this.activeFaults & (1 << (FaultCode.OVER_TEMPERATURE - 1))) !== 0;
    if (over !== was) this.reportFault({ code: FaultCode.OVER_TEMPERATURE, active: over, module: 0xff, value: Math.round(t * 10) });
  }

  /** Enclosure temperature: ambient plus LED heat at the current brightness. */
  private temperature(now: number): number {
    return this.faults.temperatureOverride ?? enclosureTemperatureC(this.panel.brightness(now));
  }

  /** Light sensor: daylight from the sun's height at the pole now (wall clock: the board's own clock is monotonic). */
  private lux(): number {
    return this.faults.luxOverride ?? daylightLux(new Date(), this.o.location ?? WUHAN);
  }
}
