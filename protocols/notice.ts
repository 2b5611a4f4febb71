/**
 * Notice payloads (city → pole), carried inside a signed envelope on
 * `notices/{all|group/<g>|pole/<id>}/<noticeId>` (docs/mqtt-api.md §Topics).
 */
import { z } from 'zod';
import { IsoDateTime } from './time.js';
import { SignedPayloadBase } from './signed.js';
import { CapPayload } from './cap.js';

export { MessageId, SignedPayloadBase } from './signed.js';

export const NoticePriority = z.enum(['emergency', 'high', 'normal', 'low']);
export type NoticePriority = z.infer<typeof NoticePriority>;
export const PRIORITY_RANK: Record<NoticePriority, number> = { emergency: 3, high: 2, normal: 1, low: 0 };

export const LocalizedText = z.object({
  zh: z.string().trim().min(1).max(2000),
  en: z.string().trim().min(1).max(4000).optional(),
});
export type LocalizedText = z.infer<typeof LocalizedText>;

const HhMm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');

/** A weekly time window; `days` are ISO weekdays (1 = Monday … 7 = Sunday), local pole time. */
export const Daypart = z.object({
  days: z.array(z.number().int().min(1).max(7)).min(1).max(7).default([1, 2, 3, 4, 5, 6, 7]),
  from: HhMm,
  to: HhMm,
});

export const NoticePayload = SignedPayloadBase.extend({
  type: z.literal('notice'),
  priority: NoticePriority.default('normal'),
  title: LocalizedText,
  body: LocalizedText,
  /** Start of validity; defaults to issuedAt. */
  validFrom: IsoDateTime.optional(),
  /** Seconds this notice stays on screen per turn of the attract loop. */
  durationSec: z.number().int().min(3).max(600).default(10),
  dayparts: z.array(Daypart).max(16).optional(),
  category: z.string().max(32).optional(),
});
export type NoticePayload = z.infer<typeof NoticePayload>;

export const NoticeWithdrawPayload = SignedPayloadBase.extend({
  type: z.literal('notice.withdraw'),
  reason: z.string().max(200).optional(),
});
export type NoticeWithdrawPayload = z.infer<typeof NoticeWithdrawPayload>;

/**
 * Everything a notice topic may carry: a notice, its signed withdrawal, or a CAP alert (which the
 * pole maps into a notice, protocols/cap-notice.ts). They share one version namespace per id.
 */
export const NoticeMessage = z.discriminatedUnion('type', [NoticePayload, NoticeWithdrawPayload, CapPayload]);
export type NoticeMessage = z.infer<typeof NoticeMessage>;

/** The notice input ops writes by hand: id/version/issuedAt may be filled in by the signer. */
export const NoticeDraft = NoticePayload.partial({ id: true, version: true, issuedAt: true }).extend({
  type: z.literal('notice').default('notice'),
});
export type NoticeDraft = z.input<typeof NoticeDraft>;
