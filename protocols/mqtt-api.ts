/**
 * The MQTT API as data: every topic with its direction, QoS, retain flag and payload schemas,
 * and the zod schemas by name. docs/mqtt-api.md is generated from / checked against this
 * (test/mqtt-api-doc.test.ts fails when they drift; `UPDATE_DOCS=1` rewrites the generated parts).
 */
import { z } from 'zod';
import { EnvelopeSchema } from './envelope.js';
import { NoticePayload, NoticeWithdrawPayload } from './notice.js';
import { CapPayload } from './cap.js';
import { CommandPayload, CommandResponse } from './command.js';
import { DataSetPayload, ReplyPayload } from './dataset.js';
import { TrustListPayload } from './trust-list.js';
import { UpdateManifest } from './update.js';
import {
  AuditRecord, EventRecord, FeedbackRatingRecord, FeedbackRecord, Heartbeat, ProofOfPlayRecord, ReceiptRecord, StateBirth, StateDeath, TelemetryRecord, UplinkMeta,
} from './uplink.js';

export const MQTT_SCHEMAS = {
  SignedEnvelope: EnvelopeSchema,
  NoticePayload,
  NoticeWithdrawPayload,
  CapPayload,
  CommandPayload,
  DataSetPayload,
  ReplyPayload,
  TrustListPayload,
  UpdateManifest,
  StateBirth,
  StateDeath,
  Heartbeat,
  ReceiptRecord,
  ProofOfPlayRecord,
  EventRecord,
  TelemetryRecord,
  CommandResponse,
  FeedbackRecord,
  FeedbackRatingRecord,
  AuditRecord,
  UplinkMeta,
} as const satisfies Record<string, z.ZodType>;
export type MqttSchemaName = keyof typeof MQTT_SCHEMAS;

export interface TopicSpec {
  /** Below the prefix (default smartpole/v1). */
  topic: string;
  direction: 'city → pole' | 'pole → city';
  qos: 0 | 1;
  retain: boolean;
  /** Signed payloads name what is inside the envelope. */
  signed: boolean;
  schemas: MqttSchemaName[];
  what: string;
}

export const MQTT_TOPICS: TopicSpec[] = [
  { topic: 'notices/all/{noticeId}', direction: 'city → pole', qos: 1, retain: true, signed: true, schemas: ['NoticePayload', 'NoticeWithdrawPayload', 'CapPayload'], what: 'a notice, its withdrawal or a CAP alert for every pole' },
  { topic: 'notices/group/{group…}/{noticeId}', direction: 'city → pole', qos: 1, retain: true, signed: true, schemas: ['NoticePayload', 'NoticeWithdrawPayload', 'CapPayload'], what: 'the same for a group (district/jiangan, street/aomen-rd)' },
  { topic: 'notices/pole/{poleId}/{noticeId}', direction: 'city → pole', qos: 1, retain: true, signed: true, schemas: ['NoticePayload', 'NoticeWithdrawPayload', 'CapPayload'], what: 'the same for one pole' },
  { topic: 'poles/{poleId}/cmd', direction: 'city → pole', qos: 1, retain: false, signed: true, schemas: ['CommandPayload'], what: 'a command' },
  { topic: 'data/{dataset}', direction: 'city → pole', qos: 1, retain: true, signed: true, schemas: ['DataSetPayload'], what: 'a data set for every pole (services, transit, weather…)' },
  { topic: 'poles/{poleId}/data/{dataset}', direction: 'city → pole', qos: 1, retain: true, signed: true, schemas: ['DataSetPayload'], what: "this pole's own version of a data set (wins over the shared one)" },
  { topic: 'poles/{poleId}/replies/{ticket}', direction: 'city → pole', qos: 1, retain: true, signed: true, schemas: ['ReplyPayload'], what: "the city's answer to a citizen's message" },
  { topic: 'trust/list', direction: 'city → pole', qos: 1, retain: true, signed: true, schemas: ['TrustListPayload'], what: 'the fleet trust list, signed by the root key (docs/security.md)' },
  { topic: 'updates/all/manifest', direction: 'city → pole', qos: 1, retain: true, signed: true, schemas: ['UpdateManifest'], what: 'a software update for every pole (key with the update power; docs/updates.md)' },
  { topic: 'updates/group/{group…}/manifest', direction: 'city → pole', qos: 1, retain: true, signed: true, schemas: ['UpdateManifest'], what: 'the same for a group' },
  { topic: 'updates/pole/{poleId}/manifest', direction: 'city → pole', qos: 1, retain: true, signed: true, schemas: ['UpdateManifest'], what: 'the same for one pole' },
  { topic: 'updates/chunk/{sha16}/{index}', direction: 'city → pole', qos: 1, retain: true, signed: false, schemas: [], what: "raw bytes of one chunk of a package (first 16 hex of its SHA-256); checked against the signed manifest's chunk hashes; the pole subscribes to the chunks it lacks" },
  { topic: 'poles/{poleId}/state', direction: 'pole → city', qos: 1, retain: true, signed: false, schemas: ['StateBirth', 'StateDeath'], what: 'birth (online) and will / shutdown (offline), with bdSeq' },
  { topic: 'poles/{poleId}/heartbeat', direction: 'pole → city', qos: 0, retain: true, signed: false, schemas: ['Heartbeat'], what: 'liveness every mqtt.heartbeatSec while connected (a dead cluster node publishes no will; docs/fleet.md)' },
  { topic: 'poles/{poleId}/receipts', direction: 'pole → city', qos: 1, retain: false, signed: false, schemas: ['ReceiptRecord', 'ProofOfPlayRecord'], what: 'what happened to each message; hourly proof of play' },
  { topic: 'poles/{poleId}/cmd/res', direction: 'pole → city', qos: 1, retain: false, signed: false, schemas: ['CommandResponse'], what: 'the one response to each command id' },
  { topic: 'poles/{poleId}/events', direction: 'pole → city', qos: 1, retain: false, signed: false, schemas: ['EventRecord'], what: 'alarms, security events, refusals (rate-limited per code)' },
  { topic: 'poles/{poleId}/telemetry', direction: 'pole → city', qos: 1, retain: false, signed: false, schemas: ['TelemetryRecord'], what: 'measurements (uplink, modem, meter, lamp…)' },
  { topic: 'poles/{poleId}/feedback', direction: 'pole → city', qos: 1, retain: false, signed: false, schemas: ['FeedbackRecord', 'FeedbackRatingRecord'], what: "citizens' messages and their ratings of the answers (never dropped)" },
  { topic: 'poles/{poleId}/audit', direction: 'pole → city', qos: 1, retain: false, signed: false, schemas: ['AuditRecord'], what: 'technician console logins, logouts and commands (docs/console.md)' },
];

