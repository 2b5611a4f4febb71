/**
 * "Call this every N ms while started": the one repeating timer of the runtime's housekeeping
 * (docs/architecture.md §Shared helpers) — clock checks, expiry and pruning sweeps, state
 * publishing. The timer is unref'd (it never keeps the process alive), `start()` while running
 * and `stop()` while stopped do nothing, so owners need no flag of their own.
 */
export interface Periodic {
  /** Starts calling `fn` every `ms`; `now: true` also calls it once at once. */
  start(opts?: { now?: boolean }): void;
  stop(): void;
  readonly running: boolean;
}

export function periodic(fn: () => void, ms: number): Periodic {
  let timer: NodeJS.Timeout | null = null;
  return {
    start(opts) {
      if (timer) return;
      if (opts?.now) fn();
      timer = setInterval(fn, ms);
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    get running() {
      return timer !== null;
    },
  };
}
