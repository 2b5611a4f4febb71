import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from './next-tick.js';

describe('nextTick', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('runs once on the next immediate however often it was asked in one run', () => {
    let calls = 0;
    const soon = nextTick(() => calls++);
    for (let i = 0; i < 100; i++) soon();
    expect(soon.queued).toBe(true);
    expect(calls).toBe(0);
    vi.runOnlyPendingTimers();
    expect(calls).toBe(1);
    expect(soon.queued).toBe(false);
    vi.runAllTimers();
    expect(calls).toBe(1);
  });

  it('queues a new call when asked again from inside the call', () => {
    const seen: number[] = [];
    const soon = nextTick(() => { seen.push(seen.length); if (seen.length < 3) soon(); });
    soon();
    vi.runOnlyPendingTimers();
    expect(seen).toEqual([0]);
    vi.runOnlyPendingTimers();
    vi.runOnlyPendingTimers();
    expect(seen).toEqual([0, 1, 2]);
    vi.runAllTimers();
    expect(seen).toEqual([0, 1, 2]);
  });

  it('cancel drops the queued call and a later request queues again', () => {
    let calls = 0;
    const soon = nextTick(() => calls++);
    soon();
    soon.cancel();
    expect(soon.queued).toBe(false);
    vi.runAllTimers();
    expect(calls).toBe(0);
    soon();
    vi.runAllTimers();
    expect(calls).toBe(1);
  });

  it('microtask kind runs before timers and immediates of the same turn, and can be cancelled', async () => {
    vi.useRealTimers();
    const order: string[] = [];
    const micro = nextTick(() => order.push('micro'), 'microtask');
    const cancelled = nextTick(() => order.push('cancelled'), 'microtask');
    setImmediate(() => order.push('immediate'));
    micro(); micro();
    cancelled(); cancelled.cancel();
    expect(order).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['micro', 'immediate']);
  });
});
