import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openOpsStore } from '../store.js';
import { NOTICE_MIGRATIONS } from './migrations.js';
import { DeliveryStore } from './delivery-store.js';
import type { PoleMessage } from '../link.js';

const rec = (poleId: string, body: Record<string, unknown>, at = 1000): PoleMessage => ({ poleId, leaf: 'receipts', body, retained: false, at });
const receipt = (poleId: string, status: string, o: Record<string, unknown> = {}) => rec(poleId, { type: 'receipt', kind: 'notice', id: 'n-1', version: 5, status, poleId, at: '2026-12-08T08:00:00.000+08:00', ...o });

function setup() {
  let t = 0;
  const db = openOpsStore(':memory:', NOTICE_MIGRATIONS);
  const s = new DeliveryStore(db, () => t);
  s.track('n-1', 'notice', 5, ['A', 'B', 'C']);
  return { s, db, set: (v: number) => { t = v; } };
}

describe('delivery board', () => {
  it('starts pending; accepted → displayed; refused with its code; never steps back', () => {
    const { s } = setup();
    expect(s.counts('n-1')).toMatchObject({ pending: 3, total: 3 });
    s.apply([receipt('A', 'accepted'), receipt('B', 'rejected', { code: 'SP_MSG_KEY_POWER', reason: 'no power' })]);
    s.apply([receipt('A', 'displayed')]);
    s.apply([receipt('A', 'accepted')]); // late duplicate after a reconnect
    const rows = Object.fromEntries(s.rows('n-1').map((r) => [r.poleId, r]));
    expect(rows.A).toMatchObject({ status: 'displayed', acceptedAt: '2026-12-08T08:00:00.000+08:00' });
    expect(rows.B).toMatchObject({ status: 'refused', code: 'SP_MSG_KEY_POWER', reason: 'no power' });
    expect(rows.C).toMatchObject({ status: 'pending', receiptAfterMs: null });
    expect(s.counts('n-1')).toMatchObject({ displayed: 1, refused: 1, pending: 1 });
  });
  it('ignores receipts for another version or an untracked id; adds a pole it did not know', () => {
    const { s } = setup();
    expect(s.apply([receipt('A', 'accepted', { version: 4 }), receipt('A', 'accepted', { id: 'other' })]).size).toBe(0);
    s.apply([receipt('D', 'accepted')]);
    expect(s.counts('n-1')).toMatchObject({ accepted: 1, pending: 3, total: 4 });
  });
  it('proof of play marks displayed and sums plays and seconds', () => {
    const { s } = setup();
    const pop = (n: number) => rec('C', { type: 'proofOfPlay', from: '2026-12-08T08:00:00.000+08:00', to: '2026-12-08T09:00:00.000+08:00', items: [{ id: 'n-1', version: 5, plays: n, seconds: n * 10 }], poleId: 'C', at: 'x' });
    s.apply([pop(3)]);
    s.apply([pop(2)]);
    expect(s.rows('n-1').find((r) => r.poleId === 'C')).toMatchObject({ status: 'displayed', plays: 5, seconds: 50, displayedAt: '2026-12-08T08:00:00.000+08:00' });
  });
  it('withdrawn receipts close rows once the withdrawal is sent; a new version resets the board', () => {
    const { s } = setup();
    s.apply([receipt('A', 'displayed')]);
    s.withdrawing('n-1', 9);
    s.apply([receipt('A', 'withdrawn', { version: 9 })]);
    expect(s.rows('n-1')[0]!.status).toBe('withdrawn');
    s.withdrawing('n-1', 11);
    s.apply([receipt('B', 'accepted'), receipt('B', 'rejected', { version: 11, code: 'SP_MSG_KEY_POWER' })]);
    expect(s.rows('n-1').find((r) => r.poleId === 'B')).toMatchObject({ status: 'accepted', code: 'withdrawal refused: SP_MSG_KEY_POWER' });
    s.track('n-1', 'notice', 10, ['A']);
    expect(s.counts('n-1')).toMatchObject({ pending: 1, total: 1 });
  });
  it('records the time from sending to the first receipt', () => {
    const { s, set } = setup();
    set(100);
    s.track('n-1', 'notice', 5, ['A']);
    s.apply([{ ...receipt('A', 'accepted'), at: 350 }]);
    expect(s.rows('n-1')[0]!.receiptAfterMs).toBe(250);
  });
  it('never throws on any receipts body', () => {
    const { s } = setup();
    fc.assert(fc.property(fc.dictionary(fc.constantFrom('type', 'kind', 'id', 'version', 'status', 'code', 'items', 'at', 'from'), fc.jsonValue()), (b) => {
      s.apply([rec('A', { type: 'receipt', kind: 'notice', id: 'n-1', ...b })]);
      s.apply([rec('A', b as Record<string, unknown>)]);
    }), { numRuns: 300 });
  });
});
