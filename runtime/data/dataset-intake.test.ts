import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isoWithOffset } from '../../protocols/time.js';
import { parts } from '../../test/helpers/runtime-parts.js';
import { DataSetStore } from './dataset-store.js';
import { DataSetIntake } from './dataset-intake.js';
import { FeedbackStore } from '../feedback/feedback-store.js';
import { ReplyIntake } from '../feedback/reply-intake.js';
import { makeTicket } from '../../protocols/feedback.js';

const T0 = Date.parse('2026-11-26T10:00:00+08:00');

describe('DataSetIntake and ReplyIntake', () => {
  it('stores signed data sets per scope with versions; the pole one wins; a content validator guards good data', () => {
    const p = parts(T0);
    const store = new DataSetStore(p.db);
    const intake = new DataSetIntake({ db: p.db, gate: p.gate, store, reporter: p.reporter, logger: p.logger, now: p.now });
    const ds = (id: string, version: number, data: unknown, pole = false) => Buffer.from(p.iss.seal({ type: 'dataset', id, audience: pole ? 'pole:WH-JA-0001' : 'all', version, issuedAt: isoWithOffset(T0), data }));
    intake.handle('smartpole/v1/data/transit', 'transit', 'all', ds('transit', 1, { stops: ['all'] }));
    intake.handle('smartpole/v1/poles/WH-JA-0001/data/transit', 'transit', 'pole', ds('transit', 1, { stops: ['mine'] }, true));
    expect(store.get<{ stops: string[] }>('transit', T0)?.data.stops).toEqual(['mine']);
    intake.handle('smartpole/v1/data/transit', 'transit', 'all', ds('transit', 0, { stops: ['old'] }));
    intake.setValidator('weather', z.object({ tempC: z.number() }));
    intake.handle('smartpole/v1/data/weather', 'weather', 'all', ds('weather', 1, { tempC: 12 }));
    intake.handle('smartpole/v1/data/weather', 'weather', 'all', ds('weather', 2, { tempC: 'warm' }));
    expect(store.get<{ tempC: number }>('weather', T0)?.data.tempC).toBe(12);
    const receipts = p.sent().filter((r) => r.type === 'receipt').map((r) => `${String(r.id)}:${String(r.status)}:${String(r.code ?? '')}`);
    expect(receipts).toEqual(['transit:accepted:', 'transit:accepted:', 'transit:rejected:SP_MSG_ROLLBACK', 'weather:accepted:', 'weather:rejected:SP_MSG_SCHEMA']);
  });

  it('stores the city’s reply to a citizen’s ticket; refuses a reply whose id is not a ticket', () => {
    const p = parts(T0);
    const store = new FeedbackStore(p.db);
    const intake = new ReplyIntake({ db: p.db, gate: p.gate, store, reporter: p.reporter, logger: p.logger, now: p.now });
    const [t1, t2] = [makeTicket('26331001'), makeTicket('26331002')];
    const reply = (id: string, version: number) => Buffer.from(p.iss.seal({ type: 'reply', id, audience: 'pole:WH-JA-0001', version, issuedAt: isoWithOffset(T0), status: 'resolved', reply: { zh: '已修复' } }));
    let told = '';
    store.on('reply', (t) => { told = t; });
    intake.handle(`smartpole/v1/poles/WH-JA-0001/replies/${t1}`, t1, reply(t1, 1));
    expect(store.reply(t1)).toMatchObject({ status: 'resolved', reply: { zh: '已修复' } });
    expect(told).toBe(t1);
    intake.handle(`smartpole/v1/poles/WH-JA-0001/replies/${t2}`, t2, reply(t1, 2));
    intake.handle('smartpole/v1/poles/WH-JA-0001/replies/T20261126-0042', 'T20261126-0042', reply('T20261126-0042', 3));
    expect(p.sent().filter((r) => r.type === 'receipt').map((r) => `${String(r.id)}:${String(r.status)}:${String(r.code ?? '')}`))
      .toEqual([`${t1}:accepted:`, `${t1}:rejected:SP_MSG_TOPIC_MISMATCH`, 'T20261126-0042:rejected:SP_MSG_SCHEMA']);
    expect(store.reply('T20261126-0042')).toBeNull();
  });
});
