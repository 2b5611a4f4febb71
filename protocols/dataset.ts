/**
 * Data sets for the query UI (services, transit, weather, …) on retained `data/{name}` and
 * `poles/{id}/data/{name}`, and the city's replies to citizens' messages on
 * `poles/{id}/replies/{ticket}` (docs/mqtt-api.md §Data sets and replies). Both are signed; the
 * payload id is the name / ticket.
 */
import { z } from 'zod';
import { checkTicket } from './feedback.js';
import { SignedPayloadBase } from './signed.js';
import { LocalizedText } from './notice.js';

export const DataSetName = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'lower-case name such as transit');

export const DataSetPayload = SignedPayloadBase.extend({
  type: z.literal('dataset'),
  /** The data set's name; must equal the last topic level. */
  id: DataSetName,
  /** Content shape per data set, versioned by the UI that reads it; any JSON value here. */
  data: z.unknown().refine((v) => v !== undefined, 'data is required'),
  /** Optional hint for readers when a data set's content shape changes. */
  schemaVersion: z.number().int().min(1).max(1000).optional(),
});
export type DataSetPayload = z.infer<typeof DataSetPayload>;

/**
 * Where a citizen's message stands (docs/feedback.md §Status): 受理 received → 办理中 in-progress →
 * 已回复 replied (the department's answer); then, where the department closes the case, resolved
 * (已办结) or closed (已关闭); rejected (不予受理) is an answer too.
 */
export const ReplyStatus = z.enum(['received', 'in-progress', 'replied', 'resolved', 'rejected', 'closed']);
export type ReplyStatus = z.infer<typeof ReplyStatus>;

/** Statuses that carry the department's answer: `reply` is required, and the citizen may rate it. */
export const ANSWERED_STATUSES: ReadonlySet<ReplyStatus> = new Set(['replied', 'resolved', 'rejected']);

export const ReplyPayload = SignedPayloadBase.extend({
  type: z.literal('reply'),
  /** The ticket the citizen was given (9 digits, Luhn-checked: protocols/feedback.ts); must equal the last topic level. */
  id: SignedPayloadBase.shape.id.refine((t) => checkTicket(t).ok, 'not a ticket number: 9 digits with a valid check digit (docs/screen.md §Messages to the city)'),
  status: ReplyStatus,
  /** The answer shown on the ticket page. Required for replied / resolved / rejected; a status-only update (received, in-progress, closed) may leave it out and the pole keeps the last answer it had. */
  reply: LocalizedText.optional(),
  /** The department in charge, shown with the answer (e.g. 江岸区城市管理执法局). */
  department: LocalizedText.optional(),
}).refine((p) => p.reply !== undefined || !ANSWERED_STATUSES.has(p.status), { message: 'reply is required when status is replied, resolved or rejected', path: ['reply'] });
export type ReplyPayload = z.infer<typeof ReplyPayload>;
