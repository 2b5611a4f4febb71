/**
 * PIN lockout (docs/console.md §Logging in): after `maxAttempts` wrong PINs in a row, PIN entry is
 * locked for
 * `baseMs`, and each further lockout doubles it up to `maxMs`. A correct PIN resets both the
 * count and the doubling. The state is kept in SQLite (kv `console.pinLockout`), so restarting or
 * power-cycling the pole does not give an attacker fresh attempts. After `sealAfter` lockouts in
 * a row the console is **sealed**: no PIN is tried until city operations send the signed MQTT
 * command `console.unlock` (docs/security.md §Threat model) — someone with time at the port can
 * no longer wait out the doubling for ever.
 *
 * A running lockout is measured on the monotonic clock, never the wall clock (docs/console.md
 * §Logging in): an NTP step, an operator's `date -s` or a bad GNSS fix neither ends it early nor
 * stretches it. What is persisted is the time still to run, refreshed every `checkpointMs` while
 * locked and at every refused attempt; after a restart that remainder runs again in full, so a
 * power cut can lengthen a lockout by at most `checkpointMs`, never shorten it.
 */
import type { KvStore } from '../storage/kv.js';

export interface LockoutOptions {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
  /** Wall clock: only to say until when (messages, events). */
  now: () => number;
  /** Monotonic clock (ms) that measures the lockout. Default performance.now. */
  mono?: () => number;
  /** How often the remaining time is written to SQLite while locked. Default 60 s. */
  checkpointMs?: number;
  /** Lockouts in a row before the console is sealed until `console.unlock`. Default 3. */
  sealAfter?: number;
}

export interface LockoutState {
  /** Wrong PINs since the last success or lockout. */
  failures: number;
  /** Lockouts since the last success (the doubling exponent). */
  lockouts: number;
  /** Lockout time still to run, ms, as of the last save; 0 when not locked. */
  remainingMs: number;
  /** Sealed after repeated lockouts: only the signed `console.unlock` command opens it. */
  sealed: boolean;
}

export type FailureOutcome = { locked: false; attemptsLeft: number } | { locked: true; lockMs: number; until: number; lockouts: number; sealed: boolean };

const KEY = 'console.pinLockout';

export class PinLockout {
  private state: LockoutState;
  private readonly mono: () => number;
  /** Monotonic time at which the running lockout ends. */
  private endsAt = 0;
  private ticker: NodeJS.Timeout | null = null;

  constructor(private readonly kv: KvStore, private o: LockoutOptions) {
    this.mono = o.mono ?? (() => performance.now());
    this.state = this.load();
    // A lockout persisted before a restart is still to run, in full, from now.
    this.startLock(this.state.remainingMs);
  }

  /** Live-applies new limits (config set devices.console.lockout*). */
  configure(o: Partial<Omit<LockoutOptions, 'now'>>): void {
    this.o = { ...this.o, ...o };
  }

  /** The state with the time still to run as of now. */
  get snapshot(): Readonly<LockoutState> {
    return { ...this.state, remainingMs: this.remainingMs() };
  }

  remainingMs(): number {
    // Capped, so a lowered maximum (config set) also shortens a running lockout.
    return Math.min(this.o.maxMs, Math.max(0, this.endsAt - this.mono()));
  }

  /** Writes the time still to run, so a restart resumes it; stops the ticker once it has run out. */
  checkpoint(): void {
    const left = this.remainingMs();
    if (left === 0) this.stopTicker();
    if (left === this.state.remainingMs) return;
    this.state.remainingMs = left;
    this.save();
  }

  /** Saves the remainder and stops the checkpoint timer (orderly stop). */
  close(): void {
    if (this.endsAt > 0) this.checkpoint();
    this.stopTicker();
  }

  recordFailure(): FailureOutcome {
    this.state.failures++;
    if (this.state.failures < this.o.maxAttempts) {
      this.save();
      return { locked: false, attemptsLeft: this.o.maxAttempts - this.state.failures };
    }
    const lockMs = Math.min(this.o.maxMs, this.o.baseMs * 2 ** Math.min(this.state.lockouts, 30));
    const lockouts = this.state.lockouts + 1;
    this.state = { failures: 0, lockouts, remainingMs: lockMs, sealed: lockouts >= (this.o.sealAfter ?? 3) };
    this.save();
    this.startLock(lockMs);
    return { locked: true, lockMs, until: this.o.now() + lockMs, lockouts, sealed: this.state.sealed };
  }

  get sealed(): boolean {
    return this.state.sealed;
  }

  recordSuccess(): void {
    this.state = { failures: 0, lockouts: 0, remainingMs: 0, sealed: false };
    this.save();
    this.startLock(0);
  }

  /** The signed `console.unlock` command: clears the seal and any lockout. */
  unlock(): LockoutState {
    const before = { ...this.state, remainingMs: this.remainingMs() };
    this.state = { failures: 0, lockouts: 0, remainingMs: 0, sealed: false };
    this.save();
    this.startLock(0);
    return before;
  }

  private startLock(ms: number): void {
    this.stopTicker();
    this.endsAt = ms > 0 ? this.mono() + ms : 0;
    if (ms <= 0) return;
    this.ticker = setInterval(() => this.checkpoint(), this.o.checkpointMs ?? 60_000);
    this.ticker.unref?.();
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
  }

  private load(): LockoutState {
    try {
      const v = JSON.parse(this.kv.get(KEY) ?? 'null') as (Partial<LockoutState> & { lockedUntil?: unknown }) | null;
      const n = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : 0);
      // Records from before the monotonic lockout held a wall-clock end: converted once, capped.
      const legacy = v?.remainingMs === undefined && n(v?.lockedUntil) > 0 ? n(v?.lockedUntil) - this.o.now() : 0;
      const remainingMs = Math.min(this.o.maxMs, n(v?.remainingMs) || Math.max(0, legacy));
      return { failures: n(v?.failures), lockouts: n(v?.lockouts), remainingMs, sealed: v?.sealed === true };
    } catch {
      // An unreadable record fails closed: sealed until ops unlock it.
      return { failures: 0, lockouts: 0, remainingMs: 0, sealed: true };
    }
  }

  private save(): void {
    this.kv.set(KEY, JSON.stringify(this.state));
  }
}
