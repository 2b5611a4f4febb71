/**
 * LineTurns: who may talk on a half-duplex line (2-wire RS-485; docs/protocols/led-link.md §5.5).
 * The host is the master: it sends a burst, then listens. The board answers once the line has
 * been quiet for the turnaround time; the host takes the line back once the board's answer has
 * been followed by the same quiet (or the answer is overdue). Bytes written while it is not the
 * host's turn wait, so the two transmitters never drive the pair at once.
 */
export enum LineTurn {
  /** The host may write. */
  Host = 'host',
  /** A burst went out; waiting for the board's answer and the quiet after it. */
  Board = 'board',
}

export interface LineTurnsOptions {
  /** Line quiet before the other side may drive it, ms. */
  turnaroundMs: number;
  /** Bytes/s on the line. */
  linkRate: number;
  write(bytes: Buffer): void;
  /** The host has the line again (send what is waiting). */
  onHostTurn(): void;
}

export class LineTurns {
  turn = LineTurn.Host;
  /** `late`: board bytes heard after its answer was given up as overdue (a slow board; the two may then collide). */
  readonly stats = { bursts: 0, answered: 0, overdue: 0, late: 0 };
  /** When the board's answer heard so far has finished crossing the line. */
  private answerEndsAt = 0;
  /** The last answer was given up as overdue (board bytes arriving now are late). */
  private gaveUp = false;
  private quietTimer: NodeJS.Timeout | null = null;
  private overdueTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: LineTurnsOptions) {}

  get hostTurn(): boolean {
    return this.turn === LineTurn.Host;
  }

  /** Writes a burst (only on the host's turn) and hands the line to the board for up to `answerMs`. */
  burst(bytes: Buffer, answerMs: number): void {
    if (!this.hostTurn) throw new Error('LineTurns.burst outside the host turn');
    this.turn = LineTurn.Board;
    this.gaveUp = false;
    this.stats.bursts++;
    this.o.write(bytes);
    this.clear();
    this.overdueTimer = setTimeout(() => { this.stats.overdue++; this.gaveUp = true; this.giveBack(); }, Math.max(1, Math.ceil(answerMs)));
    this.overdueTimer.unref?.();
  }

  /**
   * `bytes` from the board: its answer is under way; the line is ours once it has been quiet.
   * Quiet is counted from when those bytes have crossed the line at the line rate: a USB adapter
   * or a PTY may hand over a whole answer at once while the pair is still carrying it.
   */
  heardBoard(bytes: number, now = performance.now()): void {
    if (this.turn !== LineTurn.Board) {
      if (this.gaveUp) this.stats.late++;
      return;
    }
    this.answerEndsAt = Math.max(this.answerEndsAt, now) + (bytes / this.o.linkRate) * 1000;
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => { this.stats.answered++; this.giveBack(); }, Math.max(1, Math.ceil(this.answerEndsAt - now + this.o.turnaroundMs)));
    this.quietTimer.unref?.();
  }

  /** The line is dead or reset: the host may talk (a HELLO). */
  reset(): void {
    this.clear();
    this.gaveUp = false;
    this.turn = LineTurn.Host;
  }

  private giveBack(): void {
    this.clear();
    this.turn = LineTurn.Host;
    this.o.onHostTurn();
  }

  private clear(): void {
    if (this.quietTimer) clearTimeout(this.quietTimer);
    if (this.overdueTimer) clearTimeout(this.overdueTimer);
    this.quietTimer = this.overdueTimer = null;
  }
}
