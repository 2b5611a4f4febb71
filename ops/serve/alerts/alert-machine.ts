/**
 * The life of one CAP alert chain in the console (docs/ops-console.md §Emergency alerts): one
 * state enum, pure transitions. Each step names who did it and returns the audit entry and, when
 * something must go to the poles, the revision to publish; the caller stores, audits and
 * publishes.
 *
 *   draft ──send──▶ awaiting-approval ──approve (a second operator, approver or administrator)──▶ sent
 *     │                 │  └─refuse (reason)──▶ draft (or back to sent/updated for an Update)
 *     ├─send (not emergency), override (administrator, reason)──────────────────────────────────▶ sent
 *   sent / updated ──update──▶ awaiting-approval (emergency) or updated ──cancel──▶ cancelled
 *
 * Four-eyes: a revision whose tier is emergency (any `<info>` block takes over the screen,
 * protocols/cap-notice.ts capPriority) needs an approver other than the operator who asked to send
 * it, unless an administrator overrides with a written reason. A Cancel never waits: taking a
 * warning down (a false alarm above all) must not depend on finding a second person.
 */
import type { Operator } from '../auth/operator.js';
import { hasRole } from '../auth/users.js';
import { alertError } from './errors.js';

export const AlertState = {
  Draft: 'draft',
  AwaitingApproval: 'awaiting-approval',
  Sent: 'sent',
  Updated: 'updated',
  Cancelled: 'cancelled',
} as const;
export type AlertState = (typeof AlertState)[keyof typeof AlertState];

export type RevisionOutcome = 'draft' | 'pending' | 'sent' | 'refused';
export type AlertTier = 'emergency' | 'high' | 'normal' | 'low';

/** One CAP document of the chain: the Alert, each Update, the Cancel. */
export interface AlertRevision {
  n: number;
  msgType: 'Alert' | 'Update' | 'Cancel';
  identifier: string;
  sender: string;
  sent: string;
  xml: string;
  tier: AlertTier;
  outcome: RevisionOutcome;
  createdBy: string;
  createdAt: number;
  submittedBy?: string | undefined;
  submittedAt?: number | undefined;
  approvedBy?: string | undefined;
  /** 'approval' (four eyes), 'override' (an administrator alone, with reason) or 'single' (no approval needed). */
  sentBy?: 'approval' | 'override' | 'single' | undefined;
  reason?: string | undefined;
  publishedAt?: number | undefined;
}

export interface AlertChain {
  /** The notice id of the chain on the poles (protocols/cap.ts capChainId). */
  id: string;
  state: AlertState;
  /** all, group:<g> or pole:<id> (docs/security.md §Audience). */
  audience: string;
  headline: string;
  revisions: AlertRevision[];
}

export type AlertAction =
  | { type: 'send' }
  | { type: 'approve' }
  | { type: 'refuse'; reason: string }
  | { type: 'override'; reason: string }
  | { type: 'update'; revision: Omit<AlertRevision, 'n' | 'outcome' | 'createdBy' | 'createdAt'> }
  | { type: 'cancel'; revision: Omit<AlertRevision, 'n' | 'outcome' | 'createdBy' | 'createdAt'> };

export interface AlertAudit {
  action: 'alert.send' | 'alert.submit' | 'alert.approve' | 'alert.refuse' | 'alert.override' | 'alert.update' | 'alert.cancel';
  actor: string;
  role: string;
  target: string;
  detail: string;
}

export interface AlertStep {
  chain: AlertChain;
  audit: AlertAudit;
  /** The revision to sign and publish now, if any. */
  publish: AlertRevision | null;
}

/** The revision waiting for a decision (the newest one, pending or draft). */
export function openRevision(c: AlertChain): AlertRevision | undefined {
  const last = c.revisions.at(-1);
  return last && (last.outcome === 'pending' || last.outcome === 'draft') ? last : undefined;
}

/** The state a chain returns to when its open revision is refused. */
function settledState(c: AlertChain): AlertState {
  const sent = c.revisions.filter((r) => r.outcome === 'sent');
  if (sent.length === 0) return AlertState.Draft;
  return sent.at(-1)!.msgType === 'Alert' ? AlertState.Sent : AlertState.Updated;
}

function stateAfterSend(r: AlertRevision): AlertState {
  if (r.msgType === 'Cancel') return AlertState.Cancelled;
  return r.msgType === 'Update' ? AlertState.Updated : AlertState.Sent;
}

function replaceLast(c: AlertChain, r: AlertRevision, state: AlertState): AlertChain {
  return { ...c, state, revisions: [...c.revisions.slice(0, -1), r] };
}

function needsReason(reason: string): string {
  const r = reason.trim();
  if (r.length < 3) throw alertError('SP_ALERT_REASON_REQUIRED');
  return r;
}

const describe = (r: AlertRevision) => `${r.msgType} ${r.identifier} (${r.tier})`;

