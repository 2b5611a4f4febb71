import { describe, expect, it } from 'vitest';
import { openDatabase } from '../storage/database.js';
import { KvStore } from '../storage/kv.js';
import { PinLockout } from './lockout.js';

function setup() {
  const kv = new KvStore(openDatabase(':memory:'));
  let now = 1_000_000;
  const clock = { now: () => now, advance: (ms: number) => { now += ms; } };
  const mk = () => new PinLockout(kv, { maxAttempts: 5, baseMs: 60_000, maxMs: 3_600_000, now: clock.now });
  return { kv, clock, mk };
}

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

  it('never stays locked longer than the maximum, even if the clock jumps back', () => {
    const { clock, mk } = setup();
    const l = mk();
    for (let i = 0; i < 5; i++) l.recordFailure();
    clock.advance(-10 * 3_600_000);
    expect(l.remainingMs()).toBe(3_600_000);
  });

  it('ignores a corrupt stored state', () => {
    const { kv, mk } = setup();
    kv.set('console.pinLockout', '{"failures":"x","lockedUntil":-5');
    expect(mk().snapshot).toMatchObject({ failures: 0, lockouts: 0, lockedUntil: 0 });
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
