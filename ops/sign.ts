/**
 * Turns an ops draft into a complete signed payload: fills id, version, issuedAt and the audience
 * when absent. Every signed payload names its audience (docs/security.md §Audience); the helpers
 * that publish (notice, cap, cmd, data, reply, the sim's ops panel) set it from the target they
 * publish to, so a caller never has to keep topic and audience in step by hand.
 */
import { randomBytes } from 'node:crypto';
import { sealEnvelope, type Envelope } from '../protocols/envelope.js';
import { audienceOfTopic, type Audience } from '../protocols/audience.js';
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
export function completeNotice(draft: NoticeDraft, now = Date.now(), audience: Audience = draft.audience ?? 'all'): NoticePayload {
  return NoticePayload.parse({
    ...draft,
    type: 'notice',
    audience,
    id: draft.id ?? newMessageId('n', now),
    version: draft.version ?? now,
    issuedAt: draft.issuedAt ?? isoWithOffset(now),
  });
}

export function withdrawal(id: string, now = Date.now(), reason?: string, audience: Audience = 'all'): NoticeWithdrawPayload {
  return NoticeWithdrawPayload.parse({ type: 'notice.withdraw', id, audience, version: now, issuedAt: isoWithOffset(now), reason });
}

/** Signs a payload; with `audience`, that audience is signed (replacing any the payload had). */
export function sign(payload: unknown, key: SigningKey, audience?: Audience): Envelope {
  const p = audience !== undefined && payload && typeof payload === 'object' ? { ...payload, audience } : payload;
  return sealEnvelope(p, key.kid, key.privateKey);
}

/** Signs a payload for the topic it will be published on: the audience is the one the topic implies. */
export function signForTopic(payload: unknown, key: SigningKey, prefix: string, topic: string): Envelope {
  const audience = audienceOfTopic(prefix, topic);
  if (!audience) throw new Error(`${topic} is not a city → pole topic under ${prefix}`);
  return sign(payload, key, audience);
}
