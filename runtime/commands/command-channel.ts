/**
 * The MQTT command channel (docs/mqtt-api.md §Commands): signed `{id, name, args, expiresAt}` on
 * `poles/{id}/cmd` → CommandRegistry → exactly one response `{id, ok, result | error}` on
 * `poles/{id}/cmd/res`.
 *
 * Idempotent by id, across restarts: the id is journalled (CommandJournal) in the transaction
 * that records its version; the response is stored with the outbox record that carries it. A
 * redelivered command (same bytes) is answered again with the stored response and not run; if
 * the pole died while it ran, the redelivery — and the restart itself — answer SP_CMD_INTERRUPTED.
 * A message whose signature does not verify gets no response (its id cannot be trusted), only a
 * rate-limited security event. Commands run one at a time, in arrival order, each with a timeout.
 */
import type { Logger } from 'pino';
import { CommandPayload } from '../../protocols/command.js';
import { MessageId } from '../../protocols/signed.js';
import { zonedIsoFormatter } from '../../protocols/time.js';
import type { Db } from '../storage/database.js';
import type { MessageGate } from '../trust/message-gate.js';
import { reportRefusal } from '../trust/refusal.js';
import { TrustErrors } from '../trust/errors.js';
import type { VersionRegistry } from '../trust/version-registry.js';
import type { Reporter } from '../uplink/reporter.js';
import type { CommandJournal } from './command-journal.js';
import type { CommandOutcome, CommandRegistry } from './registry.js';
import { CommandErrors } from './errors.js';
import { periodic, type Periodic } from '../../lib/periodic.js';

export interface CommandChannelOptions {
  db: Db;
  gate: MessageGate;
  versions: VersionRegistry;
  journal: CommandJournal;
  registry: CommandRegistry;
  reporter: Reporter;
  logger: Logger;
  poleId: string;
  timeZone: string;
  clockSkewSec: number;
  now: () => number;
  /** Pruning waits while this says no (after a forward wall-clock jump; runtime/clock-watch.ts). */
  pruneSafe?: () => boolean;
  /** Per-command time limit. Default 30 s. */
  timeoutMs?: number;
  /** Largest response JSON in bytes. Default 512 KiB. */
  maxResponseBytes?: number;
}

interface Job { issuer: string; id: string; name: string; args: unknown; expiresAt: number }

const DAY = 86_400_000;

export class CommandChannel {
  readonly stats = { received: 0, executed: 0, reanswered: 0, refused: 0, interrupted: 0 };
  private readonly queue: Job[] = [];
  private running = false;
  private readonly lastReanswer = new Map<string, number>();
  private reanswerBudget = { windowStart: 0, count: 0 };
  private readonly pruneTimer: Periodic;
  private readonly log: Logger;
  private readonly iso: (ms: number) => string;

  constructor(private readonly o: CommandChannelOptions) {
    this.log = o.logger.child({ service: 'commands' });
    this.iso = zonedIsoFormatter(o.timeZone);
    this.pruneTimer = periodic(() => this.prune(), 3_600_000);
  }

  /** Answers commands a previous process left running, and prunes the journal hourly. */
  start(): void {
    const left = this.o.journal.running();
    for (const e of left) {
      this.stats.interrupted++;
      this.o.db.transaction(() => this.respond(e.issuer, e.id, e.name, { ok: false, error: { code: 'SP_CMD_INTERRUPTED', message: CommandErrors.SP_CMD_INTERRUPTED.message } }))();
    }
    if (left.length) this.log.warn({ ids: left.map((e) => e.id) }, 'commands interrupted by a restart answered');
    this.pruneTimer.start({ now: true });
  }

  stop(): void {
    this.pruneTimer.stop();
    this.queue.length = 0;
  }

  handle(topic: string, raw: Buffer): void {
    this.stats.received++;
    const r = this.o.gate.open(raw, CommandPayload, 'cmd', topic);
    const now = this.o.now();
    if (!r.ok) {
      const trusted = r.issuer !== undefined && r.id !== undefined && MessageId.safeParse(r.id).success;
      if (!trusted) {
        this.stats.refused++;
        reportRefusal(this.o.reporter, this.log, r, { kind: 'cmd', topic });
        return;
      }
      const held = this.o.journal.get(r.issuer!, r.id!);
      if (held) {
        if (held.sha256 === r.sha256) this.reanswer(held.issuer, held.id, held.response);
        else { this.stats.refused++; reportRefusal(this.o.reporter, this.log, r, { kind: 'cmd', topic }); }
        return;
      }
      if (r.code === 'SP_MSG_DUPLICATE') return; // journal pruned long after expiry: nothing to say
      // A signed command refused before it ran (schema, expired, rollback…): its one response is the refusal.
      this.stats.refused++;
      reportRefusal(this.o.reporter, this.log, r, { kind: 'cmd', topic });
      this.o.db.transaction(() => {
        this.o.journal.begin({ issuer: r.issuer!, id: r.id!, name: '?', sha256: r.sha256 ?? '', receivedAt: now, expiresAt: now + DAY });
        this.respond(r.issuer!, r.id!, undefined, { ok: false, error: { code: r.code, message: TrustErrors[r.code].message, detail: { reason: r.detail } } });
      })();
      return;
    }
    const p = r.payload;
    const expiresAt = Date.parse(p.expiresAt);
    this.o.db.transaction(() => {
      r.commit();
      this.o.journal.begin({ issuer: r.issuer, id: p.id, name: p.name, sha256: r.sha256, receivedAt: now, expiresAt });
      if (p.poleId !== undefined && p.poleId !== this.o.poleId) {
        this.respond(r.issuer, p.id, p.name, { ok: false, error: { code: 'SP_MSG_TOPIC_MISMATCH', message: `command is for pole ${p.poleId}, this is ${this.o.poleId}` } });
        return;
      }
      this.queue.push({ issuer: r.issuer, id: p.id, name: p.name, args: p.args, expiresAt });
    })();
    this.log.info({ id: p.id, name: p.name, issuer: r.issuer }, 'command received');
    this.runNext();
  }

