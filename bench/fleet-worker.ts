/**
 * One worker thread of bench/fleet: runs a slice of the pole uplinks (the runtime's MqttSession,
 * gate, intake, outbox and publisher), reports when all are connected, and answers status
 * queries: which broker each pole is on, when it last connected, its outbox depth; on request a
 * pole leaves a citizen's message (the record the screen's message form makes: bench/ops-alerts-inbox.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { parsePublicKey } from '../protocols/envelope.js';
import { randomTicket } from '../protocols/feedback.js';
import { gridLocation, startUplinkPole, type UplinkPole } from './lib/uplink-pole.js';

export interface FleetWorkerData {
  url: string; poleIds: string[]; kid: string; issuer: string; publicKey: string; root: string | null;
  /** Cluster runs: each pole its own order of the nodes, QoS 0 subscriptions (docs/fleet.md). */
  cluster: boolean;
}

/** Per pole, what the main thread asks for after a node dies. */
export interface PoleStatus { poleId: string; connected: boolean; broker: string; connects: number[]; outbox: number }

const d = workerData as FleetWorkerData;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const key = { kid: d.kid, issuer: d.issuer, key: parsePublicKey(d.publicKey), revoked: false, publicKeyB64: d.publicKey };
const poles: UplinkPole[] = [];
const connects = new Map<string, number[]>();

async function main(): Promise<void> {
  for (const [i, poleId] of d.poleIds.entries()) {
    let dataDir = ':memory:';
    if (d.root) { dataDir = join(d.root, poleId); mkdirSync(dataDir); }
    const p = startUplinkPole({
      poleId, mqttUrl: d.url, dataDir, key, groups: [`district/d${i % 13}`], location: gridLocation(poleId),
      ...(d.cluster ? { urlOrder: 'shuffled' as const, subscribeQos: 0 as const, heartbeatSec: 30 } : {}),
    });
    connects.set(poleId, []);
    p.session.on('connected', () => connects.get(poleId)!.push(Date.now()));
    poles.push(p);
    if (i % 25 === 24) while (poles.filter((q) => q.session.connected).length < i - 10) await sleep(20);
  }
  while (poles.some((p) => !p.session.connected)) await sleep(50);
  parentPort!.postMessage({ type: 'ready' });
}

parentPort!.on('message', (m: { type: string }) => {
  if (m.type === 'status') {
    const status: PoleStatus[] = poles.map((p) => ({ poleId: p.poleId, connected: p.session.connected, broker: p.session.broker.url, connects: connects.get(p.poleId)!, outbox: p.outbox.depth() }));
    parentPort!.postMessage({ type: 'status', status });
    return;
  }
  if (m.type === 'feedback') {
    // What FeedbackService.submit hands the reporter (runtime/feedback/feedback-service.ts), from one pole.
    const { poleId } = m as unknown as { poleId: string };
    const p = poles.find((q) => q.poleId === poleId);
    if (!p) return;
    const ticket = randomTicket((max) => randomInt(max));
    const at = Date.now();
    p.reporter.feedback({
      ticket, category: 'lighting', problem: 'lamp-out', categoryName: { zh: '路灯照明', en: 'Street lighting' }, problemName: { zh: '路灯不亮', en: 'Lamp out' },
      location: { address: '武汉市江岸区澳门路', lat: 30.6, lon: 114.3, areaCode: '420102' }, createdAt: at, lang: 'zh',
    });
    parentPort!.postMessage({ type: 'feedback-sent', poleId, ticket, at });
    return;
  }
  if (m.type !== 'stop') return;
  void (async () => {
    for (let i = 0; i < poles.length; i += 50) await Promise.all(poles.slice(i, i + 50).map((p) => p.stop()));
    parentPort!.postMessage({ type: 'stopped' });
  })();
});

void main();
