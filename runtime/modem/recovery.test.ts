import { describe, expect, it } from 'vitest';
import { RecoveryLadder, LADDERS } from './recovery.js';
import { detectProblem } from './problem.js';
import { ModemState } from '../../device/modem/modem-state.js';
import { PRODUCTION_TIMING } from '../../device/modem/timing.js';

const ladder = (resets = 2) => new RecoveryLadder({ resetsBeforePowerCycle: resets, initialMs: 5_000, maxMs: 1_800_000, random: () => 0.5 });

describe('RecoveryLadder', () => {
  it('climbs re-query → re-attach → reset ×N → power cycle, waiting longer before each step', () => {
    const l = ladder();
    const plans = Array.from({ length: 7 }, (_, i) => l.plan('data', i * 1000)!);
    expect(plans.map((p) => p.step)).toEqual(['requery', 'reattach', 'reset', 'reset', 'power-cycle', 'reset', 'reset']);
    expect(plans.map((p) => p.delayMs)).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000]);
    expect(l.counters.incidents).toBe(1);
  });

  it('never waits longer than the max, and never zero (no tight loop)', () => {
    const l = ladder();
    for (let i = 0; i < 30; i++) {
      const p = l.plan('hung', 0)!;
      expect(p.delayMs).toBeGreaterThanOrEqual(5_000);
      expect(p.delayMs).toBeLessThanOrEqual(1_800_000);
    }
  });

  it('a hung modem starts at reset; a missing port goes straight to the power cycle', () => {
    expect(ladder().plan('hung', 0)!.step).toBe('reset');
    expect(ladder().plan('absent', 0)!.step).toBe('power-cycle');
    expect(ladder(0).stepsFor('hung')).toEqual(['reset', 'power-cycle']);
  });

  it('no coverage only ever re-queries; a locked SIM has no automatic step', () => {
    const l = ladder();
    expect(Array.from({ length: 5 }, () => l.plan('no-coverage', 0)!.step)).toEqual(Array(5).fill('requery'));
    expect(ladder().plan('sim-locked', 0)).toBeNull();
    expect(LADDERS.denied.steps).not.toContain('power-cycle');
  });

  it('reports the steps an incident took when online again, and starts from the bottom once stable', () => {
    const l = ladder();
    for (const s of ['requery', 'reattach'] as const) { l.plan('data', 0); l.record(s); }
    expect(l.online(12_000)).toEqual({ durationMs: 12_000, steps: ['requery', 'reattach'] });
    expect(l.plan('data', 20_000)!.step).toBe('reset');
    l.stable();
    const p = l.plan('data', 30_000)!;
    expect([p.step, p.delayMs]).toEqual(['requery', 5_000]);
    expect(l.counters).toMatchObject({ requery: 1, reattach: 1, recovered: 1 });
  });
});

describe('detectProblem', () => {
  const base = { since: 1_000, failure: null, signal: true, now: 2_000, lastStepAt: 0, timing: PRODUCTION_TIMING };
  it('names each problem state', () => {
    expect(detectProblem({ ...base, state: ModemState.Hung })?.problem).toBe('hung');
    expect(detectProblem({ ...base, state: ModemState.SimMissing })?.problem).toBe('sim');
    expect(detectProblem({ ...base, state: ModemState.SimPuk })?.problem).toBe('sim-locked');
    expect(detectProblem({ ...base, state: ModemState.Denied })?.problem).toBe('denied');
    expect(detectProblem({ ...base, state: ModemState.Online })).toBeNull();
  });
  it('waits out the registration and absence timeouts, and tells coverage from service', () => {
    const t = PRODUCTION_TIMING;
    expect(detectProblem({ ...base, state: ModemState.Registering, now: 1_000 + t.registrationTimeoutMs - 1 })).toBeNull();
    expect(detectProblem({ ...base, state: ModemState.Registering, now: 1_000 + t.registrationTimeoutMs })?.problem).toBe('no-service');
    expect(detectProblem({ ...base, state: ModemState.Registering, signal: false, now: 1_000 + t.registrationTimeoutMs })).toMatchObject({ problem: 'no-coverage', code: 'SP_MODEM_NO_COVERAGE' });
    expect(detectProblem({ ...base, state: ModemState.Absent, now: 1_000 + t.absentTimeoutMs })?.problem).toBe('absent');
  });
  it('a symptom older than the last step does not climb again', () => {
    expect(detectProblem({ ...base, state: ModemState.Hung, lastStepAt: 1_500 })).toBeNull();
    expect(detectProblem({ ...base, state: ModemState.Connecting, failure: { code: 'SP_MODEM_DATA_FAILED', message: 'x', at: 1_600 }, lastStepAt: 1_500 })?.problem).toBe('data');
    expect(detectProblem({ ...base, state: ModemState.Connecting, failure: { code: 'SP_MODEM_DATA_FAILED', message: 'x', at: 1_400 }, lastStepAt: 1_500 })).toBeNull();
    expect(detectProblem({ ...base, state: ModemState.Online, failure: { code: 'SP_MODEM_DATA_STALL', message: 'x', at: 1_600 }, lastStepAt: 1_500 })?.problem).toBe('data');
  });
});
