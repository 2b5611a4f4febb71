import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, openDatabase } from '../storage/database.js';
import { Outbox } from '../uplink/outbox.js';
import { checkTicket } from '../../protocols/feedback.js';
import { FeedbackRecord } from '../../protocols/uplink.js';
import { poleTopics } from '../../protocols/topics.js';
import { Reporter } from '../uplink/reporter.js';
import { testLogger } from '../../test/helpers/logger.js';
import { FeedbackStore } from './feedback-store.js';
import { FeedbackService, localDay } from './feedback-service.js';
import { DEFAULT_FEEDBACK_CATEGORIES } from './categories.js';

function setup(path = ':memory:', t0 = Date.parse('2026-11-27T10:00:00+08:00')) {
  let t = t0;
  const db = openDatabase(path);
  const store = new FeedbackStore(db);
  const outbox = new Outbox(db);
  const reporter = new Reporter({ outbox, topics: poleTopics('smartpole/v1', 'WH-JA-0001', []), poleId: 'WH-JA-0001', timeZone: 'Asia/Shanghai', logger: testLogger(), now: () => t });
  const svc = new FeedbackService({
    store, reporter, timeZone: 'Asia/Shanghai', logger: testLogger(), now: () => t,
    pole: { id: 'WH-JA-0001', address: '武汉市江岸区澳门路', lat: 30.6043, lon: 114.3012, areaCode: '420102' },
    categories: () => DEFAULT_FEEDBACK_CATEGORIES, rateLimit: { max: 3, windowMs: 60_000 },
  });
  return { db, store, outbox, svc, advance: (ms: number) => { t += ms; } };
}

describe('FeedbackService', () => {
  it('issues sequential checked tickets and stores each with its outbox record', () => {
    const { svc, outbox, store } = setup();
    const a = svc.submit({ category: 'lighting', problem: 'lamp-out', lang: 'zh' });
    const b = svc.submit({ category: 'facilities', problem: 'broken-seat', lang: 'en' });
    expect(a.ticket).toBe('26331001' + a.ticket.at(-1));
    expect(b.ticket.slice(0, 8)).toBe('26331002');
    expect(checkTicket(a.ticket).ok && checkTicket(b.ticket).ok).toBe(true);
    const recs = outbox.next(0, 10);
    expect(recs.map((r) => [r.cls, r.topic])).toEqual([['feedback', 'smartpole/v1/poles/WH-JA-0001/feedback'], ['feedback', 'smartpole/v1/poles/WH-JA-0001/feedback']]);
    const p = FeedbackRecord.parse(JSON.parse(recs[0]!.payload.toString()));
    expect(p).toMatchObject({ ticket: a.ticket, problem: 'lamp-out', problemName: { zh: '路灯不亮' }, location: { areaCode: '420102' }, createdAt: '2026-11-27T10:00:00.000+08:00' });
    expect(store.get(a.ticket)).toMatchObject({ category: 'lighting' });
  });

  it('refuses unknown problems and floods, with codes', () => {
    const { svc, advance } = setup();
    expect(() => svc.submit({ category: 'lighting', problem: 'nope', lang: 'zh' })).toThrow(expect.objectContaining({ code: 'SP_FEEDBACK_UNKNOWN_PROBLEM' }));
    for (let i = 0; i < 3; i++) svc.submit({ category: 'other', problem: 'other', lang: 'zh' });
    expect(() => svc.submit({ category: 'other', problem: 'other', lang: 'zh' })).toThrow(expect.objectContaining({ code: 'SP_FEEDBACK_RATE_LIMITED' }));
    advance(61_000);
    expect(svc.submit({ category: 'other', problem: 'other', lang: 'zh' }).ticket.slice(5, 8)).toBe('004');
  });

  it('keeps counting after a restart (sequence comes from the database)', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sp-fb-')), 'pole.db');
    const first = setup(path);
    first.svc.submit({ category: 'other', problem: 'other', lang: 'zh' });
    closeDatabase(first.db);
    const second = setup(path);
    expect(second.svc.submit({ category: 'other', problem: 'other', lang: 'zh' }).ticket.slice(5, 8)).toBe('002');
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

  it('numbers days in the pole time zone', () => {
    expect(localDay(Date.parse('2026-12-31T16:30:00Z'), 'Asia/Shanghai')).toEqual({ year: 2027, dayOfYear: 1 });
    expect(localDay(Date.parse('2024-12-31T12:00:00+08:00'), 'Asia/Shanghai')).toEqual({ year: 2024, dayOfYear: 366 });
  });
});
