/**
 * The fleet trust list from `trust/list` (docs/security.md §Trust list): checked against the root
 * key from config, then applied atomically — the row in SQLite and the in-memory key map change
 * together, after the transaction commits — or refused with a code and a security event. A list
 * at or below the version in force is a rollback (the same bytes again are a silent duplicate);
 * an expired list is refused; the list in force expiring raises an alarm (freeze detection).
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { openEnvelope, parsePublicKey, type TrustedKey } from '../../protocols/envelope.js';
import { TrustListPayload } from '../../protocols/trust-list.js';
import type { Config } from '../config/schema.js';
import type { Db } from '../storage/database.js';
import type { Reporter } from '../uplink/reporter.js';
import { ENVELOPE_CODES } from './message-gate.js';
import { TrustErrors, type TrustErrorCode } from './errors.js';
import type { KeyRing } from './key-ring.js';
import { periodic, type Periodic } from '../../lib/periodic.js';

export interface TrustListIntakeOptions {
  db: Db;
  ring: KeyRing;
  root: Config['trust']['root'];
  reporter: Reporter;
  logger: Logger;
  clockSkewSec: number;
  now: () => number;
}

interface Row { version: number; payload: string; payload_sha256: string; expires_at: number }

export class TrustListIntake extends EventEmitter<{ applied: [version: number] }> {
  readonly stats = { applied: 0, refused: 0, duplicates: 0 };
  private readonly log: Logger;
  private readonly rootKey: TrustedKey | null;
  private readonly getStmt;
  private readonly putStmt;
  private expiredReported: number | null = null;
  private readonly timer: Periodic;

  constructor(private readonly o: TrustListIntakeOptions) {
    super();
    this.log = o.logger.child({ service: 'trust' });
    this.timer = periodic(() => this.checkExpiry(), 3_600_000);
    this.rootKey = o.root ? { kid: o.root.kid, issuer: 'root', key: parsePublicKey(o.root.publicKey), revoked: false } : null;
    this.getStmt = o.db.prepare<[], Row>('SELECT version, payload, payload_sha256, expires_at FROM trust_list WHERE id = 1');
    this.putStmt = o.db.prepare(`INSERT INTO trust_list (id, version, payload, payload_sha256, expires_at, applied_at) VALUES (1, ?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET version = excluded.version, payload = excluded.payload, payload_sha256 = excluded.payload_sha256,
        expires_at = excluded.expires_at, applied_at = excluded.applied_at`);
    // The list applied before a restart is in force again at once (it survives config edits too).
    const row = this.getStmt.get();
    if (row) {
      const held = TrustListPayload.safeParse(JSON.parse(row.payload));
      if (held.success) o.ring.apply(held.data);
      else this.log.error({ version: row.version }, 'stored trust list no longer parses; using config keys');
    }
  }

  /** Checks the list in force for expiry now and hourly. */
  start(): void {
    this.timer.start({ now: true });
  }

  stop(): void {
    this.timer.stop();
  }

  /** The list in force and whether it has expired (for the birth). */
  status(): { listVersion: number | null; expiresAt: string | null; expired: boolean } {
    const l = this.o.ring.list();
    return { listVersion: l?.version ?? null, expiresAt: l?.expiresAt ?? null, expired: l ? l.expiresMs <= this.o.now() : false };
  }

  handle(topic: string, raw: Buffer): void {
    const refuse = (code: TrustErrorCode, detail: string, version?: number) => {
      this.stats.refused++;
      const reported = this.o.reporter.event({ code, severity: 'security', message: TrustErrors[code].message, detail, topic, version });
      if (reported) this.log.warn({ code, detail, version }, 'trust list refused');
    };
    if (!this.rootKey) return refuse('SP_TRUST_NO_ROOT', 'trust.root is not configured on this pole');
    const env = openEnvelope(raw, (kid) => (kid === this.rootKey!.kid ? this.rootKey! : undefined));
    if (!env.ok) return refuse(ENVELOPE_CODES[env.reason], env.detail);
    const parsed = TrustListPayload.safeParse(env.payload);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      return refuse('SP_MSG_SCHEMA', `${i?.path.join('.') || '(root)'}: ${i?.message}`);
    }
    const list = parsed.data;
    const sha256 = createHash('sha256').update(env.payloadBytes).digest('hex');
    const held = this.getStmt.get();
    if (held && list.version === held.version && held.payload_sha256 === sha256) {
      this.stats.duplicates++;
      return;
    }
    if (held && list.version <= held.version) return refuse('SP_TRUST_ROLLBACK', `version ${list.version} ≤ version ${held.version} in force`, list.version);
    const now = this.o.now();
    const skewMs = this.o.clockSkewSec * 1000;
    if (Date.parse(list.issuedAt) - skewMs > now) return refuse('SP_MSG_NOT_YET_VALID', `issuedAt ${list.issuedAt} is in the future`, list.version);
    if (Date.parse(list.expiresAt) <= now) return refuse('SP_TRUST_EXPIRED', `expired at ${list.expiresAt}`, list.version);
    for (const k of list.keys) {
      try { parsePublicKey(k.publicKey); } catch (e) { return refuse('SP_MSG_SCHEMA', `keys.${k.kid}: ${(e as Error).message}`, list.version); }
    }
    this.o.db.transaction(() => {
      this.putStmt.run(list.version, JSON.stringify(list), sha256, Date.parse(list.expiresAt), now);
      this.o.reporter.event({
        code: 'trust.applied', severity: 'security', message: `trust list version ${list.version} applied`,
        version: list.version, previous: held?.version ?? null, keys: list.keys.map((k) => k.kid), revokedKids: list.revokedKids, expiresAt: list.expiresAt,
      });
    })();
    this.o.ring.apply(list);
    this.stats.applied++;
    this.expiredReported = null;
    this.log.info({ version: list.version, keys: list.keys.length, revoked: list.revokedKids.length }, 'trust list applied');
    this.emit('applied', list.version);
  }

  private checkExpiry(): void {
    const l = this.o.ring.list();
    if (!l || l.expiresMs > this.o.now() || this.expiredReported === l.version) return;
    this.expiredReported = l.version;
    this.o.reporter.event({ code: 'SP_TRUST_LIST_EXPIRED', severity: 'alarm', message: TrustErrors.SP_TRUST_LIST_EXPIRED.message, version: l.version, expiresAt: l.expiresAt });
    this.log.error({ version: l.version, expiresAt: l.expiresAt }, 'the trust list in force has expired; publish a fresh one');
  }
}
