import { describe, expect, it } from 'vitest';
import { openDatabase } from '../storage/database.js';
import { Outbox } from './outbox.js';

describe('Outbox', () => {
  it('keeps records in order until acknowledged', () => {
    const ob = new Outbox(openDatabase(':memory:'));
    const a = ob.enqueue('t/a', { n: 1 }, 'event');
    const b = ob.enqueue('t/b', { n: 2 }, 'receipt');
    expect(ob.next(0, 10).map((r) => r.seq)).toEqual([a, b]);
    expect(JSON.parse(ob.next(0, 1)[0]!.payload.toString())).toEqual({ n: 1 });
    ob.ack(a);
    expect(ob.next(0, 10).map((r) => r.seq)).toEqual([b]);
    expect(ob.depth()).toBe(1);
  });

  it('drops low-value telemetry first and never feedback when full', () => {
    const ob = new Outbox(openDatabase(':memory:'), { maxRows: 5 });
    for (let i = 0; i < 3; i++) ob.enqueue('f', { i }, 'feedback');
    for (let i = 0; i < 3; i++) ob.enqueue('t', { i }, 'telemetry');
    ob.enqueue('e', {}, 'event');
    expect(ob.depth()).toBe(5);
    expect(ob.depthByClass()).toEqual({ feedback: 3, telemetry: 1, event: 1 });
    expect(ob.stats.dropped).toBe(2);
  });
});
