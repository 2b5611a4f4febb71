import { describe, expect, it } from 'vitest';
import { NoticePayload } from '../../protocols/notice.js';
import { isoWithOffset } from '../../protocols/time.js';
import { parts } from '../../test/helpers/runtime-parts.js';
import { NoticeStore } from './notice-store.js';
import { CapRegistry } from './cap-registry.js';
import { NoticeLifecycle } from './notice-lifecycle.js';

const T0 = Date.parse('2026-11-26T10:00:00+08:00');

describe('NoticeLifecycle', () => {
  it('sends one expired receipt per notice at its expiry, and prunes a week later', () => {
    const p = parts(T0);
    const store = new NoticeStore(p.db);
    const n = NoticePayload.parse({ type: 'notice', id: 'e', audience: 'all', version: 3, issuedAt: isoWithOffset(T0), expiresAt: isoWithOffset(T0 + 60_000), title: { zh: 't' }, body: { zh: 'b' } });
    store.upsert('ops', 'topic', n, T0);
    let changes = 0;
    const lc = new NoticeLifecycle({ db: p.db, store, registry: new CapRegistry(p.db), reporter: p.reporter, logger: p.logger, now: p.now, onChange: () => changes++ });
    lc.check();
    expect(p.sent()).toEqual([]);
    p.clock.now = T0 + 61_000;
    lc.check();
    lc.check();
    expect(p.sent().map((r) => `${String(r.id)}:${String(r.status)}:${String(r.version)}`)).toEqual(['e:expired:3']);
    expect(changes).toBe(1);
    p.clock.now = T0 + 8 * 86_400_000;
    lc.check();
    expect(store.get('ops', 'e')).toBeUndefined();
  });

  it('a notice reported expired stays over when the wall clock is set back (a forward jump corrected)', () => {
    const p = parts(T0);
    const store = new NoticeStore(p.db);
    const n = NoticePayload.parse({ type: 'notice', id: 'j', audience: 'all', version: 5, issuedAt: isoWithOffset(T0), expiresAt: isoWithOffset(T0 + 600_000), title: { zh: 't' }, body: { zh: 'b' } });
    store.upsert('ops', 'topic', n, T0);
    const lc = new NoticeLifecycle({ db: p.db, store, registry: new CapRegistry(p.db), reporter: p.reporter, logger: p.logger, now: p.now });
    // The clock jumps 15 min forward: the city is told the notice expired.
    p.clock.now = T0 + 900_000;
    lc.check();
    expect(p.sent().map((r) => String(r.status))).toEqual(['expired']);
    // NTP sets it back: the notice is not shown again, and a listing says expired.
    p.clock.now = T0 + 60_000;
    lc.check();
    expect(store.active(p.now()).map((x) => x.id)).toEqual([]);
    expect(store.get('ops', 'j')!.expiryReportedAt).toBe(T0 + 900_000);
    // A re-push with a higher version brings it back.
    store.upsert('ops', 'topic', { ...n, version: 6 }, p.now());
    expect(store.active(p.now()).map((x) => x.id)).toEqual(['j']);
  });
});
