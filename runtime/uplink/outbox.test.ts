import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../storage/database.js';
import { Outbox } from './outbox.js';

const body = (r: { payload: Buffer }) => JSON.parse(r.payload.toString()) as Record<string, unknown> & { uplink: { stream: string; seq: number } };

describe('Outbox', () => {
  it('keeps records in order until acknowledged, each stamped with its stream and seq', () => {
    const ob = new Outbox(openDatabase(':memory:'));
    const a = ob.enqueue('t/a', { n: 1 }, 'event');
    const b = ob.enqueue('t/b', { n: 2 }, 'receipt');
    expect(ob.next(0, 10).map((r) => r.seq)).toEqual([a, b]);
    expect(body(ob.next(0, 1)[0]!)).toEqual({ n: 1, uplink: { stream: ob.stream, seq: a } });
    ob.ack(a);
    expect(ob.next(0, 10).map((r) => r.seq)).toEqual([b]);
    expect(ob.depth()).toBe(1);
    ob.ackMany([b]);
    expect(ob.depth()).toBe(0);
    expect(ob.bytes()).toBe(0);
  });

  it('never reuses a seq, and keeps its stream id, across restarts', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ob-')), 'pole.db');
    const db1 = openDatabase(file);
    const ob1 = new Outbox(db1);
    const s1 = ob1.enqueue('t', { n: 1 }, 'event');
    ob1.ack(s1);
    db1.close();
    const ob2 = new Outbox(openDatabase(file));
    expect(ob2.stream).toBe(ob1.stream);
    expect(ob2.enqueue('t', { n: 2 }, 'event')).toBe(s1 + 1);
  });

  it('a rolled-back record leaves no gap and no reused seq behind', () => {
    const db = openDatabase(':memory:');
    const ob = new Outbox(db);
    const a = ob.enqueue('t', { n: 1 }, 'feedback');
    expect(() => db.transaction(() => { ob.enqueue('t', { n: 2 }, 'feedback'); throw new Error('citizen message not stored'); })()).toThrow();
    const c = ob.enqueue('t', { n: 3 }, 'feedback');
    expect(c).toBe(a + 1);
    expect(ob.next(0, 10).map((r) => body(r).n)).toEqual([1, 3]);
    expect(ob.depth()).toBe(2);
  });

  it('drops low-value telemetry first and never feedback when full (rows)', () => {
    const ob = new Outbox(openDatabase(':memory:'), { maxRows: 5 });
    for (let i = 0; i < 3; i++) ob.enqueue('f', { i }, 'feedback');
    for (let i = 0; i < 3; i++) ob.enqueue('t', { i }, 'telemetry');
    ob.enqueue('e', {}, 'event');
    expect(ob.depth()).toBe(5);
    expect(ob.depthByClass()).toEqual({ feedback: 3, telemetry: 1, event: 1 });
    expect(ob.stats.dropped).toBe(2);
    expect(ob.stats.droppedByClass).toEqual({ telemetry: 2 });
  });

  it('keeps security events and audit records longest: a flood of ordinary events cannot push them out', () => {
    const ob = new Outbox(openDatabase(':memory:'), { maxRows: 4 });
    ob.enqueue('s', { n: 1 }, 'security');
    ob.enqueue('a', { n: 2 }, 'audit');
    for (let i = 0; i < 20; i++) ob.enqueue('e', { i }, 'event');
    expect(ob.depthByClass()).toEqual({ security: 1, audit: 1, event: 2 });
    // A security event makes room from audit only after every ordinary event is gone.
    for (let i = 0; i < 3; i++) ob.enqueue('s', { i }, 'security');
    expect(ob.depthByClass()).toEqual({ security: 4 });
  });

  it('is bounded in bytes too, oldest of the lowest class first', () => {
    const ob = new Outbox(openDatabase(':memory:'), { maxBytes: 10_000 });
    const big = 'x'.repeat(900);
    for (let i = 0; i < 5; i++) ob.enqueue('t', { i, big }, 'telemetry');
    for (let i = 0; i < 5; i++) ob.enqueue('r', { i, big }, 'receipt');
    expect(ob.bytes()).toBeLessThanOrEqual(10_000);
    ob.enqueue('e', { big: 'y'.repeat(3000) }, 'event');
    expect(ob.bytes()).toBeLessThanOrEqual(10_000);
    const left = ob.next(0, 100).map((r) => `${r.cls}:${String(body(r).i ?? '-')}`);
    // Just enough telemetry went, oldest first; receipts were not touched.
    expect(left).toEqual(['telemetry:3', 'telemetry:4', 'receipt:0', 'receipt:1', 'receipt:2', 'receipt:3', 'receipt:4', 'event:-']);
    expect(ob.stats.droppedByClass).toEqual({ telemetry: 3 });
    for (let i = 0; i < 4; i++) ob.enqueue('e', { big: 'y'.repeat(3000) }, 'event');
    expect(ob.bytes()).toBeLessThanOrEqual(10_000);
    expect(Object.keys(ob.depthByClass())).toEqual(['event']);
  });

  it('never drops a higher class for a lower one; refuses a citizen message only when such records alone fill it', () => {
    const ob = new Outbox(openDatabase(':memory:'), { maxRows: 100, maxBytes: 64 * 1024 });
    for (let i = 0; i < 100; i++) ob.enqueue('e', { i }, 'event');
    expect(ob.enqueue('t', { late: true }, 'telemetry')).toBe(0); // no room, and events outrank telemetry
    expect(ob.depthByClass()).toEqual({ event: 100 });
    ob.enqueue('f', { ticket: 'T1' }, 'feedback'); // drops the oldest event
    expect(ob.depthByClass()).toEqual({ event: 99, feedback: 1 });
    const full = new Outbox(openDatabase(':memory:'), { maxRows: 100 });
    for (let i = 0; i < 100; i++) full.enqueue('f', { i }, 'feedback');
    expect(() => full.enqueue('f', { i: 100 }, 'feedback')).toThrow(expect.objectContaining({ code: 'SP_OUTBOX_FULL' }));
    expect(full.depth()).toBe(100);
    expect(full.enqueue('t', {}, 'telemetry')).toBe(0);
  });
});
