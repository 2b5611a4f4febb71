/**
 * What waits for the bus: commands first (an operator or a charging session is waiting), then
 * polls in round-robin between pollers, so a poller that issues many requests per cycle cannot
 * starve one that issues few (fair scheduling between pollers, docs/protocols/field-bus.md §The
 * master). Bounded.
 */
export type Priority = 'command' | 'poll';

export interface Queued {
  priority: Priority;
  /** Fairness key for polls (the poller's name); commands ignore it. */
  poller: string;
  enqueuedAt: number;
}

export class RequestQueue<T extends Queued> {
  private readonly commands: T[] = [];
  private readonly polls = new Map<string, T[]>();
  /** Pollers in the order they get their next turn. */
  private readonly order: string[] = [];
  private count = 0;
  highWater = 0;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.count;
  }

  /** False when the queue is full. */
  push(item: T): boolean {
    if (this.count >= this.max) return false;
    if (item.priority === 'command') this.commands.push(item);
    else {
      let q = this.polls.get(item.poller);
      if (!q) {
        q = [];
        this.polls.set(item.poller, q);
        this.order.push(item.poller);
      }
      q.push(item);
    }
    this.count++;
    this.highWater = Math.max(this.highWater, this.count);
    return true;
  }

  shift(): T | undefined {
    const c = this.commands.shift();
    if (c) { this.count--; return c; }
    for (let i = 0; i < this.order.length; i++) {
      const name = this.order.shift()!;
      this.order.push(name); // this poller goes to the back whether or not it had work
      const q = this.polls.get(name)!;
      const item = q.shift();
      if (item) { this.count--; return item; }
    }
    return undefined;
  }

  /** Removes and returns everything (on stop or bus loss). */
  drain(): T[] {
    const out = [...this.commands.splice(0)];
    for (const q of this.polls.values()) out.push(...q.splice(0));
    this.count = 0;
    return out;
  }
}
