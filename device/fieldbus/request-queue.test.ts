import { describe, expect, it } from 'vitest';
import { RequestQueue, type Queued } from './request-queue.js';

type Item = Queued & { id: string };
const poll = (poller: string, id: string): Item => ({ priority: 'poll', poller, enqueuedAt: 0, id });
const command = (id: string): Item => ({ priority: 'command', poller: 'ops', enqueuedAt: 0, id });
const order = (q: RequestQueue<Item>) => { const out: string[] = []; for (let i = q.shift(); i; i = q.shift()) out.push(i.id); return out; };

describe('RequestQueue', () => {
  it('serves commands first, in arrival order, then polls', () => {
    const q = new RequestQueue<Item>(16);
    q.push(poll('meter', 'm1'));
    q.push(command('c1'));
    q.push(poll('meter', 'm2'));
    q.push(command('c2'));
    expect(order(q)).toEqual(['c1', 'c2', 'm1', 'm2']);
  });

  it('takes polls round-robin between pollers, so one with many requests cannot starve one with few', () => {
    const q = new RequestQueue<Item>(16);
    for (let i = 1; i <= 5; i++) q.push(poll('meter', `m${i}`));
    q.push(poll('lamp', 'l1'));
    q.push(poll('pads', 'p1'));
    expect(order(q)).toEqual(['m1', 'l1', 'p1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('keeps the rotation across shifts: a poller that just had its turn goes to the back', () => {
    const q = new RequestQueue<Item>(16);
    q.push(poll('a', 'a1'));
    q.push(poll('b', 'b1'));
    expect(q.shift()!.id).toBe('a1');
    q.push(poll('a', 'a2'));
    expect(order(q)).toEqual(['b1', 'a2']);
  });

  it('is bounded: a push beyond the maximum is refused and counts nothing; high water is kept', () => {
    const q = new RequestQueue<Item>(2);
    expect(q.push(poll('a', '1'))).toBe(true);
    expect(q.push(command('2'))).toBe(true);
    expect(q.push(poll('b', '3'))).toBe(false);
    expect(q.size).toBe(2);
    q.shift();
    expect(q.push(poll('b', '4'))).toBe(true);
    expect(q.highWater).toBe(2);
  });

  it('drain returns everything and empties it', () => {
    const q = new RequestQueue<Item>(8);
    q.push(poll('a', 'a1'));
    q.push(command('c1'));
    q.push(poll('b', 'b1'));
    expect(q.drain().map((i) => i.id).sort()).toEqual(['a1', 'b1', 'c1']);
    expect(q.size).toBe(0);
    expect(q.shift()).toBeUndefined();
  });
});
