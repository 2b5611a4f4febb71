import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../storage/database.js';
import { KvStore } from '../storage/kv.js';
import { PinLockout } from './lockout.js';

function setup() {
  const kv = new KvStore(openDatabase(':memory:'));
  // The wall clock and the monotonic clock advance together, except when the wall clock jumps.
  let wall = 1_000_000;
  let mono = 5_000;
  const clock = {
    now: () => wall, mono: () => mono,
    advance: (ms: number) => { wall += ms; mono += ms; },
    jump: (ms: number) => { wall += ms; },
  };
  const locks: PinLockout[] = [];
  const mk = () => { const l = new PinLockout(kv, { maxAttempts: 5, baseMs: 60_000, maxMs: 3_600_000, now: clock.now, mono: clock.mono }); locks.push(l); return l; };
  opened.push(locks);
  return { kv, clock, mk };
}

const opened: PinLockout[][] = [];
afterEach(() => { for (const ls of opened.splice(0)) for (const l of ls) l.close(); });

describe('PinLockout', () => {
  it('locks after 5 wrong PINs, doubling each lockout up to the maximum', () => {
    const { clock, mk } = setup();
    const l = mk();
    for (let i = 1; i <= 4; i++) expect(l.recordFailure()).toEqual({ locked: false, attemptsLeft: 5 - i });
    expect(l.recordFailure()).toMatchObject({ locked: true, lockMs: 60_000, lockouts: 1 });
    expect(l.remainingMs()).toBe(60_000);
    const durations = [];
    for (let k = 0; k < 8; k++) {
      clock.advance(l.remainingMs());
      let f;
      for (let i = 0; i < 5; i++) f = l.recordFailure();
      durations.push((f as { lockMs: number }).lockMs / 60_000);
    }
    expect(durations).toEqual([2, 4, 8, 16, 32, 60, 60, 60]);
  });

  it('a correct PIN resets the count and the doubling', () => {
    const { clock, mk } = setup();
    const l = mk();
    for (let i = 0; i < 5; i++) l.recordFailure();
    clock.advance(60_000);
    l.recordSuccess();
    for (let i = 0; i < 4; i++) l.recordFailure();
    expect(l.recordFailure()).toMatchObject({ locked: true, lockMs: 60_000 });
  });

  it('survives a restart (state in SQLite)', () => {
    const { mk } = setup();
    const a = mk();
    for (let i = 0; i < 5; i++) a.recordFailure();
    const b = mk();
    expect(b.remainingMs()).toBe(60_000);
    expect(b.snapshot.lockouts).toBe(1);
  });

  it('a wall-clock jump backwards or forwards neither stretches nor ends a running lockout', () => {
    const { clock, mk } = setup();
    const l = mk();
    for (let i = 0; i < 5; i++) l.recordFailure();
    clock.advance(20_000);
    clock.jump(-10 * 3_600_000);
    expect(l.remainingMs()).toBe(40_000);
    clock.jump(+20 * 3_600_000);
    expect(l.remainingMs()).toBe(40_000);
    clock.advance(39_999);
    expect(l.remainingMs()).toBe(1);
    clock.advance(1);
    expect(l.remainingMs()).toBe(0);
  });

  it('after a restart the persisted remainder runs again, whatever the wall clock did meanwhile', () => {
    const { clock, mk, kv } = setup();
    const a = mk();
    for (let i = 0; i < 5; i++) a.recordFailure();
    clock.advance(45_000);
    a.close(); // orderly stop: the remainder (15 s) is saved
    expect(JSON.parse(kv.get('console.pinLockout')!)).toMatchObject({ remainingMs: 15_000 });
    clock.jump(+7 * 24 * 3_600_000); // the pole was off, or its clock was set far ahead
    const b = mk();
    expect(b.remainingMs()).toBe(15_000);
    clock.jump(-7 * 24 * 3_600_000);
    expect(b.remainingMs()).toBe(15_000);
    clock.advance(15_000);
    expect(b.remainingMs()).toBe(0);
  });

  it('checkpoints the remainder while locked, so a power cut lengthens a lockout by at most the checkpoint interval', () => {
    vi.useFakeTimers();
    try {
      const { clock, mk, kv } = setup();
      const l = mk();
      for (let i = 0; i < 5; i++) l.recordFailure(); // 60 s
      clock.advance(30_000);
      vi.advanceTimersByTime(60_000); // the ticker runs on the (fake) timer; the lock clock is clock.mono
      expect(JSON.parse(kv.get('console.pinLockout')!)).toMatchObject({ remainingMs: 30_000 });
      clock.advance(30_000);
      vi.advanceTimersByTime(60_000);
      expect(JSON.parse(kv.get('console.pinLockout')!)).toMatchObject({ remainingMs: 0, lockouts: 1 });
      expect(vi.getTimerCount()).toBe(0); // the ticker stops once the lockout has run out
    } finally {
      vi.useRealTimers();
    }
  });

  it('converts a stored wall-clock end from an older version once, capped at the maximum', () => {
    const { kv, mk, clock } = setup();
    kv.set('console.pinLockout', JSON.stringify({ failures: 0, lockouts: 2, lockedUntil: clock.now() + 90_000, sealed: false }));
    expect(mk().snapshot).toMatchObject({ lockouts: 2, remainingMs: 90_000 });
    kv.set('console.pinLockout', JSON.stringify({ failures: 0, lockouts: 2, lockedUntil: clock.now() + 99 * 3_600_000, sealed: false }));
    expect(mk().remainingMs()).toBe(3_600_000);
  });

  it('ignores a corrupt stored state', () => {
    const { kv, mk } = setup();
    kv.set('console.pinLockout', '{"failures":"x","remainingMs":-5');
    expect(mk().snapshot).toMatchObject({ failures: 0, lockouts: 0, remainingMs: 0 });
  });
});

describe('PinLockout sealing', () => {
  it('seals after 3 lockouts in a row, across a restart, until console.unlock', async () => {
    const { clock, mk, kv } = setup();
    const l = mk();
    let f;
    for (let k = 0; k < 3; k++) {
      clock.advance(l.remainingMs());
      for (let i = 0; i < 5; i++) f = l.recordFailure();
    }
    expect(f).toMatchObject({ locked: true, lockouts: 3, sealed: true });
    clock.advance(10 * 3_600_000);
    expect(mk().sealed).toBe(true);
    const { CommandRegistry } = await import('../commands/registry.js');
    const { registerConsoleUnlock } = await import('./unlock-command.js');
    const events: { code: string }[] = [];
    const reg = new CommandRegistry();
    const l2 = mk();
    registerConsoleUnlock(reg, l2, { event: (e: { code: string }) => { events.push(e); return true; } } as never);
    expect(await reg.execute('console.unlock', {}, { source: 'console', now: clock.now() })).toMatchObject({ ok: false, error: { code: 'SP_CMD_UNAVAILABLE' } });
    expect(l2.sealed).toBe(true);
    expect(await reg.execute('console.unlock', {}, { source: 'mqtt', principal: 'city-maintenance', now: clock.now() })).toMatchObject({ ok: true, result: { unlocked: true, wasSealed: true } });
    expect(new PinLockout(kv, { maxAttempts: 5, baseMs: 60_000, maxMs: 3_600_000, now: clock.now }).sealed).toBe(false);
    expect(events).toMatchObject([{ code: 'console.unlocked' }]);
  });
});
