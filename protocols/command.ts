/**
 * Commands (city → pole on `poles/{id}/cmd`, signed) and their responses (pole → city on
 * `poles/{id}/cmd/res`): exactly one response per command id (docs/mqtt-api.md §Commands).
 */
import { z } from 'zod';
import { SignedPayloadBase } from './signed.js';
import { IsoDateTime } from './time.js';
import { UplinkMeta } from './uplink-meta.js';

export const COMMAND_MAX_LIFETIME_MS = 24 * 3_600_000;

export const CommandName = z.string().max(64).regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/, 'dotted lower-case name such as screen.snapshot');

export const CommandPayload = SignedPayloadBase.extend({
  type: z.literal('cmd'),
  name: CommandName,
  args: z.record(z.string(), z.unknown()).default({}),
  /** Required: a command nobody waits for any more must not run (Xibo's createdDt + ttl). */
  expiresAt: IsoDateTime,
  /** When present, must be this pole's id (the pole checks ids inside the payload, not only the topic). */
  poleId: z.string().max(32).optional(),
}).refine((c) => Date.parse(c.expiresAt) > Date.parse(c.issuedAt) && Date.parse(c.expiresAt) - Date.parse(c.issuedAt) <= COMMAND_MAX_LIFETIME_MS, {
  message: 'expiresAt must be after issuedAt and at most 24 h later', path: ['expiresAt'],
});
export type CommandPayload = z.infer<typeof CommandPayload>;

export const CommandError = z.object({
  code: z.string(),
  message: z.string(),
  detail: z.record(z.string(), z.unknown()).optional(),
});

const ResponseBase = z.object({
  type: z.literal('cmdres'),
  poleId: z.string(),
  /** The command's id; the same id is never answered with different content. */
  id: z.string(),
  name: z.string().optional(),
  issuer: z.string().optional(),
  /** When the command finished on the pole. */
  at: IsoDateTime,
  uplink: UplinkMeta.optional(),
});

export const CommandResponse = z.discriminatedUnion('ok', [
  ResponseBase.extend({ ok: z.literal(true), result: z.unknown() }),
  ResponseBase.extend({ ok: z.literal(false), error: CommandError }),
]);
export type CommandResponse = z.infer<typeof CommandResponse>;
