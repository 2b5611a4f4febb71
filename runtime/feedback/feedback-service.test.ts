import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, openDatabase } from '../storage/database.js';
import { Outbox } from '../uplink/outbox.js';
import { checkTicket, makeTicket } from '../../protocols/feedback.js';
import { FeedbackRecord } from '../../protocols/uplink.js';
import { poleTopics } from '../../protocols/topics.js';
import { Reporter } from '../uplink/reporter.js';
import { testLogger } from '../../test/helpers/logger.js';
import { FeedbackStore } from './feedback-store.js';
import { FeedbackService, TICKET_DRAWS } from './feedback-service.js';
import { DEFAULT_FEEDBACK_CATEGORIES } from './categories.js';

function setup(path = ':memory:', randomInt?: (max: number) => number, t0 = Date.parse('2026-11-27T10:00:00+08:00')) {
  let t = t0;
  const db = openDatabase(path);
  const store = new FeedbackStore(db);
  const outbox = new Outbox(db);
  const reporter = new Reporter({ outbox, topics: poleTopics('smartpole/v1', 'WH-JA-0001', []), poleId: 'WH-JA-0001', timeZone: 'Asia/Shanghai', logger: testLogger(), now: () => t });
  const svc = new FeedbackService({
    store, reporter, logger: testLogger(), now: () => t, ...(randomInt ? { randomInt } : {}),
    pole: { id: 'WH-JA-0001', address: '武汉市江岸区澳门路', lat: 30.6043, lon: 114.3012, areaCode: '420102' },
    categories: () => DEFAULT_FEEDBACK_CATEGORIES, rateLimit: { max: 3, windowMs: 60_000 },
  });
  return { db, store, outbox, svc, advance: (ms: number) => { t += ms; } };
}

/** A random source that plays back `values`, then fails loudly. */
function playback(values: number[]): (max: number) => number {
  let i = 0;
  return () => { if (i >= values.length) throw new Error('random source exhausted'); return values[i++]!; };
}

