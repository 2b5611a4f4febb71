/**
 * `smartpole ops serve` (the built command, its own process) against the three-node NATS cluster
 * (Debian's nats-server, JetStream, MQTT gateway; docs/fleet.md) instead of mosquitto: NATS MQTT
 * has no QoS 2 and keeps retained messages and persistent sessions in JetStream. Two light poles
 * (the runtime's uplink stack; bench/lib/uplink-pole.ts) on nodes 1 and 2, the console on node 3:
 * both poles appear online with their location; a notice to all sent through the console's HTTP
 * API fills the delivery board with both receipts; node 3 is killed (SIGKILL), the console goes to
 * another node of its --mqtt-url list and a second notice's board fills too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey, saveSigningKey } from '../../ops/keys.js';
import { parsePublicKey } from '../../protocols/envelope.js';
import { startNatsCluster, type NatsCluster } from '../../bench/lib/nats-cluster.js';
import { startUplinkPole, type UplinkPole } from '../../bench/lib/uplink-pole.js';
import { ConsoleClient, startOpsServeProcess, type BoardCounts, type OpsServeProcess } from '../../bench/lib/ops-console.js';
import { requireBuild, until } from '../helpers/sim-process.js';
import { requireTool } from '../helpers/tools.js';

const ADMIN_PW = 'admin password 2026';
const A = 'WH-NC-0001';
const B = 'WH-NC-0002';
const LOC: Record<string, { lat: number; lon: number }> = { [A]: { lat: 30.5801, lon: 114.2734 }, [B]: { lat: 30.5443, lon: 114.3161 } };

interface FleetRow { poleId: string; liveness: string; lat: number | null; lon: number | null; broker: string | null }

describe('ops console on the three-node NATS cluster', () => {
  let cluster: NatsCluster;
  let serve: OpsServeProcess | undefined;
  const poles: UplinkPole[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'sp-ops-nats-'));
  let a: ConsoleClient;

  const board = (id: string) => a.json<{ counts: BoardCounts; poles: { poleId: string; status: string }[] }>(`/api/notices/${encodeURIComponent(id)}/board`);
  const bothAccepted = async (id: string, what: string) => {
    await until(async () => (await board(id)).counts.accepted === 2, 20_000, () => `${what}: both receipts on the board\n${serve?.output().slice(-2000) ?? ''}`);
    const b = await board(id);
    expect(b.counts).toMatchObject({ accepted: 2, pending: 0, refused: 0, total: 2 });
    expect(b.poles.map((p) => p.poleId).sort()).toEqual([A, B]);
  };

  beforeAll(async () => {
    requireTool('nats-server');
    requireBuild();
    cluster = await startNatsCluster();
    const [n1, n2, n3] = cluster.urls as [string, string, string];
    const key = generateSigningKey('city-ops', 'ops-console-nats');
    saveSigningKey(join(dir, 'ops.key.json'), key);
    const trusted = { kid: key.kid, issuer: key.issuer, key: parsePublicKey(key.publicKey), revoked: false, publicKeyB64: key.publicKey };
    // The tested cluster config of the poles (docs/fleet.md): QoS 0 subscriptions, heartbeats every second.
    const common = { dataDir: ':memory:', key: trusted, heartbeatSec: 1, subscribeQos: 0 as const, ackTimeoutMs: 8000 };
    poles.push(startUplinkPole({ ...common, poleId: A, mqttUrl: [n1, n2, n3].join(','), groups: ['district/hankou'], location: LOC[A]! }));
    poles.push(startUplinkPole({ ...common, poleId: B, mqttUrl: [n2, n3, n1].join(','), groups: ['district/wuchang'], location: LOC[B]! }));
    await until(() => poles.every((p) => p.session.connected), 20_000, 'both poles connected');
    // The console on node 3 first; nodes 1 and 2 are where it fails over to. Records at QoS 0, the
    // setting for NATS (docs/ops-console.md §MQTT): a QoS 1 subscription is an R1 JetStream consumer
    // that dies with node 3 and leaves the restored session deaf on the node it fails over to.
    serve = await startOpsServeProcess({ mqttUrl: [n3, n1, n2].join(','), keyFile: join(dir, 'ops.key.json'), dir, adminPassword: ADMIN_PW, extraArgs: ['--subscribe-qos', '0'] });
    a = new ConsoleClient(serve.url);
    expect(await a.login('admin', ADMIN_PW)).toBe(303);
  }, 60_000);

  afterAll(async () => {
    await serve?.stop();
    await Promise.all(poles.map((p) => p.stop()));
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('shows both poles online with their location', async () => {
    const rows = await until(async () => {
      const r = await a.json<FleetRow[]>('/api/fleet');
      return r.length === 2 && r.every((x) => x.liveness === 'online') ? r : null;
    }, 15_000, () => `both poles online in the console\n${serve?.output().slice(-2000) ?? ''}`);
    for (const id of [A, B]) {
      const r = rows.find((x) => x.poleId === id)!;
      expect(r.lat).toBeCloseTo(LOC[id]!.lat, 4);
      expect(r.lon).toBeCloseTo(LOC[id]!.lon, 4);
    }
    expect(rows.find((x) => x.poleId === A)!.broker).toBe(cluster.urls[0]);
    expect(rows.find((x) => x.poleId === B)!.broker).toBe(cluster.urls[1]);
    expect(await a.json<{ mqtt: string; broker: string }>('/api/status')).toMatchObject({ mqtt: 'connected', broker: cluster.urls[2] });
  }, 20_000);

  it('a notice to all reaches both poles: their receipts fill the delivery board', async () => {
    const id = await a.sendNotice({ title_zh: '集群通知', body_zh: '经 NATS 集群发送。', audience: 'all', priority: 'normal', duration: '10' });
    await bothAccepted(id, 'first notice');
    for (const p of poles) expect(p.notices.get('city-ops', id)).toBeTruthy();
  }, 30_000);

  it('the console\'s node dies (SIGKILL): it reconnects to another node and a second notice\'s board fills', async () => {
    const t0 = Date.now();
    await cluster.kill(2);
    await until(async () => {
      const s = await a.json<{ mqtt: string; broker: string | null }>('/api/status');
      return s.mqtt === 'connected' && s.broker !== cluster.urls[2] ? s : null;
      // Survivors may refuse connections and subscriptions for 13–50 s while JetStream re-elects (docs/fleet.md §Failover).
    }, 60_000, () => `console reconnected to another node\n${serve?.output().slice(-2000) ?? ''}`);
    console.log(`ops console on NATS: reconnected ${Date.now() - t0} ms after kill -9 of its node`);
    // While JetStream re-elects leaders after the loss, a send may be refused (no PUBACK): send again, as an operator would.
    const id = await until(async () => { try { return await a.sendNotice({ title_zh: '节点故障后', body_zh: '控制台已切换节点。', audience: 'all', priority: 'normal', duration: '10' }); } catch { return null; } }, 20_000, 'second notice sent');
    await bothAccepted(id, 'second notice');
    for (const p of poles) expect(p.notices.get('city-ops', id)).toBeTruthy();
  }, 120_000);
});
