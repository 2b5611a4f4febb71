import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isoWithOffset } from '../../protocols/time.js';
import { shiftCapTimes } from '../../protocols/cap.js';
import { notice } from '../../test/helpers/keys.js';
import { parts } from '../../test/helpers/runtime-parts.js';
import { NoticeStore } from './notice-store.js';
import { NoticeIntake } from './notice-intake.js';
import { CapIntake } from './cap-intake.js';
import { CapRegistry } from './cap-registry.js';
import { selectPlaylist } from './scheduler.js';

const T0 = Date.parse('2026-07-10T15:00:00+08:00');
const SAMPLES = join(import.meta.dirname, '../../docs/examples/cap');
const xml = (f: string) => readFileSync(join(SAMPLES, f), 'utf8');
const ALL = { scope: 'all' as const };

function setup(over: { testMode?: boolean } = {}) {
  const p = parts(T0);
  const store = new NoticeStore(p.db);
  const registry = new CapRegistry(p.db);
  const cap = new CapIntake({
    store, registry, reporter: p.reporter, logger: p.logger, clockSkewSec: 120,
    profile: { language: 'zh', testMode: over.testMode ?? false, place: { lat: 30.6043, lon: 114.3012, areaCode: '420102' } },
  });
  const intake = new NoticeIntake({ db: p.db, gate: p.gate, store, cap, reporter: p.reporter, logger: p.logger, now: p.now });
  let version = 1;
  const capMsg = (file: string, id: string, over2: Record<string, unknown> = {}) =>
    Buffer.from(p.iss.seal({ type: 'cap', id, audience: 'all', version: version++, issuedAt: isoWithOffset(p.now() - 1000), xml: xml(file), ...over2 }));
  const push = (id: string, raw: Buffer | string) => intake.handle(`smartpole/v1/notices/all/${id}`, ALL, id, Buffer.from(raw));
  const receipts = () => p.sent().filter((r) => r.type === 'receipt');
  const playing = () => selectPlaylist(store.active(p.now()), p.now(), 'Asia/Shanghai');
  return { ...p, store, intake, capMsg, push, receipts, playing };
}

const CHAIN = 'cap-42010041600000_20260710143000_1';

describe('NoticeIntake: notices', () => {
  it('stores a notice with its accepted receipt in one go, withdraws it by a signed message', () => {
    const s = setup();
    s.push('n1', s.iss.seal(notice('n1', { version: 1 }, T0)));
    expect(s.store.get('test-ops', 'n1')?.payload.title.zh).toBe('标题 n1');
    s.push('n1', s.iss.seal({ type: 'notice.withdraw', id: 'n1', audience: 'all', version: 2, issuedAt: isoWithOffset(T0) }));
    expect(s.store.get('test-ops', 'n1')?.withdrawnAt).toBe(T0);
    expect(s.receipts().map((r) => `${String(r.id)}:${String(r.status)}`)).toEqual(['n1:accepted', 'n1:withdrawn']);
  });

  it('reports refusals with a rejected receipt and an event, rate-limited per code', () => {
    const s = setup();
    for (let i = 0; i < 30; i++) s.push(`junk${i}`, `{not json ${i}`);
    const events = s.sent().filter((r) => r.type === 'event');
    expect(events).toHaveLength(10);
    expect(events[0]).toMatchObject({ code: 'SP_MSG_MALFORMED', severity: 'security', topic: 'smartpole/v1/notices/all/junk0' });
    expect(s.receipts()).toHaveLength(10);
    expect(s.receipts()[0]).toMatchObject({ id: 'junk0', status: 'rejected', code: 'SP_MSG_MALFORMED' });
    s.clock.now += 61_000;
    s.push('junk-late', '{');
    expect(s.sent().filter((r) => r.type === 'event').map((e) => e.code)).toContain('SP_EVENTS_SUPPRESSED');
  });

  it('stays silent about an exact redelivery, even after the notice expired', () => {
    const s = setup();
    const env = s.iss.seal(notice('n2', { expiresAt: isoWithOffset(T0 + 60_000) }, T0));
    s.push('n2', env);
    s.clock.now += 3_600_000;
    s.push('n2', env);
    expect(s.receipts().map((r) => r.status)).toEqual(['accepted']);
    // An expired notice never seen before is refused once, then remembered.
    const old = s.iss.seal(notice('n3', { expiresAt: isoWithOffset(s.now() - 600_000), issuedAt: isoWithOffset(s.now() - 3_600_000) }, T0));
    s.push('n3', old);
    s.push('n3', old);
    expect(s.receipts().filter((r) => r.id === 'n3').map((r) => `${String(r.status)}:${String(r.code)}`)).toEqual(['rejected:SP_MSG_EXPIRED']);
  });
});