describe('FeedbackService', () => {
  it('issues random checked tickets and stores each with its outbox record', () => {
    const { svc, outbox, store } = setup();
    const a = svc.submit({ category: 'lighting', problem: 'lamp-out', lang: 'zh' });
    const b = svc.submit({ category: 'facilities', problem: 'broken-seat', lang: 'en' });
    expect(checkTicket(a.ticket).ok && checkTicket(b.ticket).ok).toBe(true);
    expect(a.ticket).not.toBe(b.ticket);
    const recs = outbox.next(0, 10);
    expect(recs.map((r) => [r.cls, r.topic])).toEqual([['feedback', 'smartpole/v1/poles/WH-JA-0001/feedback'], ['feedback', 'smartpole/v1/poles/WH-JA-0001/feedback']]);
    const p = FeedbackRecord.parse(JSON.parse(recs[0]!.payload.toString()));
    expect(p).toMatchObject({ ticket: a.ticket, problem: 'lamp-out', problemName: { zh: '路灯不亮' }, location: { areaCode: '420102' }, createdAt: '2026-11-27T10:00:00.000+08:00' });
    expect(store.get(a.ticket)).toMatchObject({ category: 'lighting' });
  });

  it('tickets are Luhn-valid, unique and follow no sequence (node:crypto randomInt)', () => {
    const { svc, advance } = setup();
    const tickets: string[] = [];
    for (let i = 0; i < 300; i++) {
      advance(21_000); // under the 3-per-minute flood limit of this fixture
      tickets.push(svc.submit({ category: 'other', problem: 'other', lang: 'zh' }).ticket);
    }
    expect(tickets.every((t) => /^\d{9}$/.test(t) && checkTicket(t).ok)).toBe(true);
    expect(new Set(tickets).size).toBe(tickets.length);
    const bodies = tickets.map((t) => Number(t.slice(0, 8)));
    const steps = new Set(bodies.slice(1).map((b, i) => b - bodies[i]!));
    expect(steps.size).toBeGreaterThan(tickets.length - 5); // no constant stride between neighbours
    const ups = bodies.slice(1).filter((b, i) => b > bodies[i]!).length;
    expect(ups).toBeGreaterThan(tickets.length * 0.3); // neither rising nor falling: not a counter
    expect(ups).toBeLessThan(tickets.length * 0.7);
    expect(new Set(tickets.map((t) => t.slice(0, 5))).size).toBeGreaterThan(tickets.length * 0.9); // no shared date prefix
  });

  it('draws again when a ticket is taken by a message or a reply, and gives up with a code', () => {
    const { svc, store } = setup(':memory:', playback([12345678, 12345678, 55555555, 55555555, 87654321, ...Array<number>(TICKET_DRAWS).fill(12345678)]));
    const first = svc.submit({ category: 'other', problem: 'other', lang: 'zh' }).ticket;
    expect(first).toBe(makeTicket('12345678'));
    store.putReply({ ticket: makeTicket('55555555'), issuer: 'wh-12345', version: 1, status: 'received', reply: { zh: '收到' }, receivedAt: 1 });
    // 12345678 is a message, 55555555 has a reply: both drawn again.
    expect(svc.submit({ category: 'other', problem: 'other', lang: 'zh' }).ticket).toBe(makeTicket('87654321'));
    expect(svc.stats.collisions).toBe(3);
    expect(() => svc.submit({ category: 'other', problem: 'other', lang: 'zh' })).toThrow(expect.objectContaining({ code: 'SP_FEEDBACK_NO_FREE_TICKET' }));
    expect(store.get(makeTicket('87654321'))).not.toBeNull();
  });

  it('refuses unknown problems and floods, with codes', () => {
    const { svc, advance } = setup();
    expect(() => svc.submit({ category: 'lighting', problem: 'nope', lang: 'zh' })).toThrow(expect.objectContaining({ code: 'SP_FEEDBACK_UNKNOWN_PROBLEM' }));
    for (let i = 0; i < 3; i++) svc.submit({ category: 'other', problem: 'other', lang: 'zh' });
    expect(() => svc.submit({ category: 'other', problem: 'other', lang: 'zh' })).toThrow(expect.objectContaining({ code: 'SP_FEEDBACK_RATE_LIMITED' }));
    advance(61_000);
    expect(checkTicket(svc.submit({ category: 'other', problem: 'other', lang: 'zh' }).ticket).ok).toBe(true);
  });

  it('never reissues a ticket after a restart (taken tickets come from the database)', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sp-fb-')), 'pole.db');
    const first = setup(path, playback([424242]));
    first.svc.submit({ category: 'other', problem: 'other', lang: 'zh' });
    closeDatabase(first.db);
    const second = setup(path, playback([424242, 777]));
    expect(second.svc.submit({ category: 'other', problem: 'other', lang: 'zh' }).ticket).toBe(makeTicket('00000777'));
    expect(second.outbox.depth()).toBe(2);
    closeDatabase(second.db);
  });

  it('looks up a ticket and its reply; a mistyped ticket is caught by the check digit', () => {
    const { svc, store } = setup();
    const { ticket } = svc.submit({ category: 'roads', problem: 'road-damage', lang: 'zh' });
    expect(svc.lookup(ticket)).toMatchObject({ check: { ok: true }, message: { problem: 'road-damage' }, reply: null });
    store.putReply({ ticket, issuer: 'wh-12345', version: 1, status: 'resolved', reply: { zh: '已修复，感谢反馈。' }, receivedAt: 1 });
    expect(svc.lookup(ticket).reply).toMatchObject({ status: 'resolved' });
    const typo = ticket.slice(0, 3) + ((Number(ticket[3]) + 1) % 10) + ticket.slice(4);
    expect(svc.lookup(typo).check).toEqual({ ok: false, reason: 'check' });
  });
});
