import { describe, expect, it } from 'vitest';
import { commandTimeout, PRODUCTION_TIMING, scaleTiming } from './timing.js';

describe('modem timing table', () => {
  it('has the production timeouts', () => {
    const t = PRODUCTION_TIMING.commandTimeoutsMs;
    expect([commandTimeout(t, 'AT+CPIN?'), commandTimeout(t, 'AT+CSQ'), commandTimeout(t, 'AT+COPS?'), commandTimeout(t, 'AT+COPS=0'), commandTimeout(t, 'AT+QIACT=1')]).toEqual([1_000, 3_000, 180_000, 180_000, 150_000]);
    expect(commandTimeout(t, 'AT+QIACT?')).toBe(3_000); // the query is quick; only activation is long
    expect(commandTimeout(t, 'ATI')).toBe(3_000);
    expect(PRODUCTION_TIMING.pollMs).toBe(30_000);
  });

  it('scales everything, keeps a floor under command timeouts, and takes explicit values as they are', () => {
    const t = scaleTiming({ scale: 0.1, floorMs: 1_000, commandTimeoutsMs: { 'AT+CSQ': 250 }, overrides: { stableMs: 42 } });
    expect(t.pollMs).toBe(3_000);
    expect(t.fastPollTries).toBe(5);
    expect(commandTimeout(t.commandTimeoutsMs, 'AT+COPS?')).toBe(18_000);
    expect(commandTimeout(t.commandTimeoutsMs, 'AT+CPIN?')).toBe(1_000); // 100 ms would be below the floor
    expect(commandTimeout(t.commandTimeoutsMs, 'AT+CSQ')).toBe(250);
    expect(t.stableMs).toBe(42);
    expect(scaleTiming({ scale: 1, floorMs: 5_000 }).commandTimeoutsMs['AT+CPIN?']).toBe(1_000);
  });
});
