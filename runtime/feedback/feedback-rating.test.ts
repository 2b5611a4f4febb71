import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { closeDatabase, openDatabase } from '../storage/database.js';
import { Outbox } from '../uplink/outbox.js';
import { FEEDBACK_RATINGS, makeTicket } from '../../protocols/feedback.js';
import { ReplyPayload } from '../../protocols/dataset.js';
import { FeedbackRatingRecord, FeedbackRecord, FeedbackUplink } from '../../protocols/uplink.js';
import { poleTopics } from '../../protocols/topics.js';
import { SmartpoleError } from '../../protocols/errors.js';
import { Reporter } from '../uplink/reporter.js';
import { testLogger } from '../../test/helpers/logger.js';
import { FeedbackStore } from './feedback-store.js';
import { FeedbackService } from './feedback-service.js';
import { DEFAULT_FEEDBACK_CATEGORIES } from './categories.js';

const T0 = Date.parse('2026-11-27T10:00:00+08:00');

function setup() {
  let t = T0;
  const db = openDatabase(':memory:');
  const store = new FeedbackStore(db);
  const outbox = new Outbox(db);
  const reporter = new Reporter({ outbox, topics: poleTopics('smartpole/v1', 'WH-JA-0001', []), poleId: 'WH-JA-0001', timeZone: 'Asia/Shanghai', logger: testLogger(), now: () => t });
  const svc = new FeedbackService({
    store, reporter, logger: testLogger(), now: () => t,
    pole: { id: 'WH-JA-0001', address: '武汉市江岸区澳门路', lat: 30.6043, lon: 114.3012 },
    categories: () => DEFAULT_FEEDBACK_CATEGORIES,
  });
  const ratings = () => outbox.next(0, 100).map((r) => JSON.parse(r.payload.toString()) as { type: string }).filter((p) => p.type === 'rating');
  return { db, store, outbox, reporter, svc, ratings, advance: (ms: number) => { t += ms; } };
}

const code = (f: () => unknown) => { try { f(); return null; } catch (e) { return e instanceof SmartpoleError ? e.code : String(e); } };

