/**
 * Fields every signed city → pole payload carries (docs/mqtt-api.md §Signed envelope; docs/security.md):
 * a message id, the audience it is for (`all`, `group:<g>`, `pole:<id>`; must match the topic it
 * arrives on), a version that only ever rises per issuer + kind + id + audience (TUF's rollback
 * defence), when it was issued and, where it makes sense, when it stops being valid.
 */
import { z } from 'zod';
import { IsoDateTime } from './time.js';
import { Audience } from './audience.js';

export const MessageId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, '1–64 of A–Z a–z 0–9 . _ - (not starting with . _ -)');

export const SignedPayloadBase = z.object({
  id: MessageId,
  /** Whom the message is for; signed, so it cannot be moved to another topic (docs/security.md §Audience). */
  audience: Audience,
  version: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  issuedAt: IsoDateTime,
  expiresAt: IsoDateTime.optional(),
});
export type SignedPayloadBase = z.infer<typeof SignedPayloadBase>;