/** The JSON Schema (draft 2020-12) of a named schema, as the doc shows it. */
export function jsonSchemaText(name: MqttSchemaName): string {
  return JSON.stringify(z.toJSONSchema(MQTT_SCHEMAS[name], { io: 'input', unrepresentable: 'any' }), null, 2);
}

export function topicTable(): string {
  const rows = MQTT_TOPICS.map((t) => `| \`${t.topic}\` | ${t.direction} | ${t.qos} | ${t.retain ? 'yes' : 'no'} | ${t.signed ? 'signed envelope: ' : ''}${t.schemas.map((s) => `[${s}](#${s.toLowerCase()})`).join(', ')} | ${t.what} |`);
  return ['| topic | direction | QoS | retain | payload | what |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

const SCHEMA_BLOCK = /<!-- schema:(\w+) -->\n```json\n[\s\S]*?```\n<!-- \/schema -->/g;
const TOPICS_BLOCK = /<!-- topics -->\n[\s\S]*?\n<!-- \/topics -->/;

/** Rewrites the generated parts of docs/mqtt-api.md (topic table, schema blocks). */
export function syncMqttApiDoc(doc: string): string {
  return doc
    .replace(TOPICS_BLOCK, `<!-- topics -->\n${topicTable()}\n<!-- /topics -->`)
    .replace(SCHEMA_BLOCK, (_m, name: string) => {
      if (!(name in MQTT_SCHEMAS)) return `<!-- schema:${name} -->\n\`\`\`json\n"unknown schema ${name}"\n\`\`\`\n<!-- /schema -->`;
      return `<!-- schema:${name} -->\n\`\`\`json\n${jsonSchemaText(name as MqttSchemaName)}\n\`\`\`\n<!-- /schema -->`;
    });
}

/** Names of the schema blocks a doc contains. */
export function schemaBlocks(doc: string): string[] {
  return [...doc.matchAll(/<!-- schema:(\w+) -->/g)].map((m) => m[1]!);
}

/** `<!-- example:Name -->` followed by a ```json block: every example and the schema it must satisfy. */
export function examples(doc: string): { name: string; json: string }[] {
  return [...doc.matchAll(/<!-- example:(\w+) -->\n```json\n([\s\S]*?)\n```/g)].map((m) => ({ name: m[1]!, json: m[2]! }));
}
