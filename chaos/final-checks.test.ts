/**
 * The charging end check (docs/chaos.md §Invariants): each car's session equals the meter's count
 * for it, and a session flagged `carChanged` forms one group with the car that took over unseen.
 */
import { describe, expect, it } from 'vitest';
import { checkChargingAtEnd } from './final-checks.js';
import { Invariants, type Violation } from './invariant.js';
import type { Checks } from './checks.js';
import type { CarCycle } from './cars-work.js';
import type { Ledger } from './ledger.js';

function run(cars: Partial<CarCycle>[], sessions: Record<string, unknown>[]): { violations: Violation[]; merged: number } {
  const violations: Violation[] = [];
  const inv = new Invariants((v) => violations.push(v));
  const checks = { charging: inv.add('charging', 'test') } as unknown as Checks;
  const charging = new Map<string, Record<string, unknown>>();
  for (const s of sessions) {
    charging.set(`${String(s.transactionId)}#1`, { recordId: `${String(s.transactionId)}#1`, transactionId: s.transactionId, record: 'start' });
    charging.set(`${String(s.transactionId)}#2`, { recordId: `${String(s.transactionId)}#2`, record: 'stop', ...s });
  }
  const cycles = cars.map((c, i) => ({ n: i + 1, paymentRef: `P${i + 1}`, commandId: '', plugIn: i + 1, plugAt: 0, unplugAt: 1, cycle: i + 1, energyWh: 0, ...c }));
  const { merged } = checkChargingAtEnd(checks, { charging } as unknown as Ledger, cycles);
  return { violations, merged };
}

describe('checkChargingAtEnd', () => {
  it('passes exact sessions, and a car that paid nothing and drew nothing', () => {
    expect(run([{ energyWh: 700 }, { energyWh: 0 }], [{ transactionId: 'T1', paymentRef: 'P1', energyWh: 700 }]).violations).toEqual([]);
  });

  it('fails a session that carries another car\'s energy without the carChanged flag', () => {
    const r = run([{ energyWh: 700 }, { energyWh: 300 }], [{ transactionId: 'T1', paymentRef: 'P1', energyWh: 1000 }]);
    expect(r.violations.map((v) => v.message)).toEqual([
      'car 1 (P1, plug-in 1) 700 Wh by the meter; T1 1000 Wh',
      'car 2 (P2, plug-in 2) 300 Wh by the meter; no session',
    ]);
  });

  it('groups a flagged session with the car that took over unseen, which then paid for itself', () => {
    const r = run([{ energyWh: 700 }, { energyWh: 500 }, { energyWh: 200 }], [
      { transactionId: 'T1', paymentRef: 'P1', energyWh: 800, carChanged: true },
      { transactionId: 'T2', paymentRef: 'P2', energyWh: 400 },
      { transactionId: 'T3', paymentRef: 'P3', energyWh: 200 },
    ]);
    expect(r).toEqual({ violations: [], merged: 1 });
  });

  it('still counts energy lost inside a group', () => {
    const r = run([{ energyWh: 700 }, { energyWh: 500 }], [{ transactionId: 'T1', paymentRef: 'P1', energyWh: 750, carChanged: true }]);
    expect(r.violations).toHaveLength(1);
  });
});
