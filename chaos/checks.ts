/**
 * The invariants (docs/chaos.md §Invariants), checked as records arrive, after every fault, and at
 * the end. Each has a counter of checks and a list of violations.
 */
import { HEALTH_KEY } from './fault-kinds.js';
import type { Injector } from './faults.js';
import { sleep } from './faults.js';
import type { Invariant, Invariants } from './invariant.js';
import type { Ledger } from './ledger.js';
import type { OpsLink, UpRecord } from './ops-link.js';
import type { PoleRig } from './pole-rig.js';
import type { ScheduledFault } from './schedule.js';
import { compareScreen } from './screen-check.js';

/** Classes the outbox may drop (docs/mqtt-api.md §Bounds and drop policy). */
const DROPPABLE = new Set(['telemetry', 'cmdres', 'receipt', 'event', 'audit', 'security']);

export class Checks {
  readonly notices: Invariant;
  readonly commands: Invariant;
  readonly feedback: Invariant;
  readonly charging: Invariant;
  readonly outbox: Invariant;
  readonly recovery: Invariant;
  readonly screen: Invariant;
  readonly memory: Invariant;
  readonly process: Invariant;
  recoveryMs: number[] = [];
  private readonly firstResponse = new Map<string, string>();

  constructor(inv: Invariants, private readonly ledger: Ledger, private readonly ops: OpsLink, private readonly injector: Injector, private readonly rig: PoleRig, private readonly maxRows: number) {
    this.notices = inv.add('notices', 'every notice ops saw accepted is displayed or expired as it should; no withdrawn or refused notice is shown');
    this.commands = inv.add('commands', 'every command id got exactly one response (re-answers identical); none ran twice');
    this.feedback = inv.add('feedback', 'every citizen\'s message taken on the screen reached MQTT exactly once (by ticket)');
    this.charging = inv.add('charging', 'every charging session\'s energy equals the meter\'s to the Wh; none lost or duplicated');
    this.outbox = inv.add('outbox', 'the outbox stays within its bounds and drops only what the policy allows');
    this.recovery = inv.add('recovery', 'within the recovery window after a fault ends, the device is healthy again');
    this.screen = inv.add('screen', 'the board shows the frame the runtime presented, never blank or half-drawn');
    this.memory = inv.add('memory', 'RSS and event-loop delay show no upward trend');
    this.process = inv.add('process', 'the runtime exits only when killed');
  }

  /** Continuous checks on each record the pole sends up. */
  onRecord(r: UpRecord): void {
    const b = r.body;
    if (r.leaf === 'cmd/res' && typeof b.id === 'string') {
      const norm = JSON.stringify({ ...b, uplink: undefined });
      const first = this.firstResponse.get(b.id);
      if (first === undefined) this.firstResponse.set(b.id, norm);
      else this.commands.check(first === norm, () => `command ${b.id} answered twice, differently (it ran twice)`, () => ({ first: JSON.parse(first) as unknown, again: b }));
    }
    if (r.leaf === 'receipts' && b.type === 'receipt' && b.status === 'displayed' && typeof b.id === 'string') {
      // The receipts of this id before this one (this one is already in the ledger, last).
      const list = this.ledger.receipts.get(b.id) ?? [];
      // A refusal counts only for this version: a withdrawal refused (say, by a clock set back) leaves the notice in force.
      const before = list.slice(0, -1).filter((x) => x.status === 'accepted' || x.status === 'withdrawn' || x.status === 'expired' || (x.status === 'rejected' && x.version === b.version));
      const last = before.at(-1);
      // No earlier receipt at all: the outbox may have dropped it (receipts are a droppable class).
      this.notices.check(last === undefined || last.status === 'accepted', () => `notice ${b.id} displayed after it was ${last?.status}`, () => list);
    }
    if ((r.leaf === 'telemetry' && b.kind === 'uplink') || (r.leaf === 'state' && b.online === true)) {
      const depth = r.leaf === 'state' ? (b.outbox as { depth?: number } | undefined)?.depth : (b.values as { outboxDepth?: number } | undefined)?.outboxDepth;
      if (typeof depth === 'number') this.outbox.check(depth <= this.maxRows, () => `outbox depth ${depth} above its bound ${this.maxRows}`);
    }
    if (r.leaf === 'events' && b.code === 'SP_OUTBOX_DROPPED') {
      const bad = Object.entries((b.byClass as Record<string, number>) ?? {}).filter(([k, n]) => n > 0 && !DROPPABLE.has(k));
      this.outbox.check(bad.length === 0, () => `the outbox dropped never-dropped records: ${JSON.stringify(bad)}`);
    }
  }

  /** After a fault ends: its device healthy again (and the screen valid) within the window, waiting out other outages. */
  async afterFault(f: ScheduledFault, endedAt: number): Promise<void> {
    const key = HEALTH_KEY[f.device] ?? null;
    // A kill or a broker outage always ends in a new connection and so a new birth; a modem fault may pass unnoticed.
    const needsBirth = f.device === 'runtime' || f.device === 'broker';
    let budget = f.device === 'modem' ? 180_000 : 90_000;
    let last = Date.now();
    while (budget > 0) {
      await sleep(1000);
      const now = Date.now();
      // Time under another outage does not count: the pole cannot tell anyone it is healthy.
      if (!this.injector.offline()) budget -= now - last;
      last = now;
      const again = this.injector.active.get(f.device);
      if (again && again.n !== f.n) return; // superseded by the next fault on this device
      const fresh = !needsBirth || (this.ledger.online && this.ledger.birthAt > endedAt);
      if (fresh && (key === null || this.ledger.health(key) === 'ok')) {
        this.recoveryMs.push(now - endedAt);
        this.recovery.check(true, () => '');
        if (f.device === 'led' || f.device === 'runtime') await this.screenValid(`after #${f.n} ${f.kind}`);
        return;
      }
    }
    this.recovery.check(false, () => `#${f.n} ${f.kind}: ${key ?? 'the pole'} not healthy within the window after the fault ended (health ${key ? this.ledger.health(key) : '-'}, online ${this.ledger.online})`, () => this.ledger.birth?.devices);
  }

  /** The screen check, retried while pages turn; a verdict counts only when the pole could answer. */
  async screenValid(why: string): Promise<void> {
    let lastBad = '';
    for (let i = 0; i < 8; i++) {
      if (this.injector.offline() || this.injector.active.has('led')) return;
      const v = await compareScreen(this.rig, this.ops, this.ledger).catch((e: Error) => ({ ok: null, why: e.message }));
      if (v.ok === true) { this.screen.check(true, () => ''); return; }
      if (v.ok === false) lastBad = v.why;
      await sleep(1500);
    }
    if (lastBad) this.screen.check(false, () => `${why}: ${lastBad}`);
  }

  process_(): void {
    for (const e of this.rig.exits) this.process.check(e.expected, () => `the runtime exited by itself (code ${e.code}, signal ${e.signal})`, () => e.tail.split('\n').slice(-15));
  }
}

export { DROPPABLE };
