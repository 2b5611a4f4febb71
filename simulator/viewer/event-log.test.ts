import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventLog, describeUplink } from './event-log.js';

describe('viewer event log', () => {
  it('keeps the newest entries up to its capacity, in order, and counts what it dropped', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 200 }), (cap, n) => {
      const log = new EventLog(cap, () => 0);
      for (let i = 0; i < n; i++) log.add('pole', 'event', `e${i}`, { i });
      const all = log.entries();
      expect(all.length).toBe(Math.min(cap, n));
      expect(log.dropped).toBe(Math.max(0, n - cap));
      if (n) expect(all.at(-1)!.summary).toBe(`e${n - 1}`);
      for (let k = 1; k < all.length; k++) expect(all[k]!.seq).toBe(all[k - 1]!.seq + 1);
    }));
  });

  it('filters by kind, text (summary or data, any case), sequence and limit', () => {
    const log = new EventLog();
    log.add('pole', 'receipt', 'notice n-1 v1: accepted', { id: 'n-1' });
    log.add('pole', 'telemetry', 'uplink outboxDepth=0', { values: { outboxDepth: 0 } });
    log.add('sim', 'fault', 'led: stall', { device: 'LED' });
    expect(log.entries({ kinds: ['receipt', 'fault'] }).map((e) => e.kind)).toEqual(['receipt', 'fault']);
    expect(log.entries({ text: 'led' }).map((e) => e.kind)).toEqual(['fault']);
    expect(log.entries({ text: 'OUTBOXDEPTH' }).map((e) => e.kind)).toEqual(['telemetry']);
    expect(log.entries({ afterSeq: 2 }).map((e) => e.seq)).toEqual([3]);
    expect(log.entries({ limit: 1 }).map((e) => e.seq)).toEqual([3]);
  });

  it('tells listeners of each entry until they unsubscribe', () => {
    const log = new EventLog();
    const seen: number[] = [];
    const off = log.onEntry((e) => seen.push(e.seq));
    log.add('ops', 'ops', 'a', null);
    off();
    log.add('ops', 'ops', 'b', null);
    expect(seen).toEqual([1]);
  });

  it('describes what the pole publishes, and never throws on odd records', () => {
    expect(describeUplink('receipts', { type: 'receipt', kind: 'notice', id: 'n-1', version: 5, status: 'rejected', code: 'SP_MSG_SCHEMA' }))
      .toEqual({ kind: 'receipt', summary: 'notice n-1 v5: rejected SP_MSG_SCHEMA', level: 'error' });
    expect(describeUplink('cmd/res', { name: 'ping', id: 'c-1', ok: true }).summary).toBe('ping c-1: ok');
    expect(describeUplink('state', { online: false, bdSeq: 3, reason: 'connection lost' }).level).toBe('warn');
    expect(describeUplink('events', { severity: 'alarm', code: 'led.fault' }).level).toBe('warn');
    expect(describeUplink('feedback', { type: 'rating', ticket: '263310047', rating: 'satisfied' }).summary).toBe('ticket 263310047 rated satisfied');
    fc.assert(fc.property(fc.constantFrom('receipts', 'events', 'cmd/res', 'state', 'telemetry', 'feedback', 'audit', 'other'), fc.dictionary(fc.string(), fc.jsonValue()), (leaf, rec) => {
      const d = describeUplink(leaf, rec);
      expect(typeof d.summary).toBe('string');
    }));
  });
});
