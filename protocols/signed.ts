/**
 * Fields every signed city → pole payload carries (docs/mqtt-api.md §Signed envelopes): a message id,
 * a version that only ever rises per issuer + id (TUF rollback defence, docs/background.md §MQTT practices),
 * when it was issued and, where it makes sense, when it stops being valid.
 */
import { z } from 'zod';
import { IsoDateTime } from './time.js';

export const MessageId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, '1–64 of A–Z a–z 0–9 . _ - (not starting with . _ -)');

export const SignedPayloadBase = z.object({
  id: MessageId,
  version: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  issuedAt: IsoDateTime,
  expiresAt: IsoDateTime.optional(),
});
export type SignedPayloadBase = z.infer<typeof SignedPayloadBase>;
