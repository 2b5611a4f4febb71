import { describe, expect, it } from 'vitest';
import { openDatabase } from './storage/database.js';
import { InboundRouter } from './inbound-router.js';
import { testLogger } from '../test/helpers/logger.js';

const P = 'smartpole/v1';

describe('InboundRouter', () => {
  it('handles a burst in order inside one batch, drops unknown topics and other poles, isolates a failing handler', async () => {
    const db = openDatabase(':memory:');
    db.exec('CREATE TABLE seen (topic TEXT)');
    const ins = db.prepare('INSERT INTO seen (topic) VALUES (?)');
    const batches: number[] = [];
    const prepared: number[] = [];
    const r = new InboundRouter({
      prefix: P, poleId: 'WH-JA-0001', logger: testLogger(),
      batch: (run) => { batches.push(1); db.transaction(run)(); },
      prepare: async (payloads) => { prepared.push(payloads.length); },
    })
      .on('notice', (_t, _p, topic) => db.transaction(() => { ins.run(topic); if (topic.endsWith('/boom')) throw new Error('handler bug'); })())
      .on('cmd', (_t, _p, topic) => { ins.run(topic); });
    const topics = [
      `${P}/notices/all/a`, `${P}/notices/all/boom`, `${P}/poles/WH-JA-0001/cmd`, `${P}/poles/WH-JA-0002/cmd`,
      `${P}/notices/pole/WH-JA-0002/x`, `${P}/nonsense`, `${P}/data/transit`, `${P}/notices/all/b`,
    ];
    for (const t of topics) r.dispatch(t, Buffer.from('x'), false);
    await r.flush();
    expect(batches).toHaveLength(1);
    expect(prepared).toEqual([8]);
    expect(db.prepare('SELECT topic FROM seen').pluck().all()).toEqual([`${P}/notices/all/a`, `${P}/poles/WH-JA-0001/cmd`, `${P}/notices/all/b`]);
    expect(r.stats).toMatchObject({ dispatched: 8, otherPole: 2, unknownTopic: 1, unhandled: 1, failed: 1 });
  });

  it('keeps order across bursts arriving while one is being prepared', async () => {
    const order: string[] = [];
    let release!: () => void;
    const gateOpen = new Promise<void>((res) => { release = res; });
    let first = true;
    const r = new InboundRouter({
      prefix: P, poleId: 'X', logger: testLogger(),
      prepare: async () => { if (first) { first = false; await gateOpen; } },
    }).on('notice', (t) => { order.push(t.id); });
    r.dispatch(`${P}/notices/all/1`, Buffer.alloc(0), false);
    await new Promise((res) => setImmediate(res));
    r.dispatch(`${P}/notices/all/2`, Buffer.alloc(0), false);
    r.dispatch(`${P}/notices/all/3`, Buffer.alloc(0), false);
    release();
    await new Promise((res) => setTimeout(res, 20));
    await r.flush();
    expect(order).toEqual(['1', '2', '3']);
  });
});

describe('InboundRouter under hostile input', () => {
  it('drops a message over the size cap before any handler parses it, and sheds past the queue bound, reporting both', async () => {
    const reports: { code: string }[] = [];
    const seen: number[] = [];
    const r = new InboundRouter({ prefix: P, poleId: 'WH-JA-0001', logger: testLogger(), maxMessageBytes: 1000, maxQueued: 5, report: (e) => reports.push(e) })
      .on('notice', (_t, p) => { seen.push(p.length); });
    r.dispatch(`${P}/notices/all/big`, Buffer.alloc(1001, 0x7b), false);
    for (let i = 0; i < 8; i++) r.dispatch(`${P}/notices/all/n${i}`, Buffer.from('{}'), false);
    await r.flush();
    expect(seen).toEqual([2, 2, 2, 2, 2]);
    expect(r.stats).toMatchObject({ tooLarge: 1, shed: 3 });
    expect(reports.map((e) => e.code)).toEqual(['SP_MQTT_INBOUND_TOO_LARGE', 'SP_MQTT_INBOUND_SHED']);
  });
});
