/**
 * "Run once on a later turn, however often asked": the one coalescing helper of the runtime
 * (docs/architecture.md §Shared helpers). A burst of requests in one synchronous run — many
 * messages in one MQTT packet, many UI changes in one touch, the frames of one window — costs one
 * call of `fn`, made after the run has finished. `fn` may request again; that queues a new call.
 *
 * `immediate` runs after pending I/O (setImmediate: the event loop turns, so sockets and timers
 * are served between two calls); `microtask` runs before the event loop continues (queueMicrotask:
 * still in this turn, after the current synchronous code and earlier microtasks).
 */
export type TickKind = 'immediate' | 'microtask';

export interface NextTick {
  /** Asks for one call of `fn` on the next tick; a request while one is queued adds nothing. */
  (): void;
  /** A call is queued and has not started yet. */
  readonly queued: boolean;
  /** Drops the queued call, if any (the caller did the work itself). */
  cancel(): void;
}

export function nextTick(fn: () => void, kind: TickKind = 'immediate'): NextTick {
  let immediate: NodeJS.Immediate | null = null;
  /** Microtasks cannot be cleared: a call runs only if its generation is still the queued one. */
  let generation = 0;
  let queued = false;
  const run = (g: number) => {
    if (!queued || g !== generation) return;
    queued = false;
    immediate = null;
    fn();
  };
  const request = (() => {
    if (queued) return;
    queued = true;
    const g = ++generation;
    if (kind === 'immediate') immediate = setImmediate(() => run(g));
    else queueMicrotask(() => run(g));
  }) as NextTick;
  Object.defineProperties(request, {
    queued: { get: () => queued },
    cancel: {
      value: () => {
        if (!queued) return;
        queued = false;
        generation++;
        if (immediate) clearImmediate(immediate);
        immediate = null;
      },
    },
  });
  return request;
}
