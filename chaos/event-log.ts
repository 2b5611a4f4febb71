/**
 * The run's event log (docs/chaos.md §Replaying a failure): faults, workload actions and
 * violations with their time since the start. A failed invariant prints the entries of the minute
 * before it — the minimal log to read with `--seed S`, which replays the same schedule.
 */
import { writeFileSync } from 'node:fs';

export interface LogEntry { t: number; kind: 'fault' | 'work' | 'violation' | 'rig'; text: string; args?: unknown }

export class EventLog {
  readonly entries: LogEntry[] = [];
  constructor(private readonly t0: number) {}

  add(kind: LogEntry['kind'], text: string, args?: unknown): void {
    this.entries.push({ t: Date.now() - this.t0, kind, text, args });
    if (this.entries.length > 50_000) this.entries.splice(0, 10_000);
  }

  /** The whole log as JSON lines (kept in the run's work directory). */
  save(file: string): void {
    writeFileSync(file, this.entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
  }

  /** The entries in the `windowMs` before `at` (ms epoch), faults first-class. */
  before(at: number, windowMs = 60_000): LogEntry[] {
    const t = at - this.t0;
    return this.entries.filter((e) => e.t <= t && e.t >= t - windowMs);
  }

  static format(e: LogEntry): string {
    return `  +${(e.t / 1000).toFixed(1).padStart(7)} s  ${e.kind.padEnd(9)} ${e.text}${e.args && Object.keys(e.args as object).length ? ` ${JSON.stringify(e.args)}` : ''}`;
  }
}
