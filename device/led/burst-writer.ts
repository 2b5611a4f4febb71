/**
 * BurstWriter: how the LED link's frames reach the serial port (docs/protocols/led-link.md §6.2, §5.5).
 * Frames produced in one synchronous run (a clock change's BLITs and PRESENT, a retransmission
 * and the frames behind it) leave in one write: each write is a round trip through the OS (and
 * a wake-up of the board's reader), which on a loaded host costs more than the bytes (§6.2).
 * Half duplex: frames wait for the host's turn and leave as one burst per turn (§5.5).
 */
import type { LineTurns } from './line-turns.js';
import { nextTick } from '../../lib/next-tick.js';

export interface BurstWriterOptions {
  write(bytes: Buffer): void;
  /** Half duplex only: whose turn it is on the line; null on a full-duplex line. */
  turns: LineTurns | null;
  /** Half duplex: most bytes one burst carries. */
  burstBytes(): number;
  /** The sender yielded to the event loop mid-window: more of this burst is still being encoded. */
  encoding(): boolean;
  /** Half duplex: how long the board may take to answer a burst written now, ms. */
  answerWithinMs(): number;
}

export class BurstWriter {
  private batch: Buffer[] = [];
  /** In this turn, after the synchronous run that produced the frames. */
  private readonly flushSoon = nextTick(() => this.flush(), 'microtask');

  constructor(private readonly o: BurstWriterOptions) {}

  /** Frames waiting for the next write. */
  get pending(): number {
    return this.batch.length;
  }

  write(bytes: Buffer): void {
    this.batch.push(bytes);
    this.scheduleFlush();
  }

  scheduleFlush(): void {
    this.flushSoon();
  }

  flush(): void {
    if (this.batch.length === 0) return;
    // Half duplex: wait for our turn, and send the window as one burst (the pump is still
    // encoding it while a continuation is queued) — every burst costs a turnaround (§5.5).
    const turns = this.o.turns;
    if (!turns) {
      const batch = this.batch;
      this.batch = [];
      this.o.write(batch.length === 1 ? batch[0]! : Buffer.concat(batch));
      return;
    }
    const burst = this.o.burstBytes();
    let queued = 0;
    for (const b of this.batch) queued += b.length;
    if (!turns.hostTurn || (this.o.encoding() && queued < burst)) return;
    let n = 0;
    let size = 0;
    while (n < this.batch.length && (n === 0 || size + this.batch[n]!.length <= burst)) size += this.batch[n++]!.length;
    const batch = this.batch.splice(0, n);
    turns.burst(batch.length === 1 ? batch[0]! : Buffer.concat(batch), this.o.answerWithinMs());
  }
}
