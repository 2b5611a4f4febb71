/**
 * kill -9 of the runtime mid-stream (docs/mqtt-api.md §Uplink, tests): the runtime runs as its own
 * process (`smartpole sim --hardware-only` + `smartpole run --config <data-dir>/pole.yaml`) while
 * commands and notices stream in. After SIGKILL and a restart: nothing acknowledged is lost — every
 * uplink record the pole committed arrives (no gap in `uplink.seq`), every notice it accepted is still
 * held, and no command is run twice (a re-sent command is answered from the journal, identically).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import mqtt from 'mqtt';
import Database from 'better-sqlite3';
import { loadSigningKey } from '../../ops/keys.js';
import { sealEnvelope } from '../../protocols/envelope.js';
import { isoWithOffset } from '../../protocols/time.js';
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { CLI, startSimProcess, until, type SimProcess } from '../helpers/sim-process.js';

const P = 'smartpole/v1';
interface Rec { topic: string; type?: string; id?: string; status?: string; ok?: boolean; result?: unknown; error?: { code: string }; uplink?: { stream: string; seq: number } }

describe('kill -9 of the runtime mid-stream', () => {
  let broker: Mosquitto;
  let sim: SimProcess;
  let watcher: mqtt.MqttClient;
  let runtime: ChildProcess | null = null;
  const recs: Rec[] = [];

  const startRuntime = () => {
    const p = spawn(process.execPath, [CLI, 'run', '--config', join(sim.dataDir, 'pole.yaml')], { stdio: ['ignore', 'ignore', 'pipe'] });
    runtime = p;
    return p;
  };

  beforeAll(async () => {
    broker = await startMosquitto();
    sim = await startSimProcess(['--hardware-only', '--mqtt-url', broker.url]);
    watcher = await mqtt.connectAsync(broker.url);
    await watcher.subscribeAsync(`${P}/poles/WH-JA-0001/#`, { qos: 1 });
    watcher.on('message', (topic, p) => { try { recs.push({ topic, ...(JSON.parse(p.toString()) as object) }); } catch { /* empty */ } });
  });

  afterAll(async () => {
    if (runtime && runtime.exitCode === null && runtime.signalCode === null) {
      const r = runtime;
      await new Promise((res) => { r.once('exit', res); r.kill('SIGTERM'); });
    }
    await watcher?.endAsync();
    await sim?.stop();
    await broker?.stop();
  });

  it('loses nothing acknowledged and runs no command twice', async () => {
    startRuntime();
    await until(() => recs.some((r) => r.topic.endsWith('/state') && (r as { online?: boolean }).online === true), 20_000, 'runtime birth');
    const key = loadSigningKey(join(sim.dataDir, 'keys', 'dev-ops.key.json'));
    const now = Date.now();
    const seal = (p: unknown) => JSON.stringify(sealEnvelope(p, key.kid, key.privateKey));
    const cmds = Array.from({ length: 400 }, (_, i) => ({
      id: `k-${i}`,
      body: seal({ type: 'cmd', id: `k-${i}`, version: 1, issuedAt: isoWithOffset(now), expiresAt: isoWithOffset(now + 600_000), name: 'ping', args: { echo: String(i) } }),
    }));
    const notices = Array.from({ length: 40 }, (_, i) => ({
      id: `kn-${i}`,
      body: seal({ type: 'notice', id: `kn-${i}`, version: 1, issuedAt: isoWithOffset(now), priority: 'low', title: { zh: `通知${i}` }, body: { zh: `内容${i}` } }),
    }));
    const answered = (id: string) => recs.some((r) => r.type === 'cmdres' && r.id === id);

    // Stream in; kill -9 once about a quarter of the commands have been answered.
    let killedAt = -1;
    for (let i = 0; i < cmds.length; i++) {
      await watcher.publishAsync(`${P}/poles/WH-JA-0001/cmd`, cmds[i]!.body, { qos: 1 });
      if (i % 10 === 0) await watcher.publishAsync(`${P}/notices/pole/WH-JA-0001/${notices[i / 10]!.id}`, notices[i / 10]!.body, { qos: 1, retain: true });
      if (killedAt < 0 && recs.filter((r) => r.type === 'cmdres').length >= 100) {
        runtime!.kill('SIGKILL');
        killedAt = i;
      }
      await new Promise((r) => setTimeout(r, 3));
    }
    expect(killedAt).toBeGreaterThan(0);
    await new Promise<void>((r) => { if (runtime!.exitCode !== null || runtime!.signalCode !== null) r(); else runtime!.once('exit', () => r()); });
    const seenBeforeRestart = recs.length;

    // What the dead pole had committed: its outbox still holds the records not yet acknowledged.
    const db = new Database(join(sim.dataDir, 'pole', 'pole.db'));
    const pending = (db.prepare('SELECT seq FROM outbox ORDER BY seq').pluck().all() as number[]);
    const lastCommitted = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").pluck().get() as number;
    const accepted = new Set(db.prepare('SELECT id FROM notices').pluck().all() as string[]);
    db.close();

    startRuntime();
    await until(() => recs.slice(seenBeforeRestart).some((r) => r.topic.endsWith('/state') && (r as { online?: boolean }).online === true), 20_000, 'second birth');
    // An ops client re-sends, identically, what got no answer (commands sent while the pole was dead were lost with its clean session).
    for (let round = 0; round < 20 && cmds.some((c) => !answered(c.id)); round++) {
      for (const c of cmds.filter((x) => !answered(x.id))) await watcher.publishAsync(`${P}/poles/WH-JA-0001/cmd`, c.body, { qos: 1 });
      await until(() => cmds.every((c) => answered(c.id)), 3000, 'answers').catch(() => null);
    }
    expect(cmds.filter((c) => !answered(c.id)).map((c) => c.id)).toEqual([]);
    // Re-send a few answered before the kill: answered again from the journal, not run again.
    for (const c of cmds.slice(0, 5)) await watcher.publishAsync(`${P}/poles/WH-JA-0001/cmd`, c.body, { qos: 1 });
    await until(() => cmds.slice(0, 5).every((c) => recs.filter((r) => r.type === 'cmdres' && r.id === c.id).length >= 2), 10_000, 're-answers');

    // 1. No command ran twice: every response to an id is the same response.
    for (const c of cmds) {
      const rs = recs.filter((r) => r.type === 'cmdres' && r.id === c.id).map((r) => JSON.stringify({ ...r, uplink: undefined }));
      expect(new Set(rs).size, c.id).toBe(1);
    }
    // 2. Every record the pole committed arrived: deduplicated by seq, no gap up to the last one.
    const uplink = recs.filter((r) => r.uplink).sort((a, b) => a.uplink!.seq - b.uplink!.seq);
    const seqs = [...new Set(uplink.map((r) => r.uplink!.seq))];
    expect(new Set(uplink.map((r) => r.uplink!.stream)).size).toBe(1);
    expect(seqs[0]).toBe(1);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(seqs.at(-1)).toBeGreaterThanOrEqual(lastCommitted);
    for (const s of pending) expect(seqs).toContain(s);
    // 3. Every notice the pole acknowledged (accepted receipt) is still held after the restart.
    const acknowledged = new Set(recs.filter((r) => r.type === 'receipt' && r.status === 'accepted').map((r) => r.id!));
    // Those acknowledged before the kill were on disk when it died.
    const ackedBeforeKill = new Set(recs.slice(0, seenBeforeRestart).filter((r) => r.type === 'receipt' && r.status === 'accepted').map((r) => r.id!));
    for (const id of ackedBeforeKill) expect(accepted.has(id), `${id} on disk at the kill`).toBe(true);
    const listId = 'k-list';
    await watcher.publishAsync(`${P}/poles/WH-JA-0001/cmd`, seal({ type: 'cmd', id: listId, version: 1, issuedAt: isoWithOffset(Date.now()), expiresAt: isoWithOffset(Date.now() + 60_000), name: 'notice.list', args: { limit: 500 } }), { qos: 1 });
    const list = await until(() => recs.find((r) => r.type === 'cmdres' && r.id === listId), 10_000, 'notice.list') as { result: { notices: { id: string }[] } };
    const held = new Set(list.result.notices.map((n) => n.id));
    for (const id of acknowledged) expect(held.has(id), `accepted notice ${id} held after restart`).toBe(true);
    console.log(`kill -9 after ${killedAt} commands: ${pending.length} records were pending in the outbox, ${uplink.length - seqs.length} duplicates by seq, ${acknowledged.size} notices acknowledged`);
  }, 120_000);
});
