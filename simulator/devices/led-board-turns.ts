/**
 * BoardTurns: the simulated board's side of a 2-wire RS-485 line (docs/protocols/led-link.md §5.5).
 * The board answers only once the host has addressed it and then left the line quiet for the
 * turnaround time; everything it has to say waits for that turn and leaves in one write. Host bytes
 * arriving while the board drives the pair are a collision (counted by the caller, corrupted here).
 */
import { MsgType } from '../../protocols/led-link/messages.js';

export interface BoardTurnsOptions {
  turnaroundMs: number;
  /** Bytes/s on the line. */
  linkRate: number;
  now(): number;
  /** When the host bytes received so far have finished crossing the wire (board clock, ms). */
  hostWireFreeAt(): number;
  /** Host bytes still crossing the wire: the line is not quiet. */
  hostBytesInTransit(): boolean;
  /** Encodes a queued reply at send time (sequence number, FEC level, tx corruption). */
  encode(type: number, payload: Uint8Array): Buffer;
  write(bytes: Buffer): void;
  /** A turn was taken (stats). */
  onTurn(): void;
}

export class BoardTurns {
  private readonly txQueue: { type: number; payload: Uint8Array }[] = [];
  private addressed = false;
  private lastRxAt = 0;
  /** When the bytes the board last put on the line have finished crossing it. */
  private txBusyUntil = 0;
  private turnTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: BoardTurnsOptions) {}

  /** The board is driving the pair now: host bytes arriving are a collision. */
  driving(now: number): boolean {
    return now < this.txBusyUntil;
  }

  /** Both ends drove the pair at once: what the host sent is garbage (§5.5). */
  static garble(data: Buffer): Buffer {
    const out = Buffer.from(data);
    for (let i = 0; i < out.length; i += 7) out[i]! ^= 0x5a;
    return out;
  }

  /** Host bytes finished crossing the wire: the quiet before a turn counts from now. */
  heardHost(now: number): void {
    this.lastRxAt = now;
  }

  /** A host frame (even one whose body failed) addresses the board: it may answer (§5.5). */
  addressedByHost(): void {
    this.addressed = true;
  }

  /** Queues a reply for the next turn. */
  queue(type: number, payload: Uint8Array): void {
    if (type === MsgType.ACK) {
      // ACKs are cumulative: one per turn says it all; the repair counts of the ones it replaces
      // are added in (the host's channel estimate needs them; §3.10, §5.5).
      let corrected = payload[6]! | (payload[7]! << 8);
      for (let i = this.txQueue.length - 1; i >= 0; i--) {
        const q = this.txQueue[i]!;
        if (q.type !== MsgType.ACK) continue;
        corrected += q.payload[6]! | (q.payload[7]! << 8);
        this.txQueue.splice(i, 1);
      }
      payload = Uint8Array.from(payload);
      payload[6] = Math.min(0xffff, corrected) & 0xff;
      payload[7] = Math.min(0xffff, corrected) >> 8;
    }
    this.txQueue.push({ type, payload });
    this.armTurn();
  }

  /** Drops what waited for a turn (a new session or a reboot supersedes it). */
  clearQueue(): void {
    this.txQueue.length = 0;
  }

  /** Power-on: nothing to say, not addressed. */
  reboot(): void {
    this.txQueue.length = 0;
    this.addressed = false;
  }

  stop(): void {
    if (this.turnTimer) clearTimeout(this.turnTimer);
    this.turnTimer = null;
  }

  /** Answers once addressed, with something to say, and the host has left the line quiet. */
  armTurn(): void {
    if (this.turnTimer || !this.addressed || this.txQueue.length === 0) return;
    const turnaround = this.o.turnaroundMs;
    const wait = Math.max(this.lastRxAt + turnaround, this.o.hostWireFreeAt() + turnaround) - this.o.now();
    this.turnTimer = setTimeout(() => {
      this.turnTimer = null;
      if (this.o.hostBytesInTransit() || this.o.now() < Math.max(this.lastRxAt, this.o.hostWireFreeAt()) + turnaround) return this.armTurn();
      const bytes = Buffer.concat(this.txQueue.splice(0).map((q) => this.o.encode(q.type, q.payload)));
      this.addressed = false;
      this.o.onTurn();
      this.txBusyUntil = Math.max(this.o.now(), this.txBusyUntil) + (bytes.length / this.o.linkRate) * 1000;
      this.o.write(bytes);
    }, Math.max(1, Math.ceil(wait)));
  }
}