describe('the citizen rates the answer, once per ticket', () => {
  it('refuses a rating before there is an answer (received, in-progress), with a coded error', () => {
    const { svc, store, ratings } = setup();
    const { ticket } = svc.submit({ category: 'lighting', problem: 'lamp-out', lang: 'zh' });
    expect(code(() => svc.rate(ticket, 'satisfied', 'zh'))).toBe('SP_FEEDBACK_NOT_RATABLE');
    store.putReply({ ticket, issuer: 'wh-12345', version: 1, status: 'received', reply: null, receivedAt: T0 + 1000 });
    expect(svc.lookup(ticket)).toMatchObject({ ratable: false, rating: null });
    expect(code(() => svc.rate(ticket, 'satisfied', 'zh'))).toBe('SP_FEEDBACK_NOT_RATABLE');
    // An interim text while in progress is not the answer yet.
    store.putReply({ ticket, issuer: 'wh-12345', version: 2, status: 'in-progress', reply: { zh: '已派人查看' }, receivedAt: T0 + 2000 });
    expect(code(() => svc.rate(ticket, 'satisfied', 'zh'))).toBe('SP_FEEDBACK_NOT_RATABLE');
    expect(code(() => svc.rate('123456789', 'satisfied', 'zh'))).toBe('SP_FEEDBACK_NOT_RATABLE');
    expect(ratings()).toEqual([]);
  });

  it('stores the rating with its one outbox record; a second rating returns the first and sends nothing', () => {
    const { svc, store, ratings, advance } = setup();
    const { ticket } = svc.submit({ category: 'lighting', problem: 'lamp-out', lang: 'zh' });
    store.putReply({ ticket, issuer: 'wh-12345', version: 3, status: 'replied', reply: { zh: '已修复', en: 'Repaired' }, department: { zh: '江岸区城管局' }, receivedAt: T0 + 3600_000 });
    expect(svc.lookup(ticket).ratable).toBe(true);
    advance(7200_000);
    expect(svc.rate(ticket, 'basically-satisfied', 'en')).toMatchObject({ status: 'rated', entry: { rating: 'basically-satisfied', reply: { version: 3 } } });
    expect(svc.rate(ticket, 'dissatisfied', 'zh')).toMatchObject({ status: 'already-rated', entry: { rating: 'basically-satisfied' } });
    expect(svc.lookup(ticket)).toMatchObject({ ratable: false, rating: { rating: 'basically-satisfied' } });
    const sent = ratings();
    expect(sent).toHaveLength(1);
    expect(FeedbackRatingRecord.parse(sent[0])).toMatchObject({
      type: 'rating', ticket, rating: 'basically-satisfied', poleId: 'WH-JA-0001', lang: 'en',
      reply: { issuer: 'wh-12345', version: 3, status: 'replied' }, ratedAt: '2026-11-27T12:00:00.000+08:00',
    });
    expect(svc.stats.rated).toBe(1);
    expect(FeedbackUplink.parse(sent[0]).type).toBe('rating');
  });

  it('keeps nothing when the outbox insert fails (one transaction), and the citizen can try again', () => {
    const { db, svc, store, ratings, reporter } = setup();
    const { ticket } = svc.submit({ category: 'lighting', problem: 'lamp-out', lang: 'zh' });
    store.putReply({ ticket, issuer: 'wh-12345', version: 1, status: 'resolved', reply: { zh: '已修复' }, receivedAt: T0 });
    const real = reporter.feedbackRating.bind(reporter);
    reporter.feedbackRating = () => { throw new Error('SP_OUTBOX_FULL'); };
    expect(() => svc.rate(ticket, 'satisfied', 'zh')).toThrow('SP_OUTBOX_FULL');
    expect(store.rating(ticket)).toBeNull();
    reporter.feedbackRating = real;
    expect(svc.rate(ticket, 'satisfied', 'zh').status).toBe('rated');
    expect(ratings()).toHaveLength(1);
    closeDatabase(db);
  });

  it('keeps the answer and department through a later status-only update, and records each status once', () => {
    const { svc, store } = setup();
    const { ticket } = svc.submit({ category: 'lighting', problem: 'lamp-out', lang: 'zh' });
    store.putReply({ ticket, issuer: 'ops', version: 1, status: 'received', reply: null, receivedAt: T0 + 1 });
    store.putReply({ ticket, issuer: 'ops', version: 2, status: 'replied', reply: { zh: '已修复' }, department: { zh: '城管局' }, receivedAt: T0 + 2 });
    store.putReply({ ticket, issuer: 'ops', version: 3, status: 'closed', reply: null, receivedAt: T0 + 3 });
    store.putReply({ ticket, issuer: 'ops', version: 4, status: 'closed', reply: null, receivedAt: T0 + 4 });
    const r = svc.lookup(ticket);
    expect(r.reply).toMatchObject({ status: 'closed', version: 4, reply: { zh: '已修复' }, department: { zh: '城管局' } });
    expect(r.steps).toEqual([{ status: 'received', at: T0 + 1 }, { status: 'replied', at: T0 + 2 }, { status: 'closed', at: T0 + 3 }]);
    expect(r.ratable).toBe(true); // closed after an answer: still the answer to rate
  });

  it('rates any answered ticket exactly once, whatever the sequence of taps (property)', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...FEEDBACK_RATINGS), { minLength: 1, maxLength: 8 }), (taps) => {
      const { svc, store, ratings, db } = setup();
      const ticket = makeTicket('26331004');
      store.putReply({ ticket, issuer: 'ops', version: 1, status: 'replied', reply: { zh: '好' }, receivedAt: T0 });
      const outcomes = taps.map((x) => svc.rate(ticket, x, 'zh'));
      expect(outcomes.filter((o) => o.status === 'rated')).toHaveLength(1);
      expect(new Set(outcomes.map((o) => o.entry.rating))).toEqual(new Set([taps[0]]));
      expect(ratings()).toHaveLength(1);
      closeDatabase(db);
    }), { numRuns: 40 });
  });
});

describe('ReplyPayload: answers and status updates', () => {
  const base = { type: 'reply', id: makeTicket('26331004'), audience: 'pole:WH-JA-0001', version: 1, issuedAt: '2026-11-27T10:00:00+08:00' };
  it('needs the answer for replied / resolved / rejected, not for a status update', () => {
    expect(ReplyPayload.safeParse({ ...base, status: 'received' }).success).toBe(true);
    expect(ReplyPayload.safeParse({ ...base, status: 'in-progress', department: { zh: '城管局' } }).success).toBe(true);
    for (const status of ['replied', 'resolved', 'rejected']) {
      const r = ReplyPayload.safeParse({ ...base, status });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.path).toEqual(['reply']);
      expect(ReplyPayload.safeParse({ ...base, status, reply: { zh: '已修复' } }).success).toBe(true);
    }
  });

  it('never throws on hostile input (property)', () => {
    fc.assert(fc.property(fc.anything(), (v) => { ReplyPayload.safeParse(v); FeedbackRatingRecord.safeParse(v); FeedbackRecord.safeParse(v); FeedbackUplink.safeParse(v); }));
  });
});
