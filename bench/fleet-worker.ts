/** One worker thread of bench/fleet: runs a slice of the pole uplinks and reports when all are connected. */
import { parentPort, workerData } from 'node:worker_threads';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parsePublicKey } from '../protocols/envelope.js';
import { startUplinkPole, type UplinkPole } from './lib/uplink-pole.js';

interface Data { url: string; poleIds: string[]; kid: string; issuer: string; publicKey: string; root: string | null }

const d = workerData as Data;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const key = { kid: d.kid, issuer: d.issuer, key: parsePublicKey(d.publicKey), revoked: false, publicKeyB64: d.publicKey };
const poles: UplinkPole[] = [];

async function main(): Promise<void> {
  for (const [i, poleId] of d.poleIds.entries()) {
    let dataDir = ':memory:';
    if (d.root) { dataDir = join(d.root, poleId); mkdirSync(dataDir); }
    poles.push(startUplinkPole({ poleId, mqttUrl: d.url, dataDir, key, groups: [`district/d${i % 13}`] }));
    if (i % 25 === 24) while (poles.filter((p) => p.session.connected).length < i - 10) await sleep(20);
  }
  while (poles.some((p) => !p.session.connected)) await sleep(50);
  parentPort!.postMessage({ type: 'ready' });
}

parentPort!.on('message', (m: { type: string }) => {
  if (m.type !== 'stop') return;
  void (async () => {
    for (let i = 0; i < poles.length; i += 50) await Promise.all(poles.slice(i, i + 50).map((p) => p.stop()));
    parentPort!.postMessage({ type: 'stopped' });
  })();
});

void main();
