/**
 * `smartpole ops serve` (the built command, its own process) against mosquitto and 200 light poles
 * (the runtime's uplink stack: MqttSession, MessageGate with Ed25519, NoticeIntake, Outbox;
 * bench/lib/uplink-pole.ts): the fleet fills in; a notice to all fills the delivery board with every
 * pole's receipt (the time is printed — figures are measured in bench/ops-console.ts, not asserted);
 * groups reach their members only; roles, lockout and same-origin are enforced over real HTTP; the
 * console rides out a broker restart and sends again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey, saveSigningKey } from '../../ops/keys.js';
import { parsePublicKey } from '../../protocols/envelope.js';
import { gridLocation, startUplinkPole, type UplinkPole } from '../../bench/lib/uplink-pole.js';
import { ConsoleClient, startOpsServeProcess, type BoardCounts, type OpsServeProcess } from '../../bench/lib/ops-console.js';
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { requireBuild, until } from '../helpers/sim-process.js';

const N = 200;
const ADMIN_PW = 'admin password 2026';
const EDITOR_PW = 'editor password 2026';

describe(`ops console with ${N} light poles on mosquitto`, () => {
  let broker: Mosquitto;
  let serve: OpsServeProcess;
  const poles: UplinkPole[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'sp-ops-fleet-'));
  const admin = () => new ConsoleClient(serve.url);
  let a: ConsoleClient;

  beforeAll(async () => {
    requireBuild();
    broker = await startMosquitto();
    const key = generateSigningKey('city-ops', 'ops-console-test');
    saveSigningKey(join(dir, 'ops.key.json'), key);
    const trusted = { kid: key.kid, issuer: key.issuer, key: parsePublicKey(key.publicKey), revoked: false, publicKeyB64: key.publicKey };
    for (let i = 0; i < N; i++) {
      const poleId = `WH-OC-${String(i).padStart(4, '0')}`;
      poles.push(startUplinkPole({ poleId, mqttUrl: broker.url, dataDir: ':memory:', key: trusted, groups: [`district/g${i % 4}`], location: gridLocation(poleId) }));
      if (i % 25 === 24) await until(() => poles.filter((p) => p.session.connected).length >= i - 10, 30_000, 'poles connecting');
    }
    await until(() => poles.every((p) => p.session.connected), 60_000, 'all poles connected');
    serve = await startOpsServeProcess({ mqttUrl: broker.url, keyFile: join(dir, 'ops.key.json'), dir, adminPassword: ADMIN_PW });
    a = admin();
    expect(await a.login('admin', ADMIN_PW)).toBe(303);
  }, 180_000);

  afterAll(async () => {
    await serve?.stop();
    for (let i = 0; i < poles.length; i += 50) await Promise.all(poles.slice(i, i + 50).map((p) => p.stop()));
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  const board = (c: ConsoleClient, id: string) => c.json<{ counts: BoardCounts; poles: { poleId: string; status: string }[] }>(`/api/notices/${encodeURIComponent(id)}/board`);

  it('sees every pole (births with coordinates and groups)', async () => {
    await until(async () => (await a.json<unknown[]>('/api/fleet')).length === N, 60_000, `${N} poles in the fleet`);
    const rows = await a.json<{ poleId: string; liveness: string; lat: number; groups: string[] }[]>('/api/fleet?group=district%2Fg1');
    expect(rows).toHaveLength(N / 4);
    expect(rows.every((r) => r.liveness === 'online' && r.lat > 30 && r.groups[0] === 'district/g1')).toBe(true);
    const page = await a.request('/fleet');
    expect(page.text.match(/<a href="\/poles\//g)?.length).toBe(2 * N); // a table row and a map mark per pole
  }, 90_000);

  it('a notice to all: every pole\'s receipt reaches the delivery board', async () => {
    const t0 = Date.now();
    const id = await a.sendNotice({ title_zh: '全市停水通知', body_zh: '12月9日 0:00–6:00 全市管网检修。', audience: 'all', priority: 'normal', duration: '10' });
    const sent = Date.now();
    await until(async () => (await board(a, id)).counts.accepted === N, 60_000, () => `all ${N} receipts`);
    const filled = Date.now();
    console.log(`ops console: notice to ${N} poles — compose→send ${sent - t0} ms (preview, sign, publish), send→board full ${filled - sent} ms`);
    expect((await board(a, id)).counts).toMatchObject({ accepted: N, pending: 0, refused: 0, total: N });
  }, 90_000);

  it('several groups reach each of their poles once; other poles get nothing', async () => {
    const id = await a.sendNotice({ title_zh: '分组通知', body_zh: '只给 g1 和 g2。', audience: 'groups', groups: ['district/g1', 'district/g2'], priority: 'low', duration: '10' });
    await until(async () => (await board(a, id)).counts.accepted === N / 2, 60_000, 'the two groups\' receipts');
    const b = await board(a, id);
    expect(b.counts.total).toBe(N / 2);
    expect(b.poles.every((p) => /^WH-OC-\d+$/.test(p.poleId) && [1, 2].includes(Number(p.poleId.slice(-4)) % 4))).toBe(true);
    const g0 = poles.find((p) => p.poleId.endsWith('0000'))!;
    expect(g0.notices.get('city-ops', id)).toBeUndefined();
  }, 90_000);

  it('roles: an editor cannot manage users or send emergency notices; lockout after failed logins; other origins refused', async () => {
    expect((await a.post('/users', { username: 'wang.editor', displayName: '王编辑', role: 'editor', password: EDITOR_PW })).status).toBe(303);
    const e = new ConsoleClient(serve.url);
    expect(await e.login('wang.editor', EDITOR_PW)).toBe(303);
    expect((await e.request('/users')).status).toBe(403);
    expect((await e.post('/notices/preview', { title_zh: '紧急', body_zh: '紧急', audience: 'all', priority: 'emergency' })).status).toBe(403);
    expect((await e.post('/notices/preview', { title_zh: '普通', body_zh: '普通', audience: 'all' }, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await e.request('/notices/preview', { form: { title_zh: 'x', body_zh: 'x' } })).status).toBe(403); // no CSRF token
    const f = new ConsoleClient(serve.url);
    for (let i = 0; i < 5; i++) expect(await f.login('wang.editor', 'wrong password!')).toBe(i < 4 ? 401 : 429);
    expect(await f.login('wang.editor', EDITOR_PW)).toBe(429);
    const users = await a.request('/users');
    const uid = /action="\/users\/(\d+)\/unlock"/.exec(users.text)?.[1];
    expect(uid).toBeDefined();
    expect((await a.post(`/users/${uid}/unlock`, {})).status).toBe(303);
    expect(await f.login('wang.editor', EDITOR_PW)).toBe(303);
    // Own password: the current one is asked again; the old one stops working.
    await f.request('/account');
    expect((await f.post('/account/password', { current: 'not it at all', password: 'a new password 2026' })).status).toBe(401);
    expect((await f.post('/account/password', { current: EDITOR_PW, password: 'a new password 2026' })).status).toBe(303);
    expect((await f.request('/account')).status).toBe(200); // the session was renewed
    expect(await new ConsoleClient(serve.url).login('wang.editor', EDITOR_PW)).toBe(401);
    expect(await new ConsoleClient(serve.url).login('wang.editor', 'a new password 2026')).toBe(303);
    expect((await e.request('/account')).location).toBe('/login?next=%2Faccount'); // its other sessions ended
    const audit = (await a.request('/audit')).text;
    for (const x of ['user.create', 'login.failed', 'login.locked', 'user.unlock', 'notice.send', 'user.password.own', 'user.password.failed']) expect(audit).toContain(x);
  }, 90_000);

  it('rides out a broker restart: reconnects and sends again', async () => {
    await broker.restart();
    await until(async () => (await a.json<{ mqtt: string }>('/api/status')).mqtt === 'connected', 90_000, 'console reconnected');
    await until(() => poles.every((p) => p.session.connected), 120_000, 'poles reconnected');
    const id = await a.sendNotice({ title_zh: '重连后', body_zh: '代理重启之后。', audience: 'poles', poles: 'WH-OC-0007 WH-OC-0008', priority: 'normal', duration: '10' });
    await until(async () => (await board(a, id)).counts.accepted === 2, 60_000, 'two receipts after the restart');
  }, 240_000);
});