describe('NoticeIntake: CAP alerts', () => {
  it('plays the orange warning as emergency; the red Update replaces it on the same chain; the Cancel ends it', () => {
    const s = setup();
    s.push(CHAIN, s.capMsg('wuhan-rainstorm-orange.xml', CHAIN));
    expect(s.playing()).toMatchObject({ tier: 'emergency', items: [{ id: CHAIN, payload: { title: { zh: '武汉市气象台发布暴雨橙色预警信号' } } }] });
    expect(s.store.get('test-ops', CHAIN)?.origin).toMatchObject({ kind: 'cap', identifier: '42010041600000_20260710143000_1', severity: 'Severe' });
    s.clock.now = Date.parse('2026-07-10T16:31:00+08:00');
    s.push(CHAIN, s.capMsg('wuhan-rainstorm-red-update.xml', CHAIN));
    expect(s.playing().items.map((n) => n.payload.title.zh)).toEqual(['武汉市气象台将暴雨橙色预警信号升级为红色']);
    s.clock.now = Date.parse('2026-07-11T09:01:00+08:00');
    s.push(CHAIN, s.capMsg('wuhan-rainstorm-cancel.xml', CHAIN));
    expect(s.playing()).toEqual({ tier: null, items: [] });
    expect(s.receipts().map((r) => `${String(r.status)}:${(r.cap as { msgType: string }).msgType}`)).toEqual(['accepted:Alert', 'accepted:Update', 'withdrawn:Cancel']);
  });

  it('an Update on its own topic takes the referenced alert off screen; the old alert arriving late stays off', () => {
    const s = setup();
    s.clock.now = Date.parse('2026-07-10T16:31:00+08:00');
    // Retained topics come back in any order: the update first, then the alert it replaced.
    s.push('upd', s.capMsg('wuhan-rainstorm-red-update.xml', 'upd'));
    s.push('orig', s.capMsg('wuhan-rainstorm-orange.xml', 'orig'));
    expect(s.playing().items.map((n) => n.id)).toEqual(['upd']);
    expect(s.receipts().find((r) => r.id === 'orig')).toMatchObject({ status: 'ignored', code: 'SP_CAP_SUPERSEDED' });
    // And in the usual order: alert, then update on another topic.
    const t = setup();
    t.push('a', t.capMsg('wuhan-rainstorm-orange.xml', 'a'));
    t.clock.now = Date.parse('2026-07-10T16:31:00+08:00');
    t.push('b', t.capMsg('wuhan-rainstorm-red-update.xml', 'b'));
    expect(t.playing().items.map((n) => n.id)).toEqual(['b']);
    expect(t.receipts().find((r) => r.id === 'a' && r.status === 'withdrawn')).toBeTruthy();
  });

  it('answers ignored receipts for test, out-of-area and expired alerts and shows nothing', () => {
    const s = setup();
    s.clock.now = Date.parse('2026-11-26T10:05:00+08:00');
    s.push('t', s.capMsg('wuhan-test.xml', 't'));
    s.clock.now = Date.parse('2026-07-15T12:00:00+08:00');
    s.push('sy', s.capMsg('shiyan-heat-yellow.xml', 'sy'));
    s.clock.now = Date.parse('2026-08-01T12:00:00+08:00');
    s.push('old', s.capMsg('wuhan-rainstorm-orange.xml', 'old'));
    expect(s.playing().items).toEqual([]);
    expect(s.receipts().map((r) => `${String(r.id)}:${String(r.status)}:${String(r.code)}`)).toEqual([
      't:ignored:SP_CAP_NOT_ACTUAL', 'sy:ignored:SP_CAP_OUT_OF_AREA', 'old:ignored:SP_CAP_EXPIRED',
    ]);
  });

  it('shows a Test alert on a pole in test mode', () => {
    const s = setup({ testMode: true });
    s.clock.now = Date.parse('2026-11-26T10:05:00+08:00');
    s.push('t', s.capMsg('wuhan-test.xml', 't'));
    expect(s.playing().items.map((n) => n.payload.title.zh)).toEqual(['【测试】预警信息发布系统测试']);
  });

  it('refuses a signed payload without valid CAP, and keeps it refused on redelivery', () => {
    const s = setup();
    const bad = s.capMsg('wuhan-rainstorm-orange.xml', 'bad', { xml: '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>x</identifier></alert>' });
    s.push('bad', bad);
    s.push('bad', bad);
    expect(s.receipts()).toEqual([expect.objectContaining({ id: 'bad', status: 'rejected', code: 'SP_CAP_MALFORMED' })]);
    expect(s.sent().find((r) => r.type === 'event')).toMatchObject({ code: 'SP_CAP_MALFORMED' });
  });

  it('works with times rebased to now (ops cap push --rebase-time)', () => {
    const s = setup();
    s.clock.now = Date.parse('2026-11-26T19:00:00+08:00');
    const shifted = shiftCapTimes(xml('wuhan-rainstorm-orange.xml'), s.clock.now - Date.parse('2026-07-10T14:30:00+08:00'));
    s.push('now', s.capMsg('wuhan-rainstorm-orange.xml', 'now', { xml: shifted }));
    expect(s.playing().tier).toBe('emergency');
  });
});
