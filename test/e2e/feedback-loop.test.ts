/**
 * The citizens' message loop end to end (docs/feedback.md): the sim on real PTYs (socat) against a
 * real mosquitto. A citizen leaves a message by touch (`POST /api/touch` writes eGalax packets) →
 * the FeedbackRecord on `poles/{id}/feedback`; the department moves it on and answers with
 * `smartpole ops feedback status|reply` → the ticket page shows 受理 → 办理中 → 已回复 and the answer,
 * checked on the page model and, pixel for pixel, on the simulated board; the citizen rates by touch
 * → exactly one FeedbackRatingRecord on MQTT, also after a second tap and a fresh lookup; an answer
 * without its text is refused with a coded receipt (SP_MSG_SCHEMA).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { FeedbackRatingRecord, FeedbackRecord, ReceiptRecord } from '../../protocols/uplink.js';
import type { PageModel, TicketResultPage } from '../../display/page-model.js';
import { join } from 'node:path';
import { loadSigningKey } from '../../ops/keys.js';
import { signForTopic } from '../../ops/sign.js';
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { runCli, startSimProcess, until, type SimProcess } from '../helpers/sim-process.js';
import { screenDriver } from '../helpers/screen-driver.js';

const POLE = 'WH-JA-0001';

describe("citizens' message loop: touch → MQTT → ops reply → ticket page → rating by touch → MQTT once", () => {
  let broker: Mosquitto;
  let sim: SimProcess;
  let watcher: mqtt.MqttClient;
  const uplink: { topic: string; body: Record<string, unknown> }[] = [];
  const { page, boardShows, tapId, leaveMessage } = screenDriver(() => sim);
  const ops = (...args: string[]) => runCli(['ops', ...args, '--data-dir', sim.dataDir], sim.dataDir);
  const result = (m: PageModel): TicketResultPage | null => (m.page === 'ticket-result' ? m : null);
  const ratings = () => uplink.filter((u) => u.body.type === 'rating');
  let ticket = '';

  beforeAll(async () => {
    broker = await startMosquitto();
    sim = await startSimProcess(['--mqtt-url', broker.url]);
    watcher = await mqtt.connectAsync(broker.url);
    await watcher.subscribeAsync([`smartpole/v1/poles/${POLE}/feedback`, `smartpole/v1/poles/${POLE}/receipts`], { qos: 1 });
    watcher.on('message', (topic, p) => uplink.push({ topic, body: JSON.parse(p.toString()) as Record<string, unknown> }));
    await until(async () => {
      const h = await sim.api<Record<string, { status: string }>>('/api/health');
      return h.led?.status === 'ok' && h.touch?.status === 'ok' && h.mqtt?.status === 'ok';
    }, 20_000, 'LED board, touch panel and MQTT ready');
    await boardShows((m) => m.page === 'attract', 'the attract loop');
  });

  afterAll(async () => {
    await watcher?.endAsync();
    expect(await sim?.stop()).toBe(0);
    await broker?.stop();
  });

  it('a message left by touch reaches MQTT with its ticket', async () => {
    await tapId('wake', (m) => m.page === 'home', 'home');
    ticket = await leaveMessage();
    const rec = await until(() => uplink.find((u) => u.body.type === 'feedback'), 10_000, 'the message on MQTT');
    expect(FeedbackRecord.parse(rec.body)).toMatchObject({ ticket, problem: 'lamp-out', poleId: POLE });
  });

  it('status updates and the answer sent by ops show on the ticket page, then the citizen rates once', async () => {
    // The citizen looks the ticket up while the city has not answered yet.
    await tapId('nav:home', (m) => m.page === 'home', 'home');
    await tapId('tile:feedback', (m) => m.page === 'feedback', 'the message board');
    await tapId('lookup', (m) => m.page === 'ticket-lookup', 'the keypad');
    for (const [i, d] of [...ticket].entries()) await tapId(`key:${d}`, (m) => m.page === 'ticket-lookup' && m.input.length === i + 1, `digit ${i + 1}`);
    const waiting = await tapId('key:submit', (m) => m.page === 'ticket-result', 'the ticket page');
    expect(result(waiting)).toMatchObject({ found: true, steps: null, rating: null });

    // 受理 → 办理中 → 已回复, each confirmed by the pole's receipt, each on the page (and the board) while it is open.
    let r = ops('feedback', 'status', POLE, ticket, '--status', 'received');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/accepted/);
    await boardShows((m) => result(m)?.status === '已受理', 'status 已受理');
    r = ops('feedback', 'status', POLE, ticket, '--status', 'in-progress', '--department', '江岸区城管局', '--department-en', "Jiang'an City Management");
    expect(r.code, r.out).toBe(0);
    const busy = await boardShows((m) => result(m)?.status === '办理中', 'status 办理中');
    expect(result(busy)).toMatchObject({ department: '江岸区城管局', rating: null });
    expect(result(busy)!.steps!.map((s) => s.reached)).toEqual([true, true, false]);
    r = ops('feedback', 'reply', POLE, ticket, '--text', '您好，澳门路该路灯已修复，感谢您的反馈！', '--text-en', 'The lamp on Aomen Road is repaired. Thank you!');
    expect(r.code, r.out).toBe(0);
    const answered = result(await boardShows((m) => result(m)?.status === '已回复', 'the answer'))!;
    expect(answered).toMatchObject({ reply: '您好，澳门路该路灯已修复，感谢您的反馈！', department: '江岸区城管局', rating: { chosen: null } });
    expect(answered.steps!.every((s) => s.reached)).toBe(true);
    const receipts = uplink.filter((u) => u.body.type === 'receipt' && u.body.kind === 'reply').map((u) => ReceiptRecord.parse(u.body));
    expect(receipts.map((x) => x.status)).toEqual(['accepted', 'accepted', 'accepted']);

    // The same answer in English.
    await tapId('nav:lang', (m) => result(m)?.reply === 'The lamp on Aomen Road is repaired. Thank you!', 'the answer in English');
    await tapId('nav:lang', (m) => result(m)?.lang === 'zh', 'back in Chinese');

    // The rating by touch: stored, shown, sent once.
    const rated = result(await tapId('rate:satisfied', (m) => result(m)?.rating?.chosen === 'satisfied', 'the rating'))!;
    expect(rated.rating!.prompt).toBe('感谢您的评价：满意');
    expect(rated.hits.some((h) => h.id.startsWith('rate:'))).toBe(false);
    const sent = await until(() => (ratings().length ? ratings() : null), 10_000, 'the rating on MQTT');
    expect(FeedbackRatingRecord.parse(sent[0]!.body)).toMatchObject({ ticket, rating: 'satisfied', poleId: POLE, reply: { status: 'replied' } });
    expect(sent[0]!.topic).toBe(`smartpole/v1/poles/${POLE}/feedback`);
  });

  it('a second tap where the buttons were, and a fresh lookup, send nothing more', async () => {
    const m = await page();
    const where = result(m)!;
    // Tap the spot of 不满意: no hit region there any more.
    const h = { x: 400, y: 640 };
    await sim.api('/api/touch', { method: 'POST', body: JSON.stringify({ ...h, action: 'tap' }), headers: { 'content-type': 'application/json' } });
    // Let that contact end before the next tap: two taps sent back to back can merge into one contact on the panel.
    await new Promise((res) => setTimeout(res, 500));
    expect(result(await page())?.rating?.chosen).toBe('satisfied');
    await tapId('nav:back', (x) => x.page === 'ticket-lookup', 'the keypad again');
    const again = await tapId('key:submit', (x) => result(x)?.rating?.chosen === 'satisfied', 'the rated ticket');
    expect(result(again)!.ticketDisplay).toBe(where.ticketDisplay);
    // Give a duplicate every chance to arrive before counting.
    await new Promise((res) => setTimeout(res, 1500));
    expect(ratings()).toHaveLength(1);
  });

  it('refuses an answer without its text with a coded receipt, and the ticket page keeps the answer it had', async () => {
    const key = loadSigningKey(join(sim.dataDir, 'keys', 'dev-ops.key.json'));
    const topic = `smartpole/v1/poles/${POLE}/replies/${ticket}`;
    const version = Date.now();
    // Signed and addressed correctly, but "replied" without `reply`: the pole's schema refuses it.
    const bad = signForTopic({ type: 'reply', id: ticket, audience: `pole:${POLE}`, version, issuedAt: new Date(version).toISOString(), status: 'replied' }, key, 'smartpole/v1', topic);
    const client = await mqtt.connectAsync(broker.url);
    await client.publishAsync(topic, JSON.stringify(bad), { qos: 1, retain: true });
    await client.endAsync();
    const refused = await until(() => uplink.map((u) => u.body).find((b) => b.type === 'receipt' && b.kind === 'reply' && b.version === version), 10_000, 'the refusal receipt');
    expect(ReceiptRecord.parse(refused)).toMatchObject({ status: 'rejected', code: 'SP_MSG_SCHEMA', id: ticket });
    expect(result(await page())).toMatchObject({ status: '已回复', reply: '您好，澳门路该路灯已修复，感谢您的反馈！', rating: { chosen: 'satisfied' } });
  });
});
