/**
 * SimOnbonCard: an Onbon BX-5E/6E controller card as its manual describes it (docs/protocols/
 * onbon.md §9), on the device end of a serial pair. Bytes cross the RS-485 wire at the configured
 * baud (10 bits a byte, both ways); frames are checked (address, device type, CRC, receive
 * buffer), requests answered with ACK or NACK and the card's error number; dynamic areas live in
 * RAM (lost at reset) within the card's limits (areas, bytes per area). Faults: corrupted bytes,
 * silence, a reset, forced NACKs.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { SerialLink } from '../../device/serial/serial-link.js';
import { encodeFrame, OnbonFrameDecoder, type OnbonFrame } from '../../protocols/onbon/frame.js';
import { ANY_ADDRESS, ANY_DEVICE, DEVICE_TYPES, generationOf, HOST_ADDRESS, PROTOCOL_VERSION, type OnbonModel } from '../../protocols/onbon/header.js';
import { ack, Cmd, decodeBrightness, decodeDeleteAreas, decodeRequest, encodeResponse, Group, nack, OnbonErr, type OnbonBrightness, type OnbonResponse } from '../../protocols/onbon/messages.js';
import { decodeWriteArea } from '../../protocols/onbon/areas.js';
import type { SignBitmap, SignColours } from '../../protocols/onbon/bitmap.js';
import type { SerialPair } from '../serial/serial-pair.js';
import { WireDelay } from './led-board-wire.js';
import { corruptBytes, NO_FAULTS, type InjectedFaults } from './led-board-injected.js';
import { CardScreen } from './onbon-card-screen.js';

export interface SimOnbonCardOptions {
  pair: SerialPair;
  logger: Logger;
  model: OnbonModel;
  address: number;
  width: number;
  height: number;
  colours: SignColours;
  /** 9600 … 57600 on a real card's RS-485 port. */
  baudRate: number;
  /** Dynamic areas the card holds (vendor: 4 on a 5E, 32 on a 6E). */
  maxAreas?: number;
  /** Bitmap bytes one area may hold (vendor: 300 KiB). */
  maxAreaBytes?: number;
  /** Receive buffer: a longer frame is refused with ERR_MEMORYVOLUME. */
  rxBufferBytes?: number;
  /** Time the card takes to act on a request before answering, ms. */
  processingMs?: number;
  /** Time a reset keeps the card deaf, ms. */
  bootMs?: number;
}

export interface SimOnbonFaults extends InjectedFaults {
  /** Probability that a frame (a host write, or an answer) has one byte flipped on the wire. */
  corruptFrameRate: number;
  /** NACK the next n requests with this error. */
  nack: { error: number; count: number } | null;
}

export class SimOnbonCard extends EventEmitter<{ changed: [] }> {
  readonly screen: CardScreen;
  faults: SimOnbonFaults = { ...NO_FAULTS, corruptFrameRate: 0, nack: null };
  brightness: OnbonBrightness = { mode: 'manual', level: 15 };
  readonly stats = { frames: 0, badFrames: 0, acks: 0, nacks: 0, resets: 0, areaWrites: 0, bytesIn: 0 };
  private readonly serial: SerialLink;
  private readonly decoder: OnbonFrameDecoder;
  private readonly wire: WireDelay;
  private deafUntil = 0;
  private txFreeAt = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly now = () => performance.now();

  constructor(private readonly o: SimOnbonCardOptions) {
    super();
    this.screen = new CardScreen(o.width, o.height, o.colours, generationOf(o.model));
    this.decoder = new OnbonFrameDecoder({ maxFrameBytes: 2 * (o.rxBufferBytes ?? 64 * 1024) });
    this.wire = new WireDelay({ linkRate: o.baudRate / 10, now: this.now, arrived: (c) => this.onArrived(c) });
    this.serial = new SerialLink({
      path: o.pair.devicePath, baudRate: o.baudRate, name: 'sim-onbon', logger: o.logger, binding: o.pair.binding, backoff: { initialMs: 50, maxMs: 1000 },
    });
    this.serial.on('data', (c) => {
      this.stats.bytesIn += c.length;
      this.wire.push(this.garble(corruptBytes(c, this.faults, 'rx').bytes), this.now());
    });
  }

  get model(): OnbonModel { return this.o.model; }
  get maxAreas(): number { return this.o.maxAreas ?? (generationOf(this.o.model) === 5 ? 4 : 32); }

