import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { openEnvelope, parsePublicKey } from '../../../protocols/envelope.js';
import { makeTicket } from '../../../protocols/feedback.js';
import { generateSigningKey } from '../../keys.js';
import type { Operator } from '../auth/operator.js';
import { DEFAULT_DEPARTMENTS } from './departments.js';
import { Inbox } from './inbox-service.js';
import { InboxStore } from './inbox-store.js';
import { INBOX_MIGRATIONS } from './migrations.js';
import { TicketStatus, type TicketAudit } from './ticket-state.js';

const T0 = Date.parse('2026-11-26T19:12:40+08:00');
const ed: Operator = { username: 'li.na', role: 'editor' };
const ticket = makeTicket('26330042');

function record(poleId = 'WH-JA-0001', t = ticket) {
  return {
    type: 'feedback', ticket: t, category: 'lighting', problem: 'lamp-out', categoryName: { zh: '路灯照明', en: 'Street lighting' },
    problemName: { zh: '路灯不亮', en: 'Lamp out' }, location: { address: '武汉市江岸区澳门路', lat: 30.6043, lon: 114.3012, areaCode: '420102' },
    createdAt: '2026-11-26T19:12:40.000+08:00', lang: 'zh', poleId, at: '2026-11-26T19:12:40.020+08:00',
  };
}

function memoryDb() {
  const db = new Database(':memory:');
  for (const m of INBOX_MIGRATIONS) db.exec(m.sql);
  return db;
}

const feed = (inbox: Inbox, poleId: string, s: string) => {
  let body: unknown;
  try { body = JSON.parse(s); } catch { return; }
  inbox.handleRecords([{ poleId, body }]);
};

function setup() {
  let now = T0 + 500;
  const key = generateSigningKey('city-ops', 'ops-1');
  const published: { topic: string; body: string }[] = [];
  const audits: TicketAudit[] = [];
  const inbox = new Inbox({
    store: new InboxStore(memoryDb()), departments: DEFAULT_DEPARTMENTS, prefix: 'smartpole/v1', key: () => key,
    publish: async (topic, body) => { published.push({ topic, body }); }, audit: (a) => audits.push(a), logger: pino({ level: 'silent' }), now: () => now,
  });
  const open = (body: string) => {
    const e = openEnvelope(Buffer.from(body), () => ({ kid: key.kid, issuer: key.issuer, key: parsePublicKey(key.publicKey), revoked: false }));
    if (!e.ok) throw new Error(e.detail);
    return e.payload as Record<string, unknown>;
  };
  return { inbox, published, audits, open, tick: (ms: number) => { now += ms; } };
}

describe('citizens\' messages inbox', () => {
  it('a message arrives once (redelivery ignored), is assigned, answered on the pole\'s reply topic, and rated', async () => {
    const { inbox, published, audits, open, tick } = setup();
    const events: string[] = [];
    inbox.on('changed', (_p, _t, what) => events.push(what));
    feed(inbox, 'WH-JA-0001', JSON.stringify(record()));
    feed(inbox, 'WH-JA-0001', JSON.stringify(record()));
    expect(inbox.stats).toMatchObject({ received: 1, duplicates: 1 });
    const m = inbox.get('WH-JA-0001', ticket);
    expect(m).toMatchObject({ status: TicketStatus.Received, address: '武汉市江岸区澳门路', createdAt: T0, receivedAt: T0 + 500 });
    expect(inbox.suggested(m)?.id).toBe('street-lighting');

    await expect(inbox.reply('WH-JA-0001', ticket, { zh: '已修复' }, ed)).rejects.toMatchObject({ code: 'SP_INBOX_STATE' });
    await expect(inbox.assign('WH-JA-0001', ticket, 'nope', ed)).rejects.toMatchObject({ code: 'SP_INBOX_DEPARTMENT' });
    await inbox.assign('WH-JA-0001', ticket, 'street-lighting', ed);
    expect(inbox.get('WH-JA-0001', ticket)).toMatchObject({ status: 'in-progress', department: 'street-lighting' });
    expect(published[0]!.topic).toBe(`smartpole/v1/poles/WH-JA-0001/replies/${ticket}`);
    expect(open(published[0]!.body)).toMatchObject({ type: 'reply', id: ticket, audience: 'pole:WH-JA-0001', status: 'in-progress', department: { zh: '市路灯管理处' } });
    expect(open(published[0]!.body).reply).toBeUndefined();

    tick(3_600_000);
    await expect(inbox.reply('WH-JA-0001', ticket, { zh: '  ' }, ed)).rejects.toMatchObject({ code: 'SP_INBOX_REPLY_INVALID' });
    await inbox.reply('WH-JA-0001', ticket, { zh: '路灯已修复，感谢您的反馈。', en: 'The lamp was repaired. Thank you.' }, ed);
    const reply = open(published[1]!.body);
    expect(reply).toMatchObject({ status: 'replied', reply: { zh: '路灯已修复，感谢您的反馈。', en: 'The lamp was repaired. Thank you.' } });
    expect(reply.version as number).toBeGreaterThan(open(published[0]!.body).version as number);
    expect(inbox.get('WH-JA-0001', ticket)).toMatchObject({ status: 'replied', repliedBy: 'li.na', firstReplyAt: T0 + 500 + 3_600_000 });
    await expect(inbox.assign('WH-JA-0001', ticket, 'hotline', ed)).rejects.toMatchObject({ code: 'SP_INBOX_STATE' });

    feed(inbox, 'WH-JA-0001', JSON.stringify({ type: 'rating', poleId: 'WH-JA-0001', ticket, rating: 'basically-satisfied', reply: { issuer: 'city-ops', version: 1, status: 'replied' }, lang: 'zh', ratedAt: '2026-11-26T21:00:00+08:00', at: '2026-11-26T21:00:00+08:00' }));
    expect(inbox.get('WH-JA-0001', ticket).rating).toBe('basically-satisfied');
    expect(audits.map((a) => a.action)).toEqual(['message.assign', 'message.reply']);
    expect(events).toEqual(['new', 'assign', 'reply', 'rating']);
    const f = inbox.figures().departments.find((x) => x.department === 'street-lighting')!;
    expect(f).toMatchObject({ messages: 1, answered: 1, answeredWithin: 1, withinShare: 1, averageRating: 2 });
  });

  it('records that do not match, or name another pole than their topic, are counted and dropped', () => {
    const { inbox } = setup();
    feed(inbox, 'WH-JA-0001', '[]');
    feed(inbox, 'WH-JA-0002', JSON.stringify(record('WH-JA-0001')));
    feed(inbox, 'WH-JA-0001', JSON.stringify({ ...record(), ticket: '12' }));
    expect(inbox.stats).toMatchObject({ received: 0, invalid: 3 });
    expect(inbox.list()).toEqual([]);
  });

  it('any bytes on the feedback topic never throw (property)', () => {
    const { inbox } = setup();
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ ...record(), category: v }))), (s) => {
      feed(inbox, 'WH-JA-0001', s);
    }), { numRuns: 300 });
  });

});
