/**
 * ConsoleAudit: every technician action goes to the durable outbox as class `audit` on
 * `poles/{id}/audit` (docs/console.md §Audit: every command run at tech level is audited to the
 * outbox), so ops see who did what at the pole even when it was offline at the time. Never
 * rate-limited; secrets in command lines are redacted by the command before they get here.
 *
 * Guest sessions (read-only, no PIN) are not one record each: anyone at the port can open them in
 * a loop, and each row would push real evidence towards the outbox's bound. They are counted and
 * sent as one `guest-logins` summary per interval (docs/console.md §Audit); tech logins, logouts
 * and every tech command stay one record each.
 */
import type { Logger } from 'pino';
import { isoInZone } from '../../protocols/time.js';
import type { Outbox } from '../uplink/outbox.js';

export type AuditAction = 'login' | 'logout' | 'command';

export interface AuditInput {
  action: AuditAction;
  session: string;
  level: 'guest' | 'tech';
  /** The command line, secrets redacted. */
  command?: string;
  ok?: boolean;
  code?: string;
  durationMs?: number;
  /** Why a session ended (logout, idle, port closed, restart). */
  reason?: string;
}

export interface ConsoleAuditOptions {
  outbox: Outbox;
  topic: string;
  poleId: string;
  timeZone: string;
  port: string;
  logger: Logger;
  now: () => number;
  /** How long guest logins are counted before one summary record is sent. Default 15 min. */
  guestSummaryMs?: number;
}

export const GUEST_SUMMARY_MS = 15 * 60_000;

interface GuestTally { count: number; first: number; last: number }

export class ConsoleAudit {
  private readonly log: Logger;
  readonly stats = { records: 0, guestLogins: 0, guestSummaries: 0 };
  private guests: GuestTally | null = null;
  private guestTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: ConsoleAuditOptions) {
    this.log = o.logger.child({ service: 'console' });
  }

  record(a: AuditInput): void {
    if (a.level === 'guest' && (a.action === 'login' || a.action === 'logout')) {
      this.countGuest(a);
      return;
    }
    this.store({ type: 'audit', poleId: this.o.poleId, at: isoInZone(this.o.now(), this.o.timeZone), source: 'console', port: this.o.port, ...a });
    this.log.info({ session: a.session, access: a.level, ...(a.ok === false ? { code: a.code } : {}) }, `console ${a.action}${a.command ? `: ${a.command}` : ''}${a.reason ? ` (${a.reason})` : ''}`);
  }

  /** Sends the guest-login summary counted so far, if any (the timer, and an orderly stop). */
  flushGuests(): void {
    if (this.guestTimer) clearTimeout(this.guestTimer);
    this.guestTimer = null;
    const g = this.guests;
    if (!g) return;
    this.guests = null;
    const iso = (t: number) => isoInZone(t, this.o.timeZone);
    this.store({ type: 'audit', poleId: this.o.poleId, at: iso(this.o.now()), source: 'console', port: this.o.port, action: 'guest-logins', level: 'guest', count: g.count, first: iso(g.first), last: iso(g.last) });
    this.stats.guestSummaries++;
    this.log.info({ count: g.count }, `console guest logins: ${g.count} since ${iso(g.first)}`);
  }

  private countGuest(a: AuditInput): void {
    this.log.debug({ session: a.session, access: 'guest' }, `console guest ${a.action}${a.reason ? ` (${a.reason})` : ''}`);
    if (a.action !== 'login') return;
    const t = this.o.now();
    this.stats.guestLogins++;
    if (this.guests) {
      this.guests.count++;
      this.guests.last = t;
      return;
    }
    this.guests = { count: 1, first: t, last: t };
    this.guestTimer = setTimeout(() => this.flushGuests(), this.o.guestSummaryMs ?? GUEST_SUMMARY_MS);
    this.guestTimer.unref?.();
  }

  private store(rec: Record<string, unknown>): void {
    try {
      this.o.outbox.enqueue(this.o.topic, rec, 'audit');
      this.stats.records++;
    } catch (e) {
      // The outbox is SQLite; if the disk is gone the log line is all that remains.
      this.log.error({ err: (e as Error).message, audit: rec }, 'audit record could not be stored');
    }
  }
}
