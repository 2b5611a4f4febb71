/**
 * Ticket lookups on one public screen, rate-limited (docs/security.md §Hostile input, docs/screen.md
 * §Messages to the city): at most `perWindow` lookups per `windowMs`, and after `unknownInRow`
 * well-formed tickets in a row that this pole does not know, no lookup for `lockoutMs`. Someone
 * trying numbers at the keypad gets a few a minute out of 10^8, and the city hears of it once per
 * pause (event SP_TICKET_RATE_LIMIT). Runs on the monotonic clock, so setting the wall clock
 * neither lifts nor extends a pause. Only lookups that reach the store count: a number the check
 * digit refuses never gets that far.
 */
import type { Logger } from 'pino';
import type { Reporter } from '../uplink/reporter.js';
import { FeedbackErrors } from './errors.js';

export interface LookupGuardOptions {
  reporter: Pick<Reporter, 'event'>;
  logger: Logger;
  /** Monotonic milliseconds (runtime/clock-watch.ts monotonicClock). */
  monotonic: () => number;
  /** Default 5. */
  perWindow?: number;
  /** Default 60 s. */
  windowMs?: number;
  /** Unknown tickets in a row before the pause. Default 5. */
  unknownInRow?: number;
  /** Default 60 s. */
  lockoutMs?: number;
}

/** Why a lookup may not run now. */
export enum LookupBlock { Rate = 'rate', Lockout = 'lockout' }

export type LookupVerdict = { ok: true } | { ok: false; block: LookupBlock; retryInMs: number };

export class TicketLookupGuard {
  readonly stats = { admitted: 0, refused: 0, lockouts: 0 };
  private readonly times: number[] = [];
  private unknownRun = 0;
  private lockedUntil = -Infinity;
  /** Until when the current pause has been reported (one event per pause). */
  private reportedUntil = -Infinity;
  private readonly log: Logger;
  private readonly perWindow: number;
  private readonly windowMs: number;

  constructor(private readonly o: LookupGuardOptions) {
    this.log = o.logger.child({ service: 'ticket-lookup' });
    this.perWindow = o.perWindow ?? 5;
    this.windowMs = o.windowMs ?? 60_000;
  }

  /** Asks for one lookup now; when admitted, tell `result()` whether the ticket was known. */
  admit(): LookupVerdict {
    const now = this.o.monotonic();
    while (this.times.length && this.times[0]! <= now - this.windowMs) this.times.shift();
    if (now < this.lockedUntil) return this.refuse(LookupBlock.Lockout, this.lockedUntil - now, now);
    if (this.times.length >= this.perWindow) return this.refuse(LookupBlock.Rate, this.times[0]! + this.windowMs - now, now);
    this.times.push(now);
    this.stats.admitted++;
    return { ok: true };
  }

  /** The admitted lookup found the ticket (a message or a reply on this pole), or not. */
  result(found: boolean): void {
    if (found) { this.unknownRun = 0; return; }
    if (++this.unknownRun < (this.o.unknownInRow ?? 5)) return;
    const now = this.o.monotonic();
    this.unknownRun = 0;
    this.lockedUntil = now + (this.o.lockoutMs ?? 60_000);
    this.stats.lockouts++;
    this.report(LookupBlock.Lockout, this.lockedUntil - now, now);
  }

  private refuse(block: LookupBlock, retryInMs: number, now: number): LookupVerdict {
    this.stats.refused++;
    if (now >= this.reportedUntil) this.report(block, retryInMs, now);
    return { ok: false, block, retryInMs: Math.max(0, Math.ceil(retryInMs)) };
  }

  private report(block: LookupBlock, retryInMs: number, now: number): void {
    this.reportedUntil = now + retryInMs;
    const seconds = Math.ceil(retryInMs / 1000);
    this.log.warn({ block, seconds }, 'ticket lookups paused on this screen');
    this.o.reporter.event({
      code: 'SP_TICKET_RATE_LIMIT', severity: block === LookupBlock.Lockout ? 'security' : 'warning',
      message: FeedbackErrors.SP_TICKET_RATE_LIMIT.message, block, seconds,
    });
  }
}
