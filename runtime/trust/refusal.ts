/**
 * One way to report a message the MessageGate refused (docs/mqtt-api.md §What a bad message gets): a
 * `security` event on
 * `poles/{id}/events` and, for kinds with receipts, a `rejected` receipt — both rate-limited per
 * code by the Reporter, and logged only when reported, so a flood fills neither outbox nor log.
 * Exact duplicates (retained redelivery) are only logged at debug.
 */
import type { Logger } from 'pino';
import type { Db } from '../storage/database.js';
import type { Reporter, ReceiptInput } from '../uplink/reporter.js';
import { TrustErrors } from './errors.js';
import type { GateFailure } from './message-gate.js';

export interface RefusalContext {
  /** What arrived: receipts go out for notice, dataset and reply; commands answer on cmd/res instead. */
  kind: ReceiptInput['kind'] | 'cmd';
  topic: string;
  /** The id the topic names, when the payload's could not be read. */
  topicId?: string | undefined;
}

/** Returns true when the refusal was reported (false: duplicate, or rate-limited). */
export function reportRefusal(reporter: Reporter, log: Logger, f: GateFailure, ctx: RefusalContext): boolean {
  if (f.code === 'SP_MSG_DUPLICATE') {
    log.debug({ topic: ctx.topic, id: f.id, version: f.version }, 'already held; ignored');
    return false;
  }
  // An expired message is remembered so its next redelivery is a silent duplicate.
  f.remember?.();
  const id = f.id ?? ctx.topicId;
  const receipt: ReceiptInput | undefined = ctx.kind === 'cmd' || !id ? undefined : {
    kind: ctx.kind, id, issuer: f.issuer, version: f.version, status: 'rejected', code: f.code, reason: f.detail,
  };
  const reported = reporter.refusal({
    code: f.code, severity: 'security', message: TrustErrors[f.code].message, detail: f.detail, topic: ctx.topic,
    kid: f.kid, issuer: f.issuer, id, version: f.version,
  }, receipt);
  if (reported) log.warn({ topic: ctx.topic, code: f.code, detail: f.detail, kid: f.kid, id }, 'message refused');
  else log.debug({ topic: ctx.topic, code: f.code }, 'message refused (report suppressed)');
  return reported;
}

/** The counters every intake keeps of what it refused. */
export interface RefusalCounts { rejected: number; duplicates: number }

/**
 * A refusal at an intake with receipts (notice, data set, reply): counted (a duplicate apart),
 * then reported in one transaction (event + receipt go to the outbox together).
 */
export function refuseAtIntake(at: { db: Db; reporter: Reporter; log: Logger; stats: RefusalCounts }, f: GateFailure, ctx: RefusalContext): void {
  if (f.code === 'SP_MSG_DUPLICATE') at.stats.duplicates++;
  else at.stats.rejected++;
  at.db.transaction(() => reportRefusal(at.reporter, at.log, f, ctx))();
}
