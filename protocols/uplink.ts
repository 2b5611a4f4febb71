/**
 * What the pole publishes (pole → city), as zod schemas: docs/mqtt-api.md is checked against
 * them, ops and tests parse with them. Every record that goes through the durable outbox carries
 * `uplink` (protocols/uplink-meta.ts); the retained state on `poles/{id}/state` does not.
 */
import { z } from 'zod';
import { UpdateBirth } from './update.js';
import { IsoDateTime } from './time.js';
import { UplinkMeta } from './uplink-meta.js';
import { FEEDBACK_RATINGS } from './feedback.js';
import { ReplyStatus } from './dataset.js';

export { UplinkMeta } from './uplink-meta.js';

export const ReceiptStatus = z.enum(['accepted', 'rejected', 'ignored', 'displayed', 'expired', 'withdrawn']);
export type ReceiptStatus = z.infer<typeof ReceiptStatus>;

const RecordBase = z.object({
  poleId: z.string(),
  /** When the pole made the record, ISO 8601 in the pole's time zone. */
  at: IsoDateTime,
  uplink: UplinkMeta.optional(),
});

export const ReceiptRecord = RecordBase.extend({
  type: z.literal('receipt'),
  /** What the receipt is about: notice (incl. CAP alerts), dataset, reply. */
  kind: z.enum(['notice', 'dataset', 'reply']),
  id: z.string(),
  issuer: z.string().optional(),
  version: z.number().int().optional(),
  status: ReceiptStatus,
  /** Error code (docs/errors.md) for rejected and ignored. */
  code: z.string().optional(),
  reason: z.string().optional(),
  /** For CAP alerts: which alert the receipt is about. */
  cap: z.object({ sender: z.string(), identifier: z.string(), msgType: z.string() }).optional(),
});
export type ReceiptRecord = z.infer<typeof ReceiptRecord>;

export const ProofOfPlayItem = z.object({
  id: z.string(),
  issuer: z.string(),
  version: z.number().int(),
  /** Times the notice came on screen in this hour. */
  plays: z.number().int().nonnegative(),
  /** Seconds it was on screen in this hour (plays crossing the hour are split). */
  seconds: z.number().nonnegative(),
});

export const ProofOfPlayRecord = RecordBase.extend({
  type: z.literal('proofOfPlay'),
  /** The hour [from, to) in the pole's time zone; sent once the hour has closed. */
  from: IsoDateTime,
  to: IsoDateTime,
  items: z.array(ProofOfPlayItem).max(50),
});
export type ProofOfPlayRecord = z.infer<typeof ProofOfPlayRecord>;

export const EventSeverity = z.enum(['info', 'warning', 'alarm', 'security']);

export const EventRecord = RecordBase.extend({
  type: z.literal('event'),
  /** An error code (SP_…, docs/errors.md) or an event name such as modem.state. */
  code: z.string(),
  severity: EventSeverity,
  message: z.string(),
}).catchall(z.unknown());
export type EventRecord = z.infer<typeof EventRecord>;

export const TelemetryRecord = RecordBase.extend({
  type: z.literal('telemetry'),
  /** What is measured: uplink, modem, meter, lamp, … (each area documents its values). */
  kind: z.string(),
  values: z.record(z.string(), z.unknown()),
});
export type TelemetryRecord = z.infer<typeof TelemetryRecord>;

/** A citizen's message (城市留言板) as it goes to the city; the screen UI creates them. */
const FeedbackText = z.object({ zh: z.string(), en: z.string().optional() });

/** A citizen's message from the screen's 城市留言板 (docs/screen.md §Messages to the city). */
export const FeedbackRecord = RecordBase.extend({
  type: z.literal('feedback'),
  /** 9 digits, Luhn-checked (protocols/feedback.ts); unique per pole. */
  ticket: z.string().regex(/^\d{9}$/),
  category: z.string(),
  problem: z.string(),
  /** The names the citizen saw when choosing. */
  categoryName: FeedbackText,
  problemName: FeedbackText,
  /** Free text (not offered on the public screen today; kept for other channels). */
  text: z.string().optional(),
  /** Filled from the pole's configured location. */
  location: z.object({ address: z.string(), lat: z.number(), lon: z.number(), areaCode: z.string().optional() }),
  createdAt: IsoDateTime,
  /** The language the citizen used on screen. */
  lang: z.enum(['zh', 'en']),
});
export type FeedbackRecord = z.infer<typeof FeedbackRecord>;

