/** Turns an ops draft into a complete signed payload: fills id, version and issuedAt when absent. */
import { randomBytes } from 'node:crypto';
import { sealEnvelope, type Envelope } from '../protocols/envelope.js';
import { NoticePayload, NoticeWithdrawPayload, type NoticeDraft } from '../protocols/notice.js';
import { isoWithOffset } from '../protocols/time.js';
import type { SigningKey } from './keys.js';

export function newMessageId(prefix: string, now = Date.now()): string {
  const d = isoWithOffset(now).slice(0, 10).replaceAll('-', '');
  return `${prefix}-${d}-${randomBytes(3).toString('hex')}`;
}

/**
 * Versions default to the issue time in ms: they rise for every re-push of the same id from one
 * issuer without any state on the ops side (a rollback check needs only "higher than before").
 */
export function completeNotice(draft: NoticeDraft, now = Date.now()): NoticePayload {
  return NoticePayload.parse({
    ...draft,
    type: 'notice',
    id: draft.id ?? newMessageId('n', now),
    version: draft.version ?? now,
    issuedAt: draft.issuedAt ?? isoWithOffset(now),
  });
}

export function withdrawal(id: string, now = Date.now(), reason?: string): NoticeWithdrawPayload {
  return NoticeWithdrawPayload.parse({ type: 'notice.withdraw', id, version: now, issuedAt: isoWithOffset(now), reason });
}

export function sign(payload: unknown, key: SigningKey): Envelope {
  return sealEnvelope(payload, key.kid, key.privateKey);
}