  private runNext(): void {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = true;
    this.execute(job)
      .catch((e: Error) => this.log.error({ err: e.message, id: job.id }, 'command execution failed'))
      .finally(() => { this.running = false; this.runNext(); });
  }

  private async execute(job: Job): Promise<void> {
    const skew = this.o.clockSkewSec * 1000;
    let outcome: CommandOutcome;
    if (job.expiresAt + skew <= this.o.now()) {
      outcome = { ok: false, error: { code: 'SP_CMD_EXPIRED', message: CommandErrors.SP_CMD_EXPIRED.message } };
    } else {
      const timeoutMs = this.o.timeoutMs ?? 30_000;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<CommandOutcome>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, error: { code: 'SP_CMD_TIMEOUT', message: `${CommandErrors.SP_CMD_TIMEOUT.message} (${timeoutMs} ms)` } }), timeoutMs);
      });
      const t0 = performance.now();
      outcome = await Promise.race([this.o.registry.execute(job.name, job.args, { source: 'mqtt', principal: job.issuer, now: this.o.now() }), timeout]);
      clearTimeout(timer);
      this.stats.executed++;
      this.log.info({ id: job.id, name: job.name, ok: outcome.ok, code: outcome.ok ? undefined : outcome.error.code, ms: Math.round(performance.now() - t0) }, 'command done');
    }
    try {
      this.o.db.transaction(() => this.respond(job.issuer, job.id, job.name, outcome))();
    } catch (e) {
      // The database closed under us (stop during a long command): the restart answers SP_CMD_INTERRUPTED.
      this.log.warn({ err: (e as Error).message, id: job.id }, 'command response not stored');
    }
  }

  /** Stores and sends the one response for a command id. Call inside a transaction. */
  private respond(issuer: string, id: string, name: string | undefined, outcome: CommandOutcome): void {
    let body: Record<string, unknown> = { id, ...(name ? { name } : {}), issuer, at: this.iso(this.o.now()), ...outcome };
    const limit = this.o.maxResponseBytes ?? 512 * 1024;
    const size = Buffer.byteLength(JSON.stringify(body));
    if (size > limit) {
      body = { id, ...(name ? { name } : {}), issuer, at: body.at, ok: false, error: { code: 'SP_CMD_RESPONSE_TOO_LARGE', message: `${CommandErrors.SP_CMD_RESPONSE_TOO_LARGE.message}: ${size} > ${limit} bytes` } };
    }
    this.o.journal.finish(issuer, id, body);
    this.o.reporter.commandResponse(body as never);
  }

  /** A redelivery: the stored response again (rate-limited per id and overall), never a second run. */
  private reanswer(issuer: string, id: string, response: Record<string, unknown> | null): void {
    if (!response) { this.log.debug({ id }, 'redelivered command still running; its response will follow'); return; }
    const now = this.o.now();
    const key = `${issuer}\u0000${id}`;
    if (now - (this.lastReanswer.get(key) ?? -Infinity) < 2000) return;
    if (now - this.reanswerBudget.windowStart >= 60_000) this.reanswerBudget = { windowStart: now, count: 0 };
    if (this.reanswerBudget.count >= 120) return;
    this.reanswerBudget.count++;
    this.lastReanswer.set(key, now);
    if (this.lastReanswer.size > 1000) this.lastReanswer.delete(this.lastReanswer.keys().next().value!);
    this.stats.reanswered++;
    this.o.reporter.commandResponse(response as never);
    this.log.info({ id }, 'redelivered command answered again from the journal');
  }

  private prune(): void {
    if (this.o.pruneSafe && !this.o.pruneSafe()) {
      this.log.warn('command journal prune skipped: the wall clock jumped forward recently');
      return;
    }
    try {
      const before = this.o.now() - this.o.clockSkewSec * 1000 - DAY;
      this.o.journal.prune(before);
      // Safe for commands only: every command carries an expiry ≤ 24 h (protocols/command.ts).
      this.o.versions.prune('cmd', before);
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'command journal prune failed');
    }
  }
}
