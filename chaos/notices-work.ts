/**
 * The notice workload (docs/chaos.md §Workload): notices of every priority pushed with short
 * rotations and varied lifetimes, withdrawn at random, and the Wuhan rainstorm CAP sample re-timed
 * as if sent now. Keeps the pushes in a book the notice invariant reads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { capPayloadFromXml } from '../ops/commands/cap.js';
import { isoWithOffset } from '../protocols/time.js';
import { packageRoot } from '../runtime/version.js';
import type { EventLog } from './event-log.js';
import type { OpsLink } from './ops-link.js';

export interface PushedNotice { id: string; version: number; priority: string; pushedAt: number; expiresAt: number; withdrawnAt: number | null; cap: boolean }

// Emergencies take the whole screen and ignore touch (docs/screen.md §Behaviour): rarer and short,
// so that citizens can still reach the message form between them.
const PRIORITIES = ['low', 'low', 'normal', 'normal', 'normal', 'high', 'high', 'emergency'] as const;

export class NoticeWork {
  readonly pushed = new Map<string, PushedNotice>();
  private n = 0;
  private readonly capXml = readFileSync(join(packageRoot(), 'docs', 'examples', 'cap', 'wuhan-rainstorm-orange.xml'), 'utf8');

  constructor(private readonly ops: OpsLink, private readonly log: EventLog, private readonly rnd: () => number) {}

  live(): PushedNotice[] {
    const now = Date.now();
    return [...this.pushed.values()].filter((p) => p.withdrawnAt === null && p.expiresAt > now);
  }

  push(): void {
    if (this.live().length >= 8) return this.withdraw();
    const priority = PRIORITIES[Math.floor(this.rnd() * PRIORITIES.length)]!;
    const lifeMs = priority === 'emergency' ? Math.round(20_000 + this.rnd() * 40_000) : Math.round(30_000 + this.rnd() * 570_000);
    const now = Date.now();
    const id = `chaos-n-${++this.n}`;
    const r = this.ops.pushNotice({
      id, priority, durationSec: 5, expiresAt: isoWithOffset(now + lifeMs),
      title: { zh: `混沌测试通知 ${this.n}`, en: `Chaos notice ${this.n}` },
      body: { zh: `第${this.n}条测试通知，优先级 ${priority}。`, en: `Test notice ${this.n}, priority ${priority}.` },
    });
    this.pushed.set(id, { id, version: r.version, priority, pushedAt: now, expiresAt: now + lifeMs, withdrawnAt: null, cap: false });
    this.log.add('work', `notice ${id} pushed`, { priority, lifeSec: Math.round(lifeMs / 1000) });
  }

  withdraw(): void {
    const live = this.live();
    if (!live.length) return;
    const p = live[Math.floor(this.rnd() * live.length)]!;
    this.ops.withdraw(p.id);
    p.withdrawnAt = Date.now();
    this.log.add('work', `notice ${p.id} withdrawn`);
  }

  cap(): void {
    const existing = [...this.pushed.values()].find((p) => p.cap && p.withdrawnAt === null && p.expiresAt > Date.now());
    if (existing) {
      this.ops.withdraw(existing.id);
      existing.withdrawnAt = Date.now();
      this.log.add('work', `CAP ${existing.id} withdrawn`);
      return;
    }
    const now = Date.now();
    const { payload } = capPayloadFromXml(this.capXml, 'wuhan-rainstorm-orange.xml', true, now, `pole:${this.ops.poleId}`);
    this.ops.pushCap(payload);
    const expiresAt = payload.expiresAt ? Date.parse(payload.expiresAt) : now + 3_600_000;
    this.pushed.set(payload.id, { id: payload.id, version: payload.version, priority: 'emergency', pushedAt: now, expiresAt, withdrawnAt: null, cap: true });
    this.log.add('work', `CAP ${payload.id} pushed`);
  }
}
