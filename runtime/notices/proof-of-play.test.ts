import { describe, expect, it } from 'vitest';
import { parts } from '../../test/helpers/runtime-parts.js';
import { ProofOfPlay } from './proof-of-play.js';
import { noticeRef } from './notice-ref.js';

const T = (s: string) => Date.parse(`2026-11-26T${s}+08:00`);
const tag = (id: string, v = 1) => noticeRef({ issuer: 'ops', id, version: v });

describe('ProofOfPlay', () => {
  it('counts plays and on-screen seconds per notice and hour, splitting plays across the hour, sent once the hour closes', () => {
    const p = parts(T('09:50:00'));
    const pop = new ProofOfPlay({ db: p.db, reporter: p.reporter, logger: p.logger, timeZone: 'Asia/Shanghai', now: p.now });
    pop.onPresented(tag('a'), T('09:50:00'));
    pop.onPresented(tag('a'), T('09:50:30')); // same notice re-presented (clock tick): not a new play
    pop.onPresented(tag('b'), T('09:55:00')); // a played 300 s
    pop.onPresented(tag('a'), T('09:58:00')); // b 180 s
    pop.onPresented(undefined, T('10:04:00')); // a: 120 s before 10:00, 240 s after
    pop.flush(T('10:05:00'));
    const recs = p.sent().filter((r) => r.type === 'proofOfPlay');
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({ from: '2026-11-26T09:00:00.000+08:00', to: '2026-11-26T10:00:00.000+08:00' });
    expect(recs[0]!.items).toEqual([
      { id: 'a', issuer: 'ops', version: 1, plays: 2, seconds: 420 },
      { id: 'b', issuer: 'ops', version: 1, plays: 1, seconds: 180 },
    ]);
    pop.flush(T('11:00:00'));
    const next = p.sent().filter((r) => r.type === 'proofOfPlay')[1]!;
    expect(next.items).toEqual([{ id: 'a', issuer: 'ops', version: 1, plays: 0, seconds: 240 }]);
    expect(p.outbox.next(0, 10).every((r) => r.cls === 'audit')).toBe(true);
  });

  it('keeps counting a notice that stays on screen, flushing seconds so a crash loses under a minute', () => {
    const p = parts(T('12:00:00'));
    const pop = new ProofOfPlay({ db: p.db, reporter: p.reporter, logger: p.logger, timeZone: 'Asia/Shanghai', now: p.now });
    pop.onPresented(tag('long'), T('12:00:00'));
    pop.flush(T('12:30:00'));
    // A new process after a crash: the first 30 minutes are on disk.
    const again = new ProofOfPlay({ db: p.db, reporter: p.reporter, logger: p.logger, timeZone: 'Asia/Shanghai', now: p.now });
    again.flush(T('13:00:01'));
    expect(p.sent().find((r) => r.type === 'proofOfPlay')!.items).toEqual([{ id: 'long', issuer: 'ops', version: 1, plays: 1, seconds: 1800 }]);
  });

  it('counts a new version of a notice, or the same id from another issuer, as a new play', () => {
    const p = parts(T('09:00:00'));
    const pop = new ProofOfPlay({ db: p.db, reporter: p.reporter, logger: p.logger, timeZone: 'Asia/Shanghai', now: p.now });
    pop.onPresented(tag('a', 1), T('09:00:00'));
    pop.onPresented(tag('a', 2), T('09:00:10'));
    pop.onPresented(noticeRef({ issuer: 'district', id: 'a', version: 2 }), T('09:00:30'));
    pop.onPresented(undefined, T('09:01:00'));
    pop.onPresented(undefined, T('09:02:00')); // nothing on screen stays nothing
    pop.flush(T('10:00:00'));
    expect(p.sent().find((r) => r.type === 'proofOfPlay')!.items).toEqual([
      { id: 'a', issuer: 'district', version: 2, plays: 1, seconds: 30 },
      { id: 'a', issuer: 'ops', version: 1, plays: 1, seconds: 10 },
      { id: 'a', issuer: 'ops', version: 2, plays: 1, seconds: 20 },
    ]);
  });
});
