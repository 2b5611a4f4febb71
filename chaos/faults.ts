/**
 * Carries out the schedule (docs/chaos.md §Faults): at each fault's time its start steps, after its
 * duration its end steps, through the sim's HTTP API or the harness's hold on the pole (broker,
 * runtime process, clock, disk). Every step goes to the event log, which is what a failed run prints
 * to replay it.
 */
import type { FaultStep } from './fault-kinds.js';
import { FAULT_KINDS } from './fault-kinds.js';
import type { PoleRig } from './pole-rig.js';
import type { ScheduledFault } from './schedule.js';
import type { EventLog } from './event-log.js';

export interface FaultOutcome { fault: ScheduledFault; startedAt: number; endedAt: number | null; error: string | null }

export class Injector {
  readonly outcomes: FaultOutcome[] = [];
  readonly active = new Map<string, ScheduledFault>();
  private readonly endListeners: ((f: ScheduledFault, o: FaultOutcome) => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly rig: PoleRig, private readonly log: EventLog) {}

  onEnd(f: (fault: ScheduledFault, o: FaultOutcome) => void): void {
    this.endListeners.push(f);
  }

  /** True while a fault that cuts the pole off from city operations is on. */
  offline(): boolean {
    return [...this.active.values()].some((f) => f.device === 'broker' || f.device === 'runtime' || (f.device === 'modem' && f.kind !== 'modem.garbage'));
  }

  /** Runs the schedule from `t0` (ms epoch); resolves when every fault has ended. */
  async run(schedule: readonly ScheduledFault[], t0: number, stopped: () => boolean): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const f of schedule) {
      const wait = t0 + f.at - Date.now();
      if (wait > 0) await sleep(wait, stopped);
      if (stopped()) break;
      pending.push(this.one(f));
    }
    await Promise.all(pending);
  }

  private async one(f: ScheduledFault): Promise<void> {
    const kind = FAULT_KINDS.find((k) => k.kind === f.kind)!;
    const o: FaultOutcome = { fault: f, startedAt: Date.now(), endedAt: null, error: null };
    this.outcomes.push(o);
    this.active.set(f.device, f);
    this.log.add('fault', `#${f.n} ${f.kind} start`, f.args);
    try {
      for (const s of kind.start(f.args)) await this.step(s);
    } catch (e) {
      o.error = (e as Error).message;
      this.log.add('fault', `#${f.n} ${f.kind} start failed: ${o.error}`);
    }
    if (f.durationMs > 0) await new Promise((r) => { const t = setTimeout(r, f.durationMs); this.timers.add(t); });
    try {
      for (const s of kind.end(f.args)) await this.step(s);
    } catch (e) {
      o.error ??= (e as Error).message;
      this.log.add('fault', `#${f.n} ${f.kind} end failed: ${(e as Error).message}`);
    }
    o.endedAt = Date.now();
    this.active.delete(f.device);
    this.log.add('fault', `#${f.n} ${f.kind} end`);
    for (const l of this.endListeners) l(f, o);
  }

  async step(s: FaultStep): Promise<void> {
    if ('sim' in s) {
      await this.rig.sim.api('/api/faults', { method: 'POST', body: JSON.stringify({ device: s.sim, fault: s.fault, args: s.args ?? {} }) });
      return;
    }
    switch (s.harness) {
      case 'broker-stop': return this.rig.broker.stop();
      case 'broker-start': return this.rig.broker.start();
      case 'runtime-kill9': return this.rig.kill9();
      case 'clock-offset': this.rig.clock.set(Number(s.args?.offsetSec ?? 0)); return;
      case 'disk-fill': this.rig.disk.fill(Number(s.args?.leaveKiB ?? 1024)); return;
      case 'disk-free': this.rig.disk.free(); return;
    }
  }

  /** Ends what is still on (the run was cut short). */
  clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
  }
}

export function sleep(ms: number, stopped: () => boolean = () => false): Promise<void> {
  return new Promise((r) => {
    const end = Date.now() + ms;
    const tick = () => (stopped() || Date.now() >= end ? r() : setTimeout(tick, Math.min(250, end - Date.now())));
    tick();
  });
}
