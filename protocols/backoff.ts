/** Exponential backoff with jitter; `succeeded()` resets it. Used for every reconnect loop. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** Fraction of the delay added or removed at random (0.2 = ±20%). */
  jitter: number;
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  constructor(private readonly o: BackoffOptions) {}

  /** Delay before the next attempt. */
  next(): number {
    const base = Math.min(this.o.maxMs, this.o.initialMs * this.o.factor ** this.attempt);
    this.attempt++;
    const r = (this.o.random ?? Math.random)();
    return Math.max(0, Math.round(base * (1 + this.o.jitter * (2 * r - 1))));
  }

  succeeded(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
