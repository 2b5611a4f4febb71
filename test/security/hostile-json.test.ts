/**
 * Oversized and deep JSON at the MQTT edge (docs/security.md §Checks in order): dropped or refused
 * before parsing, reported, nothing stored; a pole keeps working afterwards.
 */
import { describe, expect, it } from 'vitest';
import { isoWithOffset } from '../../protocols/time.js';
import { P, rig } from './rig.js';

const T0 = Date.parse('2026-11-26T10:00:00+08:00');

describe('oversized and deep JSON', () => {
  it('is refused with a code and reported; nothing is stored; a good message still goes through', async () => {
    const r = rig(T0);
    const seen: string[] = [];
    const report = (e: { code: string }) => { seen.push(e.code); };
    // The rig's router reports through this hook, as the trust module (runtime/trust/module.ts) wires it to the Reporter.
    (r.router as unknown as { o: { report: typeof report } }).o.report = report;
    await r.deliver(`${P}/notices/all/big`, Buffer.alloc(400_000, 0x20));
    const deepEnvelope = '['.repeat(150_000) + ']'.repeat(150_000);
    await r.deliver(`${P}/notices/all/deep`, deepEnvelope);
    const deepData = { type: 'dataset', id: 'transit', audience: 'all', version: 1, issuedAt: isoWithOffset(T0), data: JSON.parse('['.repeat(1000) + ']'.repeat(1000)) as unknown };
    await r.deliver(`${P}/data/transit`, r.iss.seal(deepData));
    const events = r.sent().filter((m) => m.type === 'event').map((m) => m.code);
    expect(seen).toEqual(['SP_MQTT_INBOUND_TOO_LARGE']);
    expect(events).toEqual(['SP_MSG_TOO_DEEP', 'SP_MSG_TOO_DEEP']);
    expect(r.notices.all()).toEqual([]);
    expect(r.datasets.list()).toEqual([]);
    await r.deliver(`${P}/notices/all/ok`, r.iss.seal({ type: 'notice', id: 'ok', audience: 'all', version: 1, issuedAt: isoWithOffset(r.now()), title: { zh: '好' }, body: { zh: '好' } }));
    expect(r.notices.all().map((n) => n.id)).toEqual(['ok']);
  });
});
