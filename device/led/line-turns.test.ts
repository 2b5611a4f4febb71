import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LineTurns } from './line-turns.js';

describe('LineTurns (half-duplex turn rules, docs/protocols/led-link.md §5.5)', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  const make = () => {
    const written: number[] = [];
    let turns = 0;
    const t = new LineTurns({ turnaroundMs: 2, linkRate: 100_000, write: (b) => written.push(b.length), onHostTurn: () => { turns++; } });
    return { t, written, turns: () => turns };
  };

  it('after a burst the line is the board\'s until its answer has crossed the line and 2 ms passed', () => {
    const { t, written, turns } = make();
    t.burst(Buffer.alloc(50), 500);
    expect(written).toEqual([50]);
    expect(t.hostTurn).toBe(false);
    expect(() => t.burst(Buffer.alloc(1), 500)).toThrow();
    t.heardBoard(300, 0); // 3 ms of line time at 100 kB/s, handed over at once
    vi.advanceTimersByTime(4);
    expect(t.hostTurn).toBe(false);
    vi.advanceTimersByTime(2);
    expect(t.hostTurn).toBe(true);
    expect(turns()).toBe(1);
    expect(t.stats).toMatchObject({ bursts: 1, answered: 1, overdue: 0 });
  });

  it('an overdue answer gives the line back (the lost burst is retried by the link)', () => {
    const { t, turns } = make();
    t.burst(Buffer.alloc(10), 40);
    vi.advanceTimersByTime(40);
    expect(t.hostTurn).toBe(true);
    expect(turns()).toBe(1);
    expect(t.stats.overdue).toBe(1);
    t.heardBoard(8);
    expect(t.stats.late).toBe(1);
    expect(t.hostTurn).toBe(true);
  });

  it('bytes heard while it is the host\'s turn change nothing', () => {
    const { t, turns } = make();
    t.heardBoard(100, 0);
    vi.advanceTimersByTime(100);
    expect(t.hostTurn).toBe(true);
    expect(turns()).toBe(0);
  });
});
