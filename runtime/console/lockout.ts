/**
 * PIN lockout (docs/console.md §Logging in): after `maxAttempts` wrong PINs in a row, PIN entry is
 * locked for
 * `baseMs`, and each further lockout doubles it up to `maxMs`. A correct PIN resets both the
 * count and the doubling. The state is kept in SQLite (kv `console.pinLockout`), so restarting or
 * power-cycling the pole does not give an attacker fresh attempts.
 */
import type { KvStore } from '../storage/kv.js';

export interface LockoutOptions {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
  now: () => number;
}

export interface LockoutState {
  /** Wrong PINs since the last success or lockout. */
  failures: number;
  /** Lockouts since the last success (the doubling exponent). */
  lockouts: number;
  /** Epoch ms until which PIN entry is refused; 0 when not locked. */
  lockedUntil: number;
}

export type FailureOutcome = { locked: false; attemptsLeft: number } | { locked: true; lockMs: number; until: number; lockouts: number };

const KEY = 'console.pinLockout';

export class PinLockout {
  private state: LockoutState;

  constructor(private readonly kv: KvStore, private o: LockoutOptions) {
    this.state = this.load();
  }

  /** Live-applies new limits (config set devices.console.lockout*). */
  configure(o: Partial<Omit<LockoutOptions, 'now'>>): void {
    this.o = { ...this.o, ...o };
  }

  get snapshot(): Readonly<LockoutState> & { remainingMs: number } {
    return { ...this.state, remainingMs: this.remainingMs() };
  }

  remainingMs(): number {
    // Capped, so a clock that jumped back cannot stretch a lockout past its maximum.
    return Math.min(this.o.maxMs, Math.max(0, this.state.lockedUntil - this.o.now()));
  }

  recordFailure(): FailureOutcome {
    this.state.failures++;
    if (this.state.failures < this.o.maxAttempts) {
      this.save();
      return { locked: false, attemptsLeft: this.o.maxAttempts - this.state.failures };
    }
    const lockMs = Math.min(this.o.maxMs, this.o.baseMs * 2 ** Math.min(this.state.lockouts, 30));
    this.state = { failures: 0, lockouts: this.state.lockouts + 1, lockedUntil: this.o.now() + lockMs };
    this.save();
    return { locked: true, lockMs, until: this.state.lockedUntil, lockouts: this.state.lockouts };
  }

  recordSuccess(): void {
    this.state = { failures: 0, lockouts: 0, lockedUntil: 0 };
    this.save();
  }

  private load(): LockoutState {
    try {
      const v = JSON.parse(this.kv.get(KEY) ?? 'null') as Partial<LockoutState> | null;
      const n = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : 0);
      return { failures: n(v?.failures), lockouts: n(v?.lockouts), lockedUntil: n(v?.lockedUntil) };
    } catch {
      return { failures: 0, lockouts: 0, lockedUntil: 0 };
    }
  }

  private save(): void {
    this.kv.set(KEY, JSON.stringify(this.state));
  }
}
