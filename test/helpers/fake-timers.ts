/**
 * Fake timers for every test of a file, and every driver a test opened closed after it (a link
 * left open would fire its timers into the next test). The rig pushes what it opens onto the
 * returned list: `const links = fakeTimersClosing((l: LedLink) => l.close());`.
 */
import { afterEach, beforeEach, vi } from 'vitest';

export function fakeTimersClosing<T>(close: (x: T) => void): T[] {
  const open: T[] = [];
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => {
    for (const x of open.splice(0)) close(x);
    vi.useRealTimers();
  });
  return open;
}
