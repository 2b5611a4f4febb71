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

export const ReplyStatus = z.enum(['received', 'in-progress', 'resolved', 'rejected', 'closed']);

export const ReplyPayload = SignedPayloadBase.extend({
  type: z.literal('reply'),
  /** The ticket the citizen was given (9 digits, Luhn-checked: protocols/feedback.ts); must equal the last topic level. */
  id: SignedPayloadBase.shape.id.refine((t) => checkTicket(t).ok, 'not a ticket number: 9 digits with a valid check digit (docs/screen.md §Messages to the city)'),
  status: ReplyStatus,
  reply: LocalizedText,
});
export type ReplyPayload = z.infer<typeof ReplyPayload>;
