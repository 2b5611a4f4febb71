import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { periodic } from './periodic.js';

describe('periodic', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('calls every ms while started, not before start nor after stop', () => {
    const fn = vi.fn();
    const p = periodic(fn, 1000);
    vi.advanceTimersByTime(5000);
    expect(fn).not.toHaveBeenCalled();
    p.start();
    expect(p.running).toBe(true);
    vi.advanceTimersByTime(3500);
    expect(fn).toHaveBeenCalledTimes(3);
    p.stop();
    expect(p.running).toBe(false);
    vi.advanceTimersByTime(5000);
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('start({ now: true }) calls once at once; a second start adds no second timer', () => {
    const fn = vi.fn();
    const p = periodic(fn, 1000);
    p.start({ now: true });
    p.start({ now: true });
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(2);
    p.stop();
    p.stop();
    p.start();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(3);
    p.stop();
  });
});
