/**
 * docs/mqtt-api.md is checked against the code: the topic table and the JSON Schemas are what
 * protocols/mqtt-api.ts generates, every example satisfies its schema, every topic the pole uses
 * is documented, and every error code the page names exists. `UPDATE_DOCS=1` rewrites the
 * generated parts instead of failing (review the diff).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MQTT_SCHEMAS, MQTT_TOPICS, examples, schemaBlocks, syncMqttApiDoc } from '../protocols/mqtt-api.js';
import { poleTopics } from '../protocols/topics.js';
import { TrustErrors } from '../runtime/trust/errors.js';
import { CommandErrors } from '../runtime/commands/errors.js';
import { UplinkErrors } from '../runtime/uplink/errors.js';
import { NoticeErrors } from '../runtime/notices/errors.js';
import { RuntimeErrors } from '../runtime/errors.js';
import { DeviceErrors } from '../device/errors.js';
import { UpdateErrors } from '../runtime/update/errors.js';

const FILE = join(import.meta.dirname, '../docs/mqtt-api.md');

describe('docs/mqtt-api.md', () => {
  const doc = readFileSync(FILE, 'utf8');

  it('has the generated topic table and schemas (UPDATE_DOCS=1 regenerates them)', () => {
    const synced = syncMqttApiDoc(doc);
    if (process.env.UPDATE_DOCS) { writeFileSync(FILE, synced); return; }
    expect(doc === synced, 'docs/mqtt-api.md drifted from protocols/: run UPDATE_DOCS=1 npx vitest run test/mqtt-api-doc.test.ts').toBe(true);
  });

  it('documents every schema exactly once and no unknown one', () => {
    expect(schemaBlocks(doc).sort()).toEqual(Object.keys(MQTT_SCHEMAS).sort());
  });

  it('has examples that satisfy their schemas, for every payload', () => {
    const ex = examples(doc);
    for (const e of ex) {
      const schema = MQTT_SCHEMAS[e.name as keyof typeof MQTT_SCHEMAS];
      expect(schema, `example for unknown schema ${e.name}`).toBeDefined();
      const r = schema.safeParse(JSON.parse(e.json));
      expect(r.success, `${e.name} example: ${r.success ? '' : JSON.stringify(r.error.issues[0])}`).toBe(true);
    }
    const withExamples = new Set(ex.map((e) => e.name));
    expect(Object.keys(MQTT_SCHEMAS).filter((n) => n !== 'UplinkMeta' && !withExamples.has(n))).toEqual([]);
  });

  it('lists every topic the pole subscribes to and publishes on', () => {
    const t = poleTopics('smartpole/v1', 'WH-JA-0001', ['district/jiangan']);
    const asFilter = (pattern: string) => `smartpole/v1/${pattern}`
      .replace('{poleId}', 'WH-JA-0001').replace('{group…}', 'district/jiangan').replace(/\{(noticeId|dataset|ticket)\}/, '+');
    const documentedIn = new Set(MQTT_TOPICS.filter((x) => x.direction === 'city → pole').map((x) => asFilter(x.topic)));
    expect(t.subscriptions.filter((s) => !documentedIn.has(s))).toEqual([]);
    const documentedOut = new Set(MQTT_TOPICS.filter((x) => x.direction === 'pole → city').map((x) => asFilter(x.topic)));
    expect([t.state, t.telemetry, t.events, t.receipts, t.cmdRes, t.feedback, t.audit].filter((x) => !documentedOut.has(x))).toEqual([]);
  });

  it('names only error codes that exist', () => {
    const known = new Set([TrustErrors, CommandErrors, UplinkErrors, NoticeErrors, RuntimeErrors, DeviceErrors, UpdateErrors].flatMap((c) => Object.keys(c)));
    const named = new Set(doc.match(/SP_[A-Z0-9_]+/g));
    expect([...named].filter((c) => !known.has(c))).toEqual([]);
  });
});
