/**
 * Runs each unit's poll on its own interval. Pollers only decide *when* to ask; the master's
 * queue decides the order on the wire (commands first, then pollers in turn), so a poller with
 * a short interval cannot crowd out the others.
 */
import type { Logger } from 'pino';

export interface PollerSpec {
  name: string;
  /** Time from the start of one poll to the start of the next (a slow poll delays the next). */
  intervalMs: number;
  run(): Promise<void>;
}

export class PollScheduler {
  private readonly pollers: PollerSpec[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private running = false;
  readonly stats = new Map<string, { runs: number; failures: number; lastMs: number }>();

  constructor(private readonly log: Logger) {}

  add(p: PollerSpec): void {
    this.pollers.push(p);
    this.stats.set(p.name, { runs: 0, failures: 0, lastMs: 0 });
    if (this.running) this.loop(p);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const p of this.pollers) this.loop(p);
  }

  /** Polls every unit now (the bus just opened): no waiting out an interval that began while it was closed. */
  pollNow(): void {
    if (!this.running) return;
    for (const p of this.pollers) {
      const t = this.timers.get(p.name);
      if (!t) continue; // running now: it will reschedule itself
      clearTimeout(t);
      this.timers.delete(p.name);
      this.loop(p);
    }
  }

  stop(): void {
    this.running = false;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private loop(p: PollerSpec): void {
    const started = performance.now();
    const s = this.stats.get(p.name)!;
    p.run().catch((e: Error) => {
      // Drivers report their own errors; a throw here is a bug worth a line.
      s.failures++;
      this.log.debug({ poller: p.name, err: e.message }, 'poll failed');
    }).finally(() => {
      s.runs++;
      s.lastMs = performance.now() - started;
      if (!this.running) return;
      const wait = Math.max(0, p.intervalMs - (performance.now() - started));
      const t = setTimeout(() => { this.timers.delete(p.name); if (this.running) this.loop(p); }, wait);
      t.unref?.();
      this.timers.set(p.name, t);
    });
  }
}