  start(): void { this.serial.start(); }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.wire.stop();
    await this.serial.stop();
  }

  /** What the sign shows now. */
  shown(): SignBitmap {
    return this.screen.compose(this.now());
  }

  /** Power cycle: RAM areas gone, deaf while it boots. */
  reset(): void {
    this.stats.resets++;
    this.screen.delete('all');
    this.wire.drop();
    this.decoder.reset();
    this.deafUntil = this.now() + (this.o.bootMs ?? 1500);
    this.emit('changed');
  }

  /** Deaf and mute for ms (a hung card). */
  silence(ms: number): void {
    this.deafUntil = this.now() + ms;
  }

  clearFaults(): void {
    this.faults = { ...NO_FAULTS, corruptFrameRate: 0, nack: null };
    this.deafUntil = 0;
  }

  state(): Record<string, unknown> {
    return {
      open: this.serial.isOpen, model: this.o.model, address: this.o.address, width: this.o.width, height: this.o.height, colours: this.o.colours,
      baudRate: this.o.baudRate, maxAreas: this.maxAreas, brightness: this.brightness, stats: { ...this.stats },
      areas: [...this.screen.areas.values()].map((s) => ({ id: s.area.id, x: s.area.x, y: s.area.y, w: s.area.w, h: s.area.h, pages: s.pages.length })),
      faults: { corruptRate: this.faults.corruptRate, corruptFrameRate: this.faults.corruptFrameRate, deaf: this.deafUntil > this.now(), nack: this.faults.nack },
    };
  }

  /** One flipped byte in a write, with the frame corruption probability. */
  private garble(b: Buffer): Buffer {
    if (this.faults.corruptFrameRate <= 0 || Math.random() >= this.faults.corruptFrameRate || b.length === 0) return b;
    const out = Buffer.from(b);
    const i = Math.floor(Math.random() * out.length);
    out[i] = out[i]! ^ (1 + Math.floor(Math.random() * 255));
    return out;
  }

  private onArrived(chunk: Buffer): void {
    if (this.now() < this.deafUntil) { this.decoder.reset(); return; }
    for (const r of this.decoder.push(chunk)) {
      if (!r.ok) {
        this.stats.badFrames++;
        // A frame whose bytes arrived but do not check: the card says so (it cannot trust the address, but answers the line).
        if (r.error === 'crc') this.answer(nack(OnbonErr.CHECKSUM));
        else if (r.error === 'too-long') this.answer(nack(OnbonErr.MEMORY));
        continue;
      }
      this.stats.frames++;
      this.onFrame(r.frame);
    }
  }

  private onFrame(f: OnbonFrame): void {
    const { header } = f;
    if (header.dst !== this.o.address && header.dst !== ANY_ADDRESS && header.dst !== 0xffff) return;
    if (header.protocol !== PROTOCOL_VERSION) return this.answer(nack(OnbonErr.OUT_OF_GROUP));
    if (header.deviceType !== DEVICE_TYPES[this.o.model] && header.deviceType !== ANY_DEVICE) return this.answer(nack(17));
    if (header.dataLen + 18 > (this.o.rxBufferBytes ?? 64 * 1024)) return this.answer(nack(OnbonErr.MEMORY));
    const req = decodeRequest(f.data);
    if (!req) return this.answer(nack(OnbonErr.NO_CMD));
    if (this.faults.nack && this.faults.nack.count > 0) {
      this.faults.nack.count--;
      const e = this.faults.nack.error;
      if (this.faults.nack.count === 0) this.faults.nack = null;
      return this.answer(nack(e));
    }
    const r = this.execute(req.group, req.cmd, req.body);
    if (req.rtnReq === 1) this.answer(r);
  }

  private execute(group: number, cmd: number, body: Uint8Array): OnbonResponse {
    if (group === Group.SYSTEM) {
      if (cmd === Cmd.PING) return ack();
      if (cmd === Cmd.BRIGHTNESS) {
        const b = decodeBrightness(body);
        if (!b) return nack(OnbonErr.SCREEN_PARA);
        this.brightness = b;
        this.emit('changed');
        return ack();
      }
      return nack(OnbonErr.NO_CMD);
    }
    if (group !== Group.AREA) return nack(OnbonErr.OUT_OF_GROUP);
    if (cmd === Cmd.DELETE_AREAS) {
      const ids = decodeDeleteAreas(body);
      if (!ids) return nack(OnbonErr.SCREEN_PARA);
      this.screen.delete(ids);
      this.emit('changed');
      return ack();
    }
    if (cmd !== Cmd.WRITE_AREAS) return nack(OnbonErr.NO_CMD);
    const d = decodeWriteArea(this.screen.gen, body);
    if (!d.ok) { this.o.logger.debug({ reason: d.reason }, 'sim onbon: bad area'); return nack(OnbonErr.SCREEN_PARA); }
    for (const a of d.areas) {
      if (a.id >= this.maxAreas) return nack(OnbonErr.SCREEN_PARA);
      if (a.pages.reduce((n, p) => n + p.data.length, 0) > (this.o.maxAreaBytes ?? 300 * 1024)) return nack(OnbonErr.MEMORY);
      const held = new Set([...this.screen.areas.keys(), a.id]);
      if (held.size > this.maxAreas) return nack(OnbonErr.MEMORY);
    }
    const now = this.now();
    for (const a of d.areas) {
      const why = this.screen.put(a, now);
      if (why) { this.o.logger.debug({ reason: why }, 'sim onbon: area refused'); return nack(OnbonErr.SCREEN_PARA); }
      this.stats.areaWrites++;
    }
    this.emit('changed');
    return ack();
  }

  /** Sends a response after the card's processing time, at the line's speed. */
  private answer(r: OnbonResponse): void {
    if (r.group === Group.ACK && r.cmd === Cmd.ACK) this.stats.acks++; else this.stats.nacks++;
    const frame = encodeFrame({ dst: HOST_ADDRESS, src: this.o.address, protocol: PROTOCOL_VERSION, deviceType: DEVICE_TYPES[this.o.model] }, encodeResponse(r));
    const start = Math.max(this.now() + (this.o.processingMs ?? 5), this.txFreeAt);
    this.txFreeAt = start + (frame.length * 10 * 1000) / this.o.baudRate;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.now() < this.deafUntil) return;
      this.serial.write(this.garble(corruptBytes(frame, this.faults, 'tx').bytes)).catch(() => {});
    }, Math.max(0, this.txFreeAt - this.now()));
    this.timers.add(t);
  }
}
