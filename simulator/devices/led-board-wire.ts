/**
 * WireDelay: the simulated LED board's view of the wire's speed (docs/protocols/led-link.md §8.3).
 * A PTY hands over bytes as fast as the host writes them; a real line carries `linkRate` bytes/s.
 * Each chunk becomes usable only after the bytes before it have crossed, in order.
 */
export interface WireDelayOptions {
  /** Bytes/s the emulated wire carries. */
  linkRate: number;
  now(): number;
  /** A chunk has finished crossing the wire. */
  arrived(chunk: Buffer): void;
}

export class WireDelay {
  /** When the bytes accepted so far have finished crossing the wire (ms, board clock). */
  freeAt = 0;
  private readonly queue: { at: number; chunk: Buffer }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;

  constructor(private readonly o: WireDelayOptions) {}

  /** Bytes still crossing the wire. */
  get inTransit(): boolean {
    return this.queue.length > 0;
  }

  push(chunk: Buffer, now: number): void {
    this.freeAt = Math.max(this.freeAt, now) + (chunk.length / this.o.linkRate) * 1000;
    this.queue.push({ at: this.freeAt, chunk });
    this.schedule();
  }

  /** Forgets bytes still on the wire (the board rebooted: its UART buffer is gone). */
  drop(): void {
    this.queue.length = 0;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  private schedule(): void {
    if (this.timer || this.immediate || this.queue.length === 0) return;
    const wait = Math.max(0, this.queue[0]!.at - this.o.now());
    const run = () => {
      this.timer = null;
      this.immediate = null;
      const now = this.o.now();
      while (this.queue.length && this.queue[0]!.at <= now + 0.5) this.o.arrived(this.queue.shift()!.chunk);
      this.schedule();
    };
    // Timers cannot wait less than ~1 ms; a byte time shorter than that is served on the next turn.
    if (wait >= 1) this.timer = setTimeout(run, wait);
    else this.immediate = setImmediate(run);
  }
}
