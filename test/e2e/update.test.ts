/**
 * Signed software updates end to end (docs/updates.md §Tests): the runtime runs under the launcher
 * (dist/smartpole-launcher.js) as the unit's ExecStart starts it, restarted as Restart=on-failure
 * would by test/helpers/service-harness.ts (systemd is not PID 1 here); real mosquitto; the sim's
 * devices (`smartpole sim --hardware-only`). A real newer package is built once from this tree with
 * the version bumped (scripts/package.ts, SMARTPOLE_PACKAGE_VERSION); the faulty releases are that
 * package re-packed with the start of its bundle changed (exits at once / never healthy / hangs).
 * Publishing goes through the real `smartpole ops update publish`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { buildPackage, FAULTY_START, packageVariant as repack } from '../../scripts/package.js';
import { loadSigningKey } from '../../ops/keys.js';
import { sign } from '../../ops/sign.js';
import { manifestFor } from '../../ops/commands/update.js';
import { readBootState } from '../../runtime/update/boot-state.js';
import { chunkTopic } from '../../protocols/update.js';
import { isoWithOffset } from '../../protocols/time.js';
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { CLI, ROOT, startSimProcess, until, type SimProcess } from '../helpers/sim-process.js';
import { startService, type ServiceHarness } from '../helpers/service-harness.js';
import { requireTool } from '../helpers/tools.js';

const P = 'smartpole/v1';
const POLE = 'WH-JA-0001';
const GATE_SEC = 20;
const LAUNCHER = join(ROOT, 'dist', 'smartpole-launcher.js');

interface Ev { code: string; step?: string; release?: string; updateCode?: string; percent?: number; resumed?: boolean; reason?: string; afterMs?: number; t: number; [k: string]: unknown }
interface Birth { online?: boolean; software?: string; update?: { running: string; kept: string | null; state: string }; devices?: Record<string, { status: string }> }

describe('signed updates with a health gate and rollback', () => {
  let broker: Mosquitto;
  let sim: SimProcess;
  let watch: mqtt.MqttClient;
  let svc: ServiceHarness;
  let updateDir: string;
  let devKey: string;
  const debs: Record<string, string> = {};
  const events: Ev[] = [];
  let birth: Birth = {};

  const ev = (pred: (e: Ev) => boolean, ms: number, what: string) => until(() => events.find(pred), ms, () => `${what}\nevents: ${JSON.stringify(events.slice(-8))}\n${svc.output().slice(-3000)}`);
  const publish = (deb: string, o: { key?: string; to?: string; chunk?: number } = {}) => {
    const t = Date.now();
    const out = execFileSync(process.execPath, [CLI, 'ops', 'update', 'publish', deb, '--to', o.to ?? `pole:${POLE}`, '--mqtt-url', broker.url, '--key', o.key ?? devKey, '--prefix', P, '--chunk-size', String(o.chunk ?? 65536)], { encoding: 'utf8' });
    return { t, out };
  };
  const consistent = () => {
    const s = readBootState(updateDir);
    const link = (() => { try { return readlinkSync(join(updateDir, 'current')).replace('releases/', ''); } catch { return 'base'; } })();
    return { state: s, link, running: birth.update?.running };
  };
  const ledFrame = async () => {
    const devs = await sim.api<{ name: string; state: { lastPresented: number; session: boolean } }[]>('/api/devices');
    return devs.find((d) => d.name === 'led')!.state;
  };

  beforeAll(async () => {
    requireTool('dpkg-deb');
    requireTool('mosquitto');
    const t0 = performance.now();
    process.env.SMARTPOLE_PACKAGE_VERSION = '0.1.1';
    process.env.SMARTPOLE_PACKAGE_COMPRESS = 'gzip';
    const built = buildPackage(ROOT);
    delete process.env.SMARTPOLE_PACKAGE_VERSION;
    delete process.env.SMARTPOLE_PACKAGE_COMPRESS;
    const outDir = mkdtempSync(join(tmpdir(), 'sp-debs-'));
    debs['0.1.1'] = built.file;
    debs['0.0.9'] = repack(built.stage, '0.0.9', null, outDir);
    debs['0.1.9'] = repack(built.stage, '0.1.9', null, outDir);
    debs['0.1.2'] = repack(built.stage, '0.1.2', FAULTY_START.exit, outDir);
    debs['0.1.3'] = repack(built.stage, '0.1.3', FAULTY_START.neverHealthy, outDir);
    debs['0.1.4'] = repack(built.stage, '0.1.4', FAULTY_START.hang, outDir);
    debs['0.1.7'] = repack(built.stage, '0.1.7', null, outDir);
    debs['0.1.8'] = repack(built.stage, '0.1.8', null, outDir);
    debs['0.2.0'] = repack(built.stage, '0.2.0', null, outDir);
    console.log(`packages: 0.1.1 built in ${((performance.now() - t0) / 1000).toFixed(1)} s (${built.bytes} bytes) with 8 variants; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);

    broker = await startMosquitto();
    sim = await startSimProcess(['--hardware-only', '--mqtt-url', broker.url]);
    devKey = join(sim.dataDir, 'keys', 'dev-ops.key.json');
    updateDir = join(sim.dataDir, 'update');
    appendFileSync(join(sim.dataDir, 'pole.yaml'), `update:\n  dir: ${updateDir}\n  gateSec: ${GATE_SEC}\n  bootAttempts: 2\n  chunkWindow: 2\n  chunkStallSec: 2\n`);
    watch = await mqtt.connectAsync(broker.url);
    watch.on('message', (topic, p) => {
      let j: Record<string, unknown>;
      try { j = JSON.parse(p.toString()) as Record<string, unknown>; } catch { return; }
      if (topic.endsWith('/state')) birth = j as Birth;
      if (topic.endsWith('/events') && typeof j.code === 'string' && /^(update\.|SP_UPDATE)/.test(j.code)) events.push({ ...(j as Ev), t: Date.now() });
    });
    await watch.subscribeAsync([`${P}/poles/${POLE}/state`, `${P}/poles/${POLE}/events`], { qos: 1 });
    svc = startService(process.execPath, [LAUNCHER, '--dir', updateDir, '--base', ROOT, '--', 'run', '--config', join(sim.dataDir, 'pole.yaml')]);
    await until(() => birth.online === true && birth.update?.running === '0.1.0', 30_000, () => `first birth\n${svc.output().slice(-3000)}`);
  }, 300_000);

  afterAll(async () => {
    await svc?.stop();
    await watch?.endAsync();
    await sim?.stop();
    await broker?.stop();
  });

  it('refuses an older release, a key without the update power, another pole\'s manifest, a forged manifest and tampered chunks — with codes', async () => {
    publish(debs['0.0.9']!);
    await ev((e) => e.code === 'update.refused' && e.updateCode === 'SP_UPDATE_DOWNGRADE', 15_000, 'older release refused');

    publish(debs['0.1.1']!, { key: join(sim.dataDir, 'keys', 'notices.key.json') });
    await ev((e) => e.code === 'update.refused' && e.updateCode === 'SP_MSG_KEY_POWER', 15_000, 'key without the update power refused');

    const key = loadSigningKey(devKey);
    const bytes = readFileSync(debs['0.1.1']!);
    const m = manifestFor(bytes, { version: '0.1.1', arch: execFileSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).trim() }, { chunkSize: 65536, audience: 'pole:WH-JA-0002', now: Date.now() });
    const topic = `${P}/updates/pole/${POLE}/manifest`;
    await watch.publishAsync(topic, JSON.stringify(sign(m, key, 'pole:WH-JA-0002')), { qos: 1, retain: true });
    await ev((e) => e.code === 'update.refused' && e.updateCode === 'SP_MSG_AUDIENCE_MISMATCH', 15_000, 'manifest for another pole refused');

    const env = sign({ ...m, version: Date.now() }, key, `pole:${POLE}`) as { payload: string };
    const forged = { ...env, payload: Buffer.from(Buffer.from(env.payload, 'base64').toString().replace('"0.1.1"', '"0.9.7"')).toString('base64') };
    await watch.publishAsync(topic, JSON.stringify(forged), { qos: 1, retain: true });
    await ev((e) => e.code === 'update.refused' && e.updateCode === 'SP_MSG_BAD_SIGNATURE', 15_000, 'forged manifest refused');

    // Tampered package: the signed manifest of 0.1.9, one of its chunks replaced on the broker before it is announced.
    const tampered = readFileSync(debs['0.1.9']!);
    const m9 = manifestFor(tampered, { version: '0.1.9', arch: m.package.arch }, { chunkSize: 65536, audience: `pole:${POLE}`, now: Date.now() });
    for (let i = 0; i < m9.sources.mqtt!.chunks.length; i++) {
      const body = i === 3 ? Buffer.alloc(65536, 0x41) : tampered.subarray(i * 65536, (i + 1) * 65536);
      await watch.publishAsync(chunkTopic(P, m9.package.sha256, i), body, { qos: 1, retain: true });
    }
    await watch.publishAsync(topic, JSON.stringify(sign(m9, key, `pole:${POLE}`)), { qos: 1, retain: true });
    await ev((e) => e.code === 'SP_UPDATE_CHUNK_HASH', 30_000, 'tampered chunk dropped');
    await ev((e) => e.code === 'update.refused' && e.updateCode === 'SP_UPDATE_CHUNK_HASH' && e.release === '0.1.9', 30_000, 'tampered package refused');
    expect(consistent().state.trial).toBeNull();
    expect(existsSync(join(updateDir, 'releases', '0.1.9'))).toBe(false);
    expect(birth.update?.running).toBe('0.1.0');
  }, 120_000);

  it('downloads a real newer package in chunks, survives kill -9 mid-download, installs, switches and reports healthy', async () => {
    const { t } = publish(debs['0.1.1']!, { chunk: 8192 });
    await ev((e) => e.code === 'update.downloading' && e.release === '0.1.1' && (e.percent ?? 0) >= 10, 60_000, 'download under way');
    svc.kill9();
    await ev((e) => e.code === 'update.downloading' && e.release === '0.1.1' && e.resumed === true && (e.percent ?? 0) > 0, 60_000, 'download resumed after kill -9');
    await ev((e) => e.code === 'update.verified' && e.release === '0.1.1', 60_000, 'verified');
    await ev((e) => e.code === 'update.installed' && e.release === '0.1.1', 30_000, 'installed');
    const healthy = await ev((e) => e.code === 'update.healthy' && e.release === '0.1.1', 90_000, 'healthy');
    await until(() => birth.update?.running === '0.1.1', 20_000, 'birth says 0.1.1');
    expect(birth.update?.kept).toBe('base');
    const c = consistent();
    expect(c).toMatchObject({ link: '0.1.1', state: { current: '0.1.1', previous: 'base', trial: null } });
    console.log(`publish → healthy ${((healthy.t - t) / 1000).toFixed(1)} s (including a kill -9 and a resumed download); switch → healthy ${(healthy.afterMs! / 1000).toFixed(1)} s`);
  }, 240_000);

  const rollbackCase = (release: string, what: string, reason: RegExp) => async () => {
    publish(debs[release]!);
    const sw = await ev((e) => e.code === 'update.switching' && e.release === release, 60_000, `${release} switching`);
    const before = (await ledFrame()).lastPresented;
    const rb = await ev((e) => e.code === 'update.rolled-back' && e.release === release, (GATE_SEC + 60) * 1000, `${release} (${what}) rolled back`);
    expect(rb.reason).toMatch(reason);
    expect(rb.updateCode).toBe('SP_UPDATE_ROLLED_BACK');
    await until(() => birth.update?.running === '0.1.1', 30_000, 'birth says 0.1.1 again');
    expect(consistent()).toMatchObject({ link: '0.1.1', state: { current: '0.1.1', trial: null } });
    expect(consistent().state.failed).toContain(release);
    // The screen shows content again: the restored runtime's frames reach the board.
    await until(async () => { const s = await ledFrame(); return s.session && s.lastPresented !== before; }, 30_000, 'screen shows content again');
    console.log(`${what}: rolled back ${((rb.t - sw.t) / 1000).toFixed(1)} s after the switch (gate ${GATE_SEC} s): ${rb.reason}`);
  };

  it('rolls back a release that exits at start (boot attempts)', rollbackCase('0.1.2', 'exits at start', /crash-loop/), 180_000);
  it('rolls back a release that never becomes healthy (gate)', rollbackCase('0.1.3', 'never healthy', /not healthy within the gate/), 180_000);
  it('rolls back a release that hangs (gate)', rollbackCase('0.1.4', 'hangs', /not healthy within the gate/), 180_000);

  it('waits while an emergency notice is on screen, says so, and installs once it is withdrawn', async () => {
    const key = loadSigningKey(devKey);
    const topic = `${P}/notices/pole/${POLE}/flood-1`;
    const now = Date.now();
    await watch.publishAsync(topic, JSON.stringify(sign({
      type: 'notice', id: 'flood-1', version: now, issuedAt: isoWithOffset(now - 1000), priority: 'emergency',
      title: { zh: '防汛紧急通知', en: 'Flood warning' }, body: { zh: '请远离江边', en: 'Keep away from the river' },
    }, key, `pole:${POLE}`)), { qos: 1, retain: true });
    publish(debs['0.1.7']!);
    const w = await ev((e) => e.code === 'update.waiting' && e.release === '0.1.7', 60_000, '0.1.7 waiting');
    expect(w.reason).toBe('an emergency notice is on screen');
    await new Promise((r) => setTimeout(r, 6000));
    expect(readBootState(updateDir).trial, 'no switch while the emergency is on screen').toBeNull();
    await watch.publishAsync(topic, JSON.stringify(sign({ type: 'notice.withdraw', id: 'flood-1', version: now + 1, issuedAt: isoWithOffset(now) }, key, `pole:${POLE}`)), { qos: 1, retain: true });
    const healthy = await ev((e) => e.code === 'update.healthy' && e.release === '0.1.7', 90_000, '0.1.7 healthy after the emergency');
    expect(healthy.t).toBeGreaterThan(w.t);
    await until(() => birth.update?.running === '0.1.7', 20_000, 'birth says 0.1.7');
  }, 180_000);

  it('comes back on one consistent release after kill -9 during the switch and during the gate', async () => {
    publish(debs['0.1.8']!);
    await until(() => readBootState(updateDir).trial?.release === '0.1.8', 60_000, 'switch to 0.1.8 written', );
    svc.kill9();
    await ev((e) => e.code === 'update.healthy' && e.release === '0.1.8', 90_000, '0.1.8 healthy after kill -9 during the switch');
    await until(() => birth.update?.running === '0.1.8', 20_000, 'birth says 0.1.8');
    expect(consistent()).toMatchObject({ link: '0.1.8', state: { current: '0.1.8', previous: '0.1.7', trial: null } });

    publish(debs['0.2.0']!);
    await until(() => { const tr = readBootState(updateDir).trial; return tr?.release === '0.2.0' && tr.attempts >= 1; }, 60_000, '0.2.0 on trial');
    await new Promise((r) => setTimeout(r, 300));
    svc.kill9();
    const end = await ev((e) => (e.code === 'update.healthy' || e.code === 'update.rolled-back') && e.release === '0.2.0', 90_000, '0.2.0 healthy or rolled back after kill -9 during the gate');
    await until(() => { const s = readBootState(updateDir); return s.trial === null && birth.update?.running === s.current && birth.online === true; }, 30_000, 'one release after kill -9 during the gate');
    console.log(`kill -9 during the gate: ${end.code} (${end.reason ?? `after ${end.afterMs} ms`})`);
    const c = consistent();
    expect(c.link).toBe(c.state.current);
    expect(c.running).toBe(c.state.current);
    expect(['0.2.0', '0.1.8']).toContain(c.state.current);
    // Only the running release and the one kept remain on disk.
    expect(readdirSync(join(updateDir, 'releases')).sort()).toEqual([c.state.current, c.state.previous].filter((r) => r && r !== 'base').sort());
  }, 240_000);
});