/**
 * The citizen's rating of the answer to their message, on the same topic as the message
 * (docs/feedback.md §Rating). At most one per ticket: the pole stores it and its outbox record in one
 * transaction and refuses a second, so the city counts it once (deduplicate redeliveries by
 * `poleId` + `ticket`).
 */
export const FeedbackRatingRecord = RecordBase.extend({
  type: z.literal('rating'),
  /** The ticket rated: 9 digits, Luhn-checked (protocols/feedback.ts). */
  ticket: z.string().regex(/^\d{9}$/),
  /** 满意 / 基本满意 / 不满意. */
  rating: z.enum(FEEDBACK_RATINGS),
  /** The answer the citizen read when rating: its issuer, version and status. */
  reply: z.object({ issuer: z.string(), version: z.number().int(), status: ReplyStatus }),
  ratedAt: IsoDateTime,
  /** The language the citizen used on screen. */
  lang: z.enum(['zh', 'en']),
});
export type FeedbackRatingRecord = z.infer<typeof FeedbackRatingRecord>;

/** Anything on `poles/{id}/feedback`: a citizen's message or a rating (consumers parse with this). */
export const FeedbackUplink = z.discriminatedUnion('type', [FeedbackRecord, FeedbackRatingRecord]);
export type FeedbackUplink = z.infer<typeof FeedbackUplink>;

/** A technician console audit record (docs/console.md §Audit). */
export const AuditRecord = RecordBase.extend({
  type: z.literal('audit'),
  source: z.string(),
  action: z.enum(['login', 'logout', 'command']),
  session: z.string(),
  level: z.enum(['guest', 'tech']),
  port: z.string().optional(),
  command: z.string().optional(),
  ok: z.boolean().optional(),
  code: z.string().optional(),
  durationMs: z.number().optional(),
  reason: z.string().optional(),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

export const HealthEntry = z.object({
  status: z.enum(['ok', 'degraded', 'down', 'absent']),
  detail: z.string().optional(),
}).catchall(z.unknown());

/** The retained birth on `poles/{id}/state` (Sparkplug-style, docs/background.md §MQTT practices). */
export const StateBirth = z.object({
  online: z.literal(true),
  /** Rises by one per MQTT CONNECT, persisted; the will carries the same value. */
  bdSeq: z.number().int().nonnegative(),
  poleId: z.string(),
  timestamp: IsoDateTime,
  software: z.string(),
  startedAt: IsoDateTime,
  uptimeSec: z.number().int().nonnegative(),
  groups: z.array(z.string()),
  /** Where the pole stands (config pole.location): the ops console's map and CAP area checks. */
  location: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180), address: z.string().optional(), areaCode: z.string().optional() }).optional(),
  devices: z.record(z.string(), HealthEntry),
  /** The outbox: records waiting, bytes, dropped since start, and the uplink stream id. */
  outbox: z.object({ depth: z.number().int(), bytes: z.number().int(), dropped: z.number().int(), stream: z.string() }),
  /** The fleet trust list in force (docs/security.md §Trust list): its version (null: only config keys) and expiry. */
  trust: z.object({ listVersion: z.number().int().nullable(), expiresAt: IsoDateTime.nullable(), expired: z.boolean() }).optional(),
  /** The broker (cluster node) this connection went to, password removed (docs/fleet.md). */
  broker: z.string().optional(),
  /** Seconds between heartbeats (0: none); ops marks the pole stale after a multiple of it. */
  heartbeatSec: z.number().int().nonnegative().optional(),
  /** Which release runs, which is kept for a rollback, what an update is doing (docs/updates.md §Reports). */
  update: UpdateBirth.optional(),
});
export type StateBirth = z.infer<typeof StateBirth>;

/** The retained liveness beat on `poles/{id}/heartbeat` (docs/fleet.md §Liveness). */
export const Heartbeat = z.object({
  poleId: z.string(),
  /** The current connection's bdSeq (the birth's). */
  bdSeq: z.number().int().nonnegative(),
  at: IsoDateTime,
  intervalSec: z.number().int().positive(),
  broker: z.string(),
});
export type Heartbeat = z.infer<typeof Heartbeat>;

/** The will (and the orderly-shutdown message) on `poles/{id}/state`. */
export const StateDeath = z.object({
  online: z.literal(false),
  bdSeq: z.number().int().nonnegative(),
  poleId: z.string(),
  reason: z.string(),
});
export type StateDeath = z.infer<typeof StateDeath>;

export const PoleState = z.union([StateBirth, StateDeath]);
