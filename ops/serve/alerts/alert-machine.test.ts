import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlertState, applyAlertAction, openRevision, sentRevisions, type AlertChain } from './alert-machine.js';
import { checkCapXml, checkNewAlert, revisionFields, writeFollowUp } from './cap-draft.js';
import type { Operator } from '../auth/operator.js';

const EX = join(import.meta.dirname, '../../../docs/examples/cap');
const T0 = Date.parse('2026-07-10T14:31:00+08:00');
const ed: Operator = { username: 'li.na', role: 'editor' };
const ap: Operator = { username: 'wang.wei', role: 'approver' };
const ap2: Operator = { username: 'zhao.lei', role: 'approver' };
const admin: Operator = { username: 'chen.admin', role: 'administrator' };

function draft(file: string): AlertChain {
  const c = checkNewAlert(checkCapXml(readFileSync(join(EX, file), 'utf8'), T0));
  return { id: c.chainId, state: AlertState.Draft, audience: 'all', headline: c.headline,
    revisions: [{ ...revisionFields(c), n: 1, outcome: 'draft', createdBy: ed.username, createdAt: T0 }] };
}

function followUp(c: AlertChain, kind: 'Update' | 'Cancel', now: number) {
  const first = checkCapXml(c.revisions[0]!.xml, T0).alert;
  const xml = writeFollowUp(first, c.revisions[0]!.xml, sentRevisions(c), kind, c.revisions.length, now);
  const checked = checkCapXml(xml, now);
  return { ...revisionFields(checked), chainCheck: checked.chainId };
}

describe('alert state machine (four-eyes)', () => {
  it('an emergency alert waits for a second operator, who sends it on approval', () => {
    const c0 = draft('wuhan-rainstorm-orange.xml');
    expect(c0.revisions[0]!.tier).toBe('emergency');
    const s1 = applyAlertAction(c0, { type: 'send' }, ed, T0 + 1);
    expect(s1.chain.state).toBe(AlertState.AwaitingApproval);
    expect(s1.publish).toBeNull();
    expect(s1.audit).toMatchObject({ action: 'alert.submit', actor: 'li.na' });
    expect(() => applyAlertAction(s1.chain, { type: 'approve' }, { username: 'li.na', role: 'approver' }, T0 + 2)).toThrow(expect.objectContaining({ code: 'SP_ALERT_SELF_APPROVAL' }));
    expect(() => applyAlertAction(s1.chain, { type: 'approve' }, { username: 'x', role: 'editor' }, T0 + 2)).toThrow(expect.objectContaining({ code: 'SP_ALERT_ROLE' }));
    const s2 = applyAlertAction(s1.chain, { type: 'approve' }, ap, T0 + 3);
    expect(s2.chain.state).toBe(AlertState.Sent);
    expect(s2.publish).toMatchObject({ msgType: 'Alert', approvedBy: 'wang.wei', submittedBy: 'li.na', sentBy: 'approval', publishedAt: T0 + 3 });
    expect(s2.audit.action).toBe('alert.approve');
    expect(() => applyAlertAction(s2.chain, { type: 'approve' }, ap2, T0 + 4)).toThrow(expect.objectContaining({ code: 'SP_ALERT_STATE' }));
  });

  it('an administrator overrides only with a reason; an approver cannot override', () => {
    const s1 = applyAlertAction(draft('wuhan-rainstorm-orange.xml'), { type: 'send' }, ed, T0);
    expect(() => applyAlertAction(s1.chain, { type: 'override', reason: 'urgent' }, ap, T0)).toThrow(expect.objectContaining({ code: 'SP_ALERT_ROLE' }));
    expect(() => applyAlertAction(s1.chain, { type: 'override', reason: ' ' }, admin, T0)).toThrow(expect.objectContaining({ code: 'SP_ALERT_REASON_REQUIRED' }));
    const s2 = applyAlertAction(s1.chain, { type: 'override', reason: 'no approver on duty at 03:00' }, admin, T0 + 5);
    expect(s2.chain.state).toBe(AlertState.Sent);
    expect(s2.publish).toMatchObject({ sentBy: 'override', reason: 'no approver on duty at 03:00', submittedBy: 'li.na' });
    expect(s2.audit).toMatchObject({ action: 'alert.override', actor: 'chen.admin', role: 'administrator' });
  });

  it('a refused alert goes back to draft and can be sent again', () => {
    const s1 = applyAlertAction(draft('wuhan-rainstorm-orange.xml'), { type: 'send' }, ed, T0);
    const s2 = applyAlertAction(s1.chain, { type: 'refuse', reason: 'wrong district' }, ap, T0 + 1);
    expect(s2.chain.state).toBe(AlertState.Draft);
    expect(openRevision(s2.chain)).toMatchObject({ outcome: 'draft', reason: 'wrong district' });
    expect(applyAlertAction(s2.chain, { type: 'send' }, ed, T0 + 2).chain.state).toBe(AlertState.AwaitingApproval);
  });

  it('a non-emergency alert is sent by one editor', () => {
    const c0 = draft('shiyan-heat-yellow.xml');
    expect(c0.revisions[0]!.tier).not.toBe('emergency');
    const s = applyAlertAction(c0, { type: 'send' }, ed, T0);
    expect(s.chain.state).toBe(AlertState.Sent);
    expect(s.publish).toMatchObject({ sentBy: 'single' });
  });

  it('Update (emergency: four eyes again) and Cancel (no wait) reference what was sent; cancelled is final', () => {
    let c = applyAlertAction(applyAlertAction(draft('wuhan-rainstorm-orange.xml'), { type: 'send' }, ed, T0).chain, { type: 'approve' }, ap, T0).chain;
    const up = followUp(c, 'Update', T0 + 60_000);
    expect(up.chainCheck).toBe(c.id);
    expect(up.msgType).toBe('Update');
    const s1 = applyAlertAction(c, { type: 'update', revision: up }, ed, T0 + 60_000);
    expect(s1.chain.state).toBe(AlertState.AwaitingApproval);
    // Refusing an Update returns to what is on the poles.
    expect(applyAlertAction(s1.chain, { type: 'refuse', reason: 'typo in text' }, ap, T0 + 61_000).chain.state).toBe(AlertState.Sent);
    c = applyAlertAction(s1.chain, { type: 'approve' }, ap, T0 + 62_000).chain;
    expect(c.state).toBe(AlertState.Updated);
    const cancel = followUp(c, 'Cancel', T0 + 120_000);
    expect(cancel.tier).toBe('low');
    const s2 = applyAlertAction(c, { type: 'cancel', revision: cancel }, ed, T0 + 120_000);
    expect(s2.chain.state).toBe(AlertState.Cancelled);
    expect(s2.publish?.msgType).toBe('Cancel');
    const refs = checkCapXml(s2.publish!.xml, T0 + 120_000).alert.referenceList.map((r) => r.identifier);
    expect(refs).toEqual([c.revisions[0]!.identifier, c.revisions[1]!.identifier]);
    expect(() => applyAlertAction(s2.chain, { type: 'cancel', revision: cancel }, ed, T0)).toThrow(expect.objectContaining({ code: 'SP_ALERT_STATE' }));
  });

  it('Update and Cancel are not possible before the alert was sent', () => {
    const c = draft('wuhan-rainstorm-orange.xml');
    const r = { ...c.revisions[0]!, msgType: 'Cancel' as const };
    expect(() => applyAlertAction(c, { type: 'cancel', revision: r }, ed, T0)).toThrow(expect.objectContaining({ code: 'SP_ALERT_STATE' }));
  });
});
