/**
 * Where a citizen's message stands in the inbox (docs/ops-console.md §Citizens' messages): one
 * enum, pure transitions. 受理 received (arrived from the pole) → 办理中 in-progress (a department
 * has it) → 已回复 replied (the answer went back to the pole that took the message). Further
 * replies are allowed after the first (a follow-up); the citizen's rating arrives from the pole.
 */
import type { Operator } from '../auth/operator.js';
import { inboxError } from './errors.js';

export const TicketStatus = { Received: 'received', InProgress: 'in-progress', Replied: 'replied' } as const;
export type TicketStatus = (typeof TicketStatus)[keyof typeof TicketStatus];

export const STATUS_LABELS: Record<TicketStatus, { zh: string; en: string }> = {
  received: { zh: '受理', en: 'Received' },
  'in-progress': { zh: '办理中', en: 'In progress' },
  replied: { zh: '已回复', en: 'Replied' },
};

export interface ReplyText { zh: string; en?: string | undefined }

export type TicketAction =
  | { type: 'assign'; department: string }
  | { type: 'reply'; text: ReplyText };

export interface TicketAudit { action: 'message.assign' | 'message.reply'; actor: string; role: string; target: string; detail: string }

export interface TicketView { poleId: string; ticket: string; status: TicketStatus; department: string | null }

export const REPLY_MAX = { zh: 500, en: 1000 } as const;

/** Checks reply text: Chinese required, English optional, within the pole's limits. */
export function checkReplyText(t: ReplyText): ReplyText {
  const zh = t.zh.trim();
  const en = t.en?.trim() || undefined;
  if (!zh || zh.length > REPLY_MAX.zh || (en !== undefined && en.length > REPLY_MAX.en)) {
    throw inboxError('SP_INBOX_REPLY_INVALID', { zhLength: zh.length, enLength: en?.length ?? 0 });
  }
  return en ? { zh, en } : { zh };
}

/** The next status after an action; throws SP_INBOX_STATE where the step makes no sense. */
export function nextTicketStatus(t: TicketView, a: TicketAction, who: Operator): { status: TicketStatus; audit: TicketAudit } {
  const base = { actor: who.username, role: who.role, target: `${t.poleId}/${t.ticket}` };
  switch (a.type) {
    case 'assign':
      // Reassigning is allowed until the answer went out; after that the answering department stays on record.
      if (t.status === TicketStatus.Replied) throw inboxError('SP_INBOX_STATE', { status: t.status, step: a.type });
      return { status: TicketStatus.InProgress, audit: { ...base, action: 'message.assign', detail: `assigned to ${a.department}${t.department ? ` (was ${t.department})` : ''}` } };
    case 'reply':
      if (!t.department) throw inboxError('SP_INBOX_STATE', { status: t.status, step: a.type, detail: 'assign a department first: the answer names who gives it' });
      return { status: TicketStatus.Replied, audit: { ...base, action: 'message.reply', detail: `${t.status === TicketStatus.Replied ? 'follow-up ' : ''}reply by ${t.department}: ${a.text.zh.slice(0, 80)}` } };
  }
}
