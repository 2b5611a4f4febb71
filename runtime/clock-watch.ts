/**
 * Wall-clock jumps (docs/security.md §Clocks): every `intervalMs` the wall clock's advance is
 * compared with the monotonic clock's; a difference over `thresholdMs` is a jump — the clock was
 * set (NTP after a cold start without RTC, an operator, a bad GPS fix). Each jump is reported with
 * its direction and size. After a forward jump, retention pruning (command journal and command
 * versions) pauses for a day of monotonic time: what the old clock called "tomorrow" could
 * otherwise be forgotten at once and run again when redelivered. Rate limits and lockouts use
 * the monotonic clock (`monotonicClock`), so no jump shortens or lengthens them.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { periodic, type Periodic } from '../lib/periodic.js';

export interface ClockJump { direction: 'forward' | 'backward'; ms: number; at: number }

export interface ClockWatchOptions {
  logger: Logger;
  report: (e: { code: 'SP_CLOCK_JUMP'; severity: 'security'; message: string; [k: string]: unknown }) => unknown;
  wall?: () => number;
  mono?: () => number;
  intervalMs?: number;
  thresholdMs?: number;
  /** How long pruning pauses after a forward jump (monotonic). Default 25 h. */
  holdMs?: number;
}

/** The monotonic clock for rate limits and lockouts; a test's fake clock when one is given. */
export function monotonicClock(fake?: () => number): () => number {
  return fake ?? (() => performance.now());
}

export class ClockWatch extends EventEmitter<{ jump: [ClockJump] }> {
  readonly jumps: ClockJump[] = [];
  private readonly wall: () => number;
  private readonly mono: () => number;
  private last: { wall: number; mono: number };
  private forwardAt: number | null = null;
  private readonly timer: Periodic;

  constructor(private readonly o: ClockWatchOptions) {
    super();
    this.wall = o.wall ?? Date.now;
    this.mono = o.mono ?? (() => performance.now());
    this.last = { wall: this.wall(), mono: this.mono() };
    this.timer = periodic(() => this.check(), o.intervalMs ?? 10_000);
  }

  start(): void {
    this.timer.start();
  }

  stop(): void {
    this.timer.stop();
  }

  /** Compares both clocks since the last check; returns the jump, if any. */
  check(): ClockJump | null {
    const now = { wall: this.wall(), mono: this.mono() };
    const skew = (now.wall - this.last.wall) - (now.mono - this.last.mono);
    this.last = now;
    if (Math.abs(skew) <= (this.o.thresholdMs ?? 60_000)) return null;
    const jump: ClockJump = { direction: skew > 0 ? 'forward' : 'backward', ms: Math.round(Math.abs(skew)), at: now.wall };
    if (jump.direction === 'forward') this.forwardAt = now.mono;
    this.jumps.push(jump);
    if (this.jumps.length > 32) this.jumps.shift();
    this.o.logger.warn({ ...jump }, 'wall clock jumped');
    this.o.report({ code: 'SP_CLOCK_JUMP', severity: 'security', message: `the wall clock jumped ${jump.direction} by ${Math.round(jump.ms / 1000)} s`, direction: jump.direction, ms: jump.ms });
    this.emit('jump', jump);
    return jump;
  }

  /** False within `holdMs` of a forward jump: retention pruning must wait. */
  pruneSafe(): boolean {
    this.check();
    return this.forwardAt === null || this.mono() - this.forwardAt >= (this.o.holdMs ?? 25 * 3_600_000);
  }
}
