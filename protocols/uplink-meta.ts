/**
 * The record id every pole → city record carries (docs/mqtt-api.md §Uplink): `stream` is fixed for
 * the life of the pole's database, `seq` rises by one per record and is never reused. A receiver
 * drops a record whose pole + stream + seq it has already seen (a window of recent seqs: one seq
 * runs across topics and a broker orders only within a topic): after outages and restarts the
 * pole re-sends what the broker had not acknowledged, so this turns the at-least-once QoS 1
 * uplink into exactly once. A seq never seen is a record the pole dropped under its size bound
 * (reported by SP_OUTBOX_DROPPED).
 */
import { z } from 'zod';

export const UplinkMeta = z.object({
  stream: z.string().regex(/^[0-9a-f]{16}$/),
  seq: z.number().int().positive(),
});
export type UplinkMeta = z.infer<typeof UplinkMeta>;
