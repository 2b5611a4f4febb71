/**
 * The lossless uplink (docs/mqtt-api.md §Uplink, tests): telemetry and citizens' messages keep flowing
 * into the outbox while mosquitto is stopped for 30 s and restarted; afterwards every record has
 * arrived once (after dropping duplicates by `uplink.seq`, as docs/mqtt-api.md tells receivers to) and
 * in order, with no gap.
 *
 * The outage is the real 30 s (SMARTPOLE_OUTAGE_SEC overrides it for quick local runs). The pole's
 * reconnect backoff is capped at 2 s here (mqtt.reconnect.maxSec) so it comes back soon after the
 * broker does; the default cap of 2 min is unit-tested in protocols/backoff.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { freePort, startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { startTestPole, testKey } from '../helpers/pole.js';
import { until } from '../helpers/sim-process.js';
import type { Pole } from '../../runtime/pole.js';
import { makeTicket } from '../../protocols/feedback.js';

const OUTAGE_SEC = Number(process.env.SMARTPOLE_OUTAGE_SEC ?? 30);
const P = 'smartpole/v1/poles/WH-JA-0001';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Rec { topic: string; type: string; uplink: { stream: string; seq: number }; values?: { n: number }; ticket?: string }

describe(`broker outage of ${OUTAGE_SEC} s while telemetry and citizens' messages flow`, () => {
  let broker: Mosquitto;
  let watcher: mqtt.MqttClient;
  let pole: Pole;

  afterAll(async () => {
    await pole?.stop();
    await watcher?.endAsync(true);
    await broker?.stop();
  });

  it('delivers every record once, in order, after dropping duplicates by uplink.seq', async () => {
    const port = await freePort();
    const persist = mkdtempSync(join(tmpdir(), 'mosq-persist-'));
    // Persistence keeps the watcher's session (and what is queued for it) across the restart.
    broker = await startMosquitto([
      `listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence true', `persistence_location ${persist}/`,
      'max_queued_messages 100000', 'autosave_interval 1',
      // Started as root, mosquitto would drop to user mosquitto and could not write the test's directory.
      `user ${userInfo().username}`,
    ].join('\n') + '\n', port);
    const raw: Rec[] = [];
    watcher = await mqtt.connectAsync(broker.url, { clientId: 'outage-watcher', clean: false, reconnectPeriod: 300 });
    // Everything the pole sends through its outbox (the birth on /state is not a record and has no seq).
    await watcher.subscribeAsync(`${P}/#`, { qos: 1 });
    watcher.on('message', (topic, p) => {
      if (topic.endsWith('/state')) return;
      raw.push({ topic, ...(JSON.parse(p.toString()) as Omit<Rec, 'topic'>) });
    });

    const { key } = testKey();
    pole = await startTestPole({ mqttUrl: broker.url, key, uplink: { telemetryIntervalSec: 0 } });
    await until(() => pole.services.uplink.mqtt.connected, 10_000, 'pole connected');
    const { reporter } = pole.services.uplink;
    const { feedbackStore: feedback } = pole.services.data;
    let n = 0;
    let tickets = 0;
    const produce = setInterval(() => {
      reporter.telemetry('test', { n: ++n });
      if (n % 10 === 0) {
        const ticket = makeTicket(`26330${String(++tickets).padStart(3, '0')}`);
        const m = {
          ticket, category: 'lighting', problem: 'lamp-out', categoryName: { zh: '路灯' }, problemName: { zh: '路灯不亮' }, text: `第${tickets}条留言`,
          location: { address: '武汉市江岸区澳门路', lat: 30.6043, lon: 114.3012 }, createdAt: Date.now(), lang: 'zh' as const,
        };
        feedback.add({ ticket, category: m.category, problem: m.problem, location: m.location.address, createdAt: m.createdAt }, () => reporter.feedback(m));
      }
    }, 20);

    await sleep(3000);
    await broker.stop();
    const producedBeforeOutage = n;
    await sleep(OUTAGE_SEC * 1000);
    expect(pole.services.uplink.outbox.depth()).toBeGreaterThan(0); // it really waited on disk
    await broker.restart();
    await sleep(3000);
    clearInterval(produce);
    expect(n).toBeGreaterThan(producedBeforeOutage + 100);

    await until(() => pole.services.uplink.outbox.depth() === 0, 60_000, 'outbox drained');
    const lastSeq = pole.services.uplink.outbox.lastSeq();
    await until(() => raw.some((r) => r.uplink.seq === lastSeq), 30_000, `last record (seq ${lastSeq}) at the watcher`);

    // Receiver recipe (docs/mqtt-api.md §Uplink): drop anything not above the highest seq seen.
    let high = 0;
    const once = raw.filter((r) => { if (r.uplink.seq <= high) return false; high = r.uplink.seq; return true; });
    const seqs = once.map((r) => r.uplink.seq);
    const first = seqs[0]!;
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => first + i)); // no gap, in order
    expect(new Set(raw.map((r) => r.uplink.stream)).size).toBe(1);
    const telemetry = once.filter((r) => r.type === 'telemetry').map((r) => r.values!.n);
    expect(telemetry).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    const fb = once.filter((r) => r.type === 'feedback').map((r) => r.ticket);
    expect(fb).toEqual(Array.from({ length: tickets }, (_, i) => makeTicket(`26330${String(i + 1).padStart(3, '0')}`)));
    expect(pole.services.uplink.outbox.stats.dropped).toBe(0);
    console.log(`outage ${OUTAGE_SEC} s: ${n} telemetry + ${tickets} feedback records, ${raw.length - once.length} duplicates dropped by seq, reconnects ${pole.services.uplink.mqtt.stats.connects}`);
  }, (OUTAGE_SEC + 120) * 1000);
});