/** Applies one step. Throws SP_ALERT_STATE / SP_ALERT_ROLE / SP_ALERT_SELF_APPROVAL / SP_ALERT_REASON_REQUIRED. */
export function applyAlertAction(c: AlertChain, a: AlertAction, who: Operator, now: number): AlertStep {
  const base = { actor: who.username, role: who.role, target: c.id };
  const wrongState = () => alertError('SP_ALERT_STATE', { alert: c.id, state: c.state, step: a.type });
  switch (a.type) {
    case 'send': {
      const r = openRevision(c);
      if (c.state !== AlertState.Draft || !r) throw wrongState();
      const submitted = { ...r, submittedBy: who.username, submittedAt: now };
      if (r.tier === 'emergency') {
        return { chain: replaceLast(c, { ...submitted, outcome: 'pending' }, AlertState.AwaitingApproval), publish: null,
          audit: { ...base, action: 'alert.submit', detail: `${describe(r)} waits for a second operator's approval` } };
      }
      const sent: AlertRevision = { ...submitted, outcome: 'sent', sentBy: 'single', publishedAt: now };
      return { chain: replaceLast(c, sent, stateAfterSend(sent)), publish: sent, audit: { ...base, action: 'alert.send', detail: `${describe(r)} sent` } };
    }
    case 'approve': {
      const r = openRevision(c);
      if (c.state !== AlertState.AwaitingApproval || !r || r.outcome !== 'pending') throw wrongState();
      if (!hasRole(who, 'approver')) throw alertError('SP_ALERT_ROLE', { role: who.role, needed: 'approver' });
      if (r.submittedBy === who.username) throw alertError('SP_ALERT_SELF_APPROVAL', { alert: c.id, operator: who.username });
      const sent: AlertRevision = { ...r, outcome: 'sent', approvedBy: who.username, sentBy: 'approval', publishedAt: now };
      return { chain: replaceLast(c, sent, stateAfterSend(sent)), publish: sent,
        audit: { ...base, action: 'alert.approve', detail: `${describe(r)} approved (asked by ${r.submittedBy ?? '?'}) and sent` } };
    }
    case 'refuse': {
      const r = openRevision(c);
      if (c.state !== AlertState.AwaitingApproval || !r) throw wrongState();
      if (!hasRole(who, 'approver') && r.submittedBy !== who.username) throw alertError('SP_ALERT_ROLE', { role: who.role, needed: 'approver' });
      const reason = needsReason(a.reason);
      // An Alert goes back to draft (it can be corrected and sent again); a refused Update is closed.
      const back: AlertRevision = r.msgType === 'Alert' ? { ...r, outcome: 'draft', reason } : { ...r, outcome: 'refused', reason };
      const chain = replaceLast(c, back, AlertState.Draft);
      return { chain: { ...chain, state: settledState(chain) }, publish: null, audit: { ...base, action: 'alert.refuse', detail: `${describe(r)} refused: ${reason}` } };
    }
    case 'override': {
      const r = openRevision(c);
      if ((c.state !== AlertState.Draft && c.state !== AlertState.AwaitingApproval) || !r) throw wrongState();
      if (who.role !== 'administrator') throw alertError('SP_ALERT_ROLE', { role: who.role, needed: 'administrator' });
      const reason = needsReason(a.reason);
      const sent: AlertRevision = { ...r, submittedBy: r.submittedBy ?? who.username, submittedAt: r.submittedAt ?? now, outcome: 'sent', sentBy: 'override', reason, approvedBy: who.username, publishedAt: now };
      return { chain: replaceLast(c, sent, stateAfterSend(sent)), publish: sent, audit: { ...base, action: 'alert.override', detail: `${describe(r)} sent without a second approval: ${reason}` } };
    }
    case 'update':
    case 'cancel': {
      if (c.state !== AlertState.Sent && c.state !== AlertState.Updated) throw wrongState();
      const r: AlertRevision = { ...a.revision, n: c.revisions.length + 1, outcome: 'pending', createdBy: who.username, createdAt: now, submittedBy: who.username, submittedAt: now };
      if (a.type === 'update' && r.tier === 'emergency') {
        return { chain: { ...c, state: AlertState.AwaitingApproval, revisions: [...c.revisions, r] }, publish: null,
          audit: { ...base, action: 'alert.submit', detail: `${describe(r)} waits for a second operator's approval` } };
      }
      const sent: AlertRevision = { ...r, outcome: 'sent', sentBy: 'single', publishedAt: now };
      return { chain: { ...c, state: stateAfterSend(sent), revisions: [...c.revisions, sent] }, publish: sent,
        audit: { ...base, action: a.type === 'cancel' ? 'alert.cancel' : 'alert.update', detail: `${describe(sent)} sent` } };
    }
  }
}

/** The revisions already on the poles, oldest first: what an Update or Cancel references. */
export function sentRevisions(c: AlertChain): AlertRevision[] {
  return c.revisions.filter((r) => r.outcome === 'sent');
}
