/**
 * ConsoleAudit: every technician action goes to the durable outbox as class `audit` on
 * `poles/{id}/audit` (docs/console.md §Audit: every command run at tech level is audited to the
 * outbox), so ops see who did what at the pole even when it was offline at the time. Never
 * rate-limited; secrets in command lines are redacted by the command before they get here.
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
}

export class ConsoleAudit {
  private readonly log: Logger;
  readonly stats = { records: 0 };

  constructor(private readonly o: ConsoleAuditOptions) {
    this.log = o.logger.child({ service: 'console' });
  }

  record(a: AuditInput): void {
    const rec = { type: 'audit', poleId: this.o.poleId, at: isoInZone(this.o.now(), this.o.timeZone), source: 'console', port: this.o.port, ...a };
    try {
      this.o.outbox.enqueue(this.o.topic, rec, 'audit');
      this.stats.records++;
    } catch (e) {
      // The outbox is SQLite; if the disk is gone the log line is all that remains.
      this.log.error({ err: (e as Error).message, audit: rec }, 'audit record could not be stored');
      return;
    }
    this.log.info({ session: a.session, access: a.level, ...(a.ok === false ? { code: a.code } : {}) }, `console ${a.action}${a.command ? `: ${a.command}` : ''}${a.reason ? ` (${a.reason})` : ''}`);
  }
}
