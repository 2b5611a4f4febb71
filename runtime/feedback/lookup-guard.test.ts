import { describe, expect, it } from 'vitest';
import { testLogger } from '../../test/helpers/logger.js';
import type { EventInput } from '../uplink/reporter.js';
import { LookupBlock, TicketLookupGuard } from './lookup-guard.js';

function setup() {
  let t = 1_000;
  const events: EventInput[] = [];
  const guard = new TicketLookupGuard({ reporter: { event: (e) => { events.push(e); return true; } }, logger: testLogger(), monotonic: () => t });
  return { guard, events, advance: (ms: number) => { t += ms; } };
}

describe('TicketLookupGuard', () => {
  it('admits 5 lookups a minute on a sliding window, then refuses with the time to wait', () => {
    const { guard, events, advance } = setup();
    for (let i = 0; i < 5; i++) { expect(guard.admit()).toEqual({ ok: true }); guard.result(true); advance(10_000); }
    expect(guard.admit()).toEqual({ ok: false, block: LookupBlock.Rate, retryInMs: 10_000 });
    expect(guard.admit()).toMatchObject({ ok: false, block: LookupBlock.Rate });
    expect(events).toHaveLength(1); // once per pause, not per tap
    expect(events[0]).toMatchObject({ code: 'SP_TICKET_RATE_LIMIT', severity: 'warning', block: 'rate', seconds: 10 });
    advance(10_000);
    expect(guard.admit()).toEqual({ ok: true }); // the first lookup left the window
    expect(guard.stats).toEqual({ admitted: 6, refused: 2, lockouts: 0 });
  });

  it('pauses lookups for 60 s after 5 unknown tickets in a row, as a security event', () => {
    const { guard, events, advance } = setup();
    for (let i = 0; i < 4; i++) { guard.admit(); guard.result(false); advance(13_000); }
    guard.admit(); guard.result(true); // a known ticket breaks the run
    advance(13_000);
    for (let i = 0; i < 4; i++) { expect(guard.admit().ok).toBe(true); guard.result(false); advance(13_000); }
    expect(events).toEqual([]);
    expect(guard.admit().ok).toBe(true);
    guard.result(false); // fifth unknown in a row
    expect(events).toEqual([expect.objectContaining({ code: 'SP_TICKET_RATE_LIMIT', severity: 'security', block: 'lockout', seconds: 60 })]);
    advance(59_000);
    expect(guard.admit()).toEqual({ ok: false, block: LookupBlock.Lockout, retryInMs: 1_000 });
    expect(events).toHaveLength(1);
    advance(1_000);
    expect(guard.admit()).toEqual({ ok: true });
    expect(guard.stats.lockouts).toBe(1);
  });

  it('counts only on its own clock: a wall-clock jump does not lift a pause', () => {
    let mono = 0;
    const guard = new TicketLookupGuard({ reporter: { event: () => true }, logger: testLogger(), monotonic: () => mono, perWindow: 1, windowMs: 60_000 });
    expect(guard.admit().ok).toBe(true);
    const realNow = Date.now;
    Date.now = () => realNow() + 3_600_000; // the wall clock is set an hour ahead
    try { expect(guard.admit().ok).toBe(false); } finally { Date.now = realNow; }
    mono += 60_000;
    expect(guard.admit().ok).toBe(true);
  });
});
