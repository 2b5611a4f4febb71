import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { openEnvelope, parsePublicKey } from '../../../protocols/envelope.js';
import { parseCap } from '../../../protocols/cap.js';
import { generateSigningKey } from '../../keys.js';
import { AlertService } from './alert-service.js';
import { AlertStore } from './alert-store.js';
import { ALERT_MIGRATIONS } from './migrations.js';

const xml = readFileSync(join(import.meta.dirname, '../../../docs/examples/cap/wuhan-rainstorm-orange.xml'), 'utf8');
const T0 = Date.parse('2026-07-10T14:31:00+08:00');
const poles = [
  { poleId: 'WH-JA-0001', groups: ['district/jiangan'], location: { lat: 30.6, lon: 114.3, areaCode: '420102' } },
  { poleId: 'SY-0001', groups: ['district/shiyan'], location: { lat: 32.6, lon: 110.8, areaCode: '420302' } },
  { poleId: 'WH-NEW-01', groups: [] },
];

function setup(fail = false) {
  let now = T0;
  const key = generateSigningKey('city-ops', 'ops-1');
  const published: { topic: string; body: string }[] = [];
  const audits: { action: string; actor: string }[] = [];
  const db = new Database(':memory:');
  for (const m of ALERT_MIGRATIONS) db.exec(m.sql);
  const svc = new AlertService({
    store: new AlertStore(db), prefix: 'smartpole/v1', key: () => key, poles: () => poles, audit: (a) => audits.push(a), logger: pino({ level: 'silent' }), now: () => now,
    publish: async (topic, body) => { if (fail) throw new Error('broker down'); published.push({ topic, body }); },
  });
  const open = (body: string) => {
    const e = openEnvelope(Buffer.from(body), () => ({ kid: key.kid, issuer: key.issuer, key: parsePublicKey(key.publicKey), revoked: false }));
    if (!e.ok) throw new Error(e.detail);
    return e.payload as { type: string; id: string; audience: string; xml: string; expiresAt?: string };
  };
  return { svc, published, audits, open, db, tick: (ms: number) => { now += ms; } };
}

const ed = { username: 'li.na', role: 'editor' as const };
const ap = { username: 'wang.wei', role: 'approver' as const };

describe('alert service', () => {
  it('preview: coverage by the pole\'s own area test', () => {
    const { svc } = setup();
    const p = svc.preview(xml, 'all');
    expect(p).toMatchObject({ chainId: 'cap-42010041600000_20260710143000_1', tier: 'emergency', msgType: 'Alert' });
    expect(p.coverage.poles.map((x) => [x.poleId, x.verdict])).toEqual([['WH-JA-0001', 'inside'], ['SY-0001', 'outside'], ['WH-NEW-01', 'unknown']]);
    expect(p.coverage.poles[1]!.reason).toMatch(/^area/);
    expect(svc.preview(xml, 'group:district/shiyan').coverage.shown).toBe(0);
    expect(() => svc.preview(xml, 'everyone')).toThrow(expect.objectContaining({ code: 'SP_ALERT_AUDIENCE' }));
  });

  it('draft → approval → signed retained publish on the chain topic → cancel; every step audited and stored', async () => {
    const { svc, published, audits, open, db, tick } = setup();
    const c = svc.draft(xml, 'group:district/jiangan', ed);
    await svc.send(c.id, ed);
    expect(published).toEqual([]);
    tick(60_000);
    await svc.approve(c.id, ap);
    expect(published[0]!.topic).toBe('smartpole/v1/notices/group/district/jiangan/cap-42010041600000_20260710143000_1');
    const p = open(published[0]!.body);
    expect(p).toMatchObject({ type: 'cap', id: c.id, audience: 'group:district/jiangan', expiresAt: '2026-07-11T14:30:00+08:00' });
    tick(60_000);
    await svc.cancel(c.id, ed);
    const cancel = parseCap(open(published[1]!.body).xml);
    expect(cancel.ok && cancel.alert.msgType).toBe('Cancel');
    expect(cancel.ok && cancel.alert.referenceList[0]!.identifier).toBe('42010041600000_20260710143000_1');
    // A fresh service on the same database sees the same chain (persisted).
    const again = new AlertService({ store: new AlertStore(db), prefix: 'p', key: () => { throw new Error('unused'); }, publish: async () => {}, poles: () => [], audit: () => {}, logger: pino({ level: 'silent' }) });
    expect(again.get(c.id).state).toBe('cancelled');
    expect(again.get(c.id).revisions.map((r) => [r.msgType, r.outcome, r.approvedBy])).toEqual([['Alert', 'sent', 'wang.wei'], ['Cancel', 'sent', undefined]]);
    expect(audits.map((a) => a.action)).toEqual(['alert.draft', 'alert.submit', 'alert.approve', 'alert.cancel']);
  });

  it('a refused publish changes nothing and writes no audit entry', async () => {
    const { svc, audits } = setup(true);
    const c = svc.draft(xml, 'all', ed);
    await svc.send(c.id, ed);
    await expect(svc.approve(c.id, ap)).rejects.toThrow('broker down');
    expect(svc.get(c.id).state).toBe('awaiting-approval');
    expect(audits.map((a) => a.action)).toEqual(['alert.draft', 'alert.submit']);
  });

  it('an Update with edited text goes through approval again', async () => {
    const { svc, published, open } = setup();
    const c = svc.draft(xml, 'all', ed);
    await svc.override(c.id, 'drill with the observatory on the phone', { username: 'chen', role: 'administrator' });
    await svc.update(c.id, { text: { zh: { headline: '暴雨红色预警' } } }, ed);
    expect(svc.get(c.id).state).toBe('awaiting-approval');
    await svc.approve(c.id, ap);
    expect(svc.get(c.id).state).toBe('updated');
    const u = parseCap(open(published[1]!.body).xml);
    expect(u.ok && u.alert.info[0]!.headline).toBe('暴雨红色预警');
    expect(published[1]!.topic).toBe(published[0]!.topic);
  });
});
