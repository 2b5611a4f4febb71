/**
 * CapIntake: a verified CAP payload → checks and mapping (protocols/cap-notice.ts) → the notice
 * store the scheduler plays, with Update/Cancel applied through `references` (docs/mqtt-api.md §CAP
 * alerts). Runs inside the caller's transaction; `commit` records the envelope version with the
 * outcome.
 */
import type { Logger } from 'pino';
import { parseCap, type CapPayload } from '../../protocols/cap.js';
import { decideCap, type CapIgnoreReason, type CapPoleProfile } from '../../protocols/cap-notice.js';
import { NoticePayload } from '../../protocols/notice.js';
import type { Reporter } from '../uplink/reporter.js';
import type { CapRegistry } from './cap-registry.js';
import type { NoticeStore } from './notice-store.js';
import { NoticeErrors, type NoticeErrorCode } from './errors.js';

export interface CapIntakeOptions {
  store: NoticeStore;
  registry: CapRegistry;
  reporter: Reporter;
  logger: Logger;
  profile: CapPoleProfile;
  clockSkewSec: number;
}

const IGNORE_CODES: Record<CapIgnoreReason, NoticeErrorCode> = {
  status: 'SP_CAP_NOT_ACTUAL',
  msgType: 'SP_CAP_NOT_PUBLIC',
  scope: 'SP_CAP_NOT_PUBLIC',
  area: 'SP_CAP_OUT_OF_AREA',
  expired: 'SP_CAP_EXPIRED',
};

export type CapOutcome = 'shown' | 'cancelled' | 'ignored' | 'rejected';

export class CapIntake {
  readonly stats = { shown: 0, cancelled: 0, ignored: 0, rejected: 0 };

  constructor(private readonly o: CapIntakeOptions) {}

  /** Applies one verified CAP payload. Call inside a transaction; calls `commit` itself. */
  apply(issuer: string, topic: string, p: CapPayload, commit: () => void, now: number): CapOutcome {
    const { store, registry, reporter } = this.o;
    const log = this.o.logger;
    const parsed = parseCap(p.xml);
    commit();
    if (!parsed.ok) {
      this.stats.rejected++;
      reporter.refusal(
        { code: 'SP_CAP_MALFORMED', severity: 'warning', message: NoticeErrors.SP_CAP_MALFORMED.message, detail: parsed.detail, topic, issuer, id: p.id },
        { kind: 'notice', id: p.id, issuer, version: p.version, status: 'rejected', code: 'SP_CAP_MALFORMED', reason: parsed.detail },
      );
      log.warn({ id: p.id, issuer, detail: parsed.detail }, 'CAP payload refused');
      return 'rejected';
    }
    const alert = parsed.alert;
    const cap = { sender: alert.sender, identifier: alert.identifier, msgType: alert.msgType };
    const receipt = { kind: 'notice' as const, id: p.id, issuer, version: p.version, cap };
    const decision = decideCap(alert, this.o.profile, { now, skewMs: this.o.clockSkewSec * 1000, envelopeExpiresAt: p.expiresAt });

    // Update / Cancel: every referenced alert shown under another notice id goes off screen.
    const state = alert.msgType === 'Cancel' ? 'cancelled' : 'superseded';
    for (const ref of decision.supersedes) {
      const shownAs = registry.reference(issuer, ref, alert.identifier, state, now);
      if (shownAs && shownAs !== p.id && store.withdraw(issuer, shownAs, 0, now)) {
        reporter.receipt({ kind: 'notice', id: shownAs, issuer, status: 'withdrawn', reason: `${alert.msgType} ${alert.identifier}`, cap: { sender: ref.sender, identifier: ref.identifier, msgType: 'Alert' } });
      }
    }
    const late = registry.supersededBy(issuer, alert.sender, alert.identifier);
    if (late) {
      this.stats.ignored++;
      const reason = `already ${late.state} by ${late.by}`;
      reporter.receipt({ ...receipt, status: 'ignored', code: 'SP_CAP_SUPERSEDED', reason });
      log.info({ id: p.id, identifier: alert.identifier, reason }, 'CAP alert arrived after its update/cancel; not shown');
      return 'ignored';
    }

    switch (decision.action) {
      case 'show': {
        const c = decision.content;
        const notice = NoticePayload.parse({
          type: 'notice', id: p.id, version: p.version, issuedAt: p.issuedAt, expiresAt: c.expiresAt, priority: c.priority,
          title: c.title, body: c.body, validFrom: c.validFrom, durationSec: c.durationSec, category: c.category,
        });
        store.upsert(issuer, topic, notice, now, decision.origin);
        registry.record(issuer, alert.sender, alert.identifier, p.id, 'shown', now);
        this.stats.shown++;
        reporter.receipt({ ...receipt, status: 'accepted' });
        log.info({ id: p.id, identifier: alert.identifier, msgType: alert.msgType, priority: c.priority, event: decision.origin.event }, 'CAP alert accepted');
        return 'shown';
      }
      case 'cancel': {
        store.withdraw(issuer, p.id, p.version, now);
        registry.record(issuer, alert.sender, alert.identifier, null, 'ignored', now);
        this.stats.cancelled++;
        reporter.receipt({ ...receipt, status: 'withdrawn', reason: `Cancel ${alert.identifier}` });
        log.info({ id: p.id, identifier: alert.identifier }, 'CAP alert cancelled');
        return 'cancelled';
      }
      case 'ignore': {
        // An Update that no longer applies here (left the area, expired…) takes its chain off screen.
        const withdrew = store.withdraw(issuer, p.id, p.version, now);
        registry.record(issuer, alert.sender, alert.identifier, null, 'ignored', now);
        this.stats.ignored++;
        const code = IGNORE_CODES[decision.reason];
        reporter.receipt({ ...receipt, status: withdrew ? 'withdrawn' : 'ignored', code, reason: decision.detail });
        log.info({ id: p.id, identifier: alert.identifier, code, detail: decision.detail }, 'CAP alert not shown');
        return 'ignored';
      }
    }
  }
}
