/**
 * The update machine with in-process stand-ins for the broker (retained chunks delivered on
 * subscribe) and the screen: policy refusals with their codes, download with resume, whole-file
 * verification, waiting. Install and switch (dpkg-deb, the launcher) run in test/e2e/update.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../config/load.js';
import { chunkTopic, type UpdateManifest } from '../../protocols/update.js';
import { isoWithOffset } from '../../protocols/time.js';
import { parts } from '../../test/helpers/runtime-parts.js';
import { createUpdates, UpdateState, type Updates, type UpdatesDeps } from './updates.js';
import { debianArch } from './release-store.js';
import { writeBootState, emptyBootState } from './boot-state.js';

const P = 'smartpole/v1';
const TOPIC = `${P}/updates/pole/WH-JA-0001/manifest`;

class FakeBroker extends EventEmitter {
  connected = true;
  retained = new Map<string, Buffer>();
  subscribed: string[] = [];
  target: Updates | null = null;
  subscribeTopics(topics: readonly string[]): Promise<void> {
    this.subscribed.push(...topics);
    // A retained message is delivered on subscribe, like mosquitto does.
    setImmediate(() => {
      for (const t of topics) {
        const b = this.retained.get(t);
        const [key, index] = t.split('/').slice(-2);
        if (b && this.connected) this.target?.handleChunk(key!, index!, b);
      }
    });
    return Promise.resolve();
  }
  unsubscribeTopics(): Promise<void> { return Promise.resolve(); }
  rebirth(): Promise<number> { return Promise.resolve(1); }
}

function manifestOf(data: Buffer, over: Partial<UpdateManifest> = {}, now = Date.now()): UpdateManifest {
  const chunkSize = 4096;
  const chunks: string[] = [];
  for (let o = 0; o < data.length; o += chunkSize) chunks.push(createHash('sha256').update(data.subarray(o, o + chunkSize)).digest('hex'));
  return {
    type: 'update', id: 'smartpole', audience: 'pole:WH-JA-0001', version: now, issuedAt: isoWithOffset(now - 1000), release: '0.2.0',
    package: { name: 'smartpole', arch: debianArch(), size: data.length, sha256: createHash('sha256').update(data).digest('hex') },
    allowDowngrade: false, window: {}, sources: { mqtt: { chunkSize, chunks } }, ...over,
  } as UpdateManifest;
}

describe('createUpdates', () => {
  let u: Updates | null = null;
  afterEach(async () => { await u?.stop(); u = null; });

  const setup = (o: { running?: string; busy?: string | null; update?: Record<string, unknown> } = {}) => {
    const p = parts(Date.now());
    const dataDir = mkdtempSync(join(tmpdir(), 'sp-upd-'));
    const config = parseConfig({
      pole: { id: 'WH-JA-0001', groups: ['district/jiangan'], location: { lat: 30.6, lon: 114.3, address: 'x', areaCode: '420102' } },
      storage: { dataDir }, mqtt: { url: 'mqtt://127.0.0.1:1' }, trust: { keys: [{ kid: p.iss.kid, issuer: p.iss.issuer, publicKey: p.iss.publicKey }] },
      update: { chunkStallSec: 1, ...o.update },
    }, dataDir);
    const broker = new FakeBroker();
    const deps: UpdatesDeps = {
      gate: p.gate, mqtt: broker as unknown as UpdatesDeps['mqtt'], reporter: p.reporter, db: p.db, sink: new EventEmitter() as unknown as UpdatesDeps['sink'],
      logger: p.logger, busy: () => o.busy ?? null, running: o.running ?? '0.1.0', now: p.now, env: {},
    };
    u = createUpdates(config, deps);
    broker.target = u;
    u.start();
    const events = () => p.sent().filter((r) => typeof r.code === 'string' && /^update\./.test(r.code as string));
    const send = (m: UpdateManifest) => p.db.transaction(() => u!.handleManifest(TOPIC, Buffer.from(p.iss.sealFor(TOPIC, m))))();
    const publishChunks = (data: Buffer, m: UpdateManifest, tamper?: number) => {
      m.sources.mqtt!.chunks.forEach((_, i) => broker.retained.set(chunkTopic(P, m.package.sha256, i), i === tamper ? Buffer.alloc(4096) : data.subarray(i * 4096, (i + 1) * 4096)));
    };
    return { p, broker, events, send, publishChunks, dir: join(dataDir, 'update') };
  };
  const until = async (f: () => unknown, ms = 5000) => { const end = Date.now() + ms; while (!f()) { if (Date.now() > end) throw new Error('timed out'); await new Promise((r) => setTimeout(r, 10)); } };
  const refusedCode = (ev: Record<string, unknown>[]) => ev.filter((e) => e.code === 'update.refused').map((e) => e.updateCode);

  it('refuses by policy with a code for each reason', async () => {
    const data = randomBytes(10_000);
    const s = setup({ running: '0.5.0', update: { maxPackageBytes: 65536 } });
    const now = Date.now();
    s.send(manifestOf(data, { release: '0.4.9' }, now));
    s.send(manifestOf(data, { release: '0.6.0', minRunning: '0.5.1' }, now + 1));
    s.send(manifestOf(data, { release: '0.6.0', package: { ...manifestOf(data).package, arch: 'mips64el' } }, now + 2));
    const big = randomBytes(70_000);
    s.send(manifestOf(big, { release: '0.6.0' }, now + 3));
    s.send(manifestOf(data, { release: '0.6.0', window: { notAfter: isoWithOffset(now - 60_000) } }, now + 4));
    s.send(manifestOf(data, { release: '0.6.0', sources: { https: { url: 'https://updates.example/p.deb' } } }, now + 5));
    writeBootState(s.dir, { ...emptyBootState(), failed: ['0.6.1'] });
    s.send(manifestOf(data, { release: '0.6.1' }, now + 6));
    expect(refusedCode(s.events())).toEqual(['SP_UPDATE_DOWNGRADE', 'SP_UPDATE_MIN_RUNNING', 'SP_UPDATE_ARCH', 'SP_UPDATE_TOO_LARGE', 'SP_UPDATE_WINDOW_CLOSED', 'SP_UPDATE_NO_SOURCE', 'SP_UPDATE_FAILED_BEFORE']);
    // A downgrade signed with allowDowngrade passes the policy (and starts downloading).
    s.send(manifestOf(data, { release: '0.4.9', allowDowngrade: true }, now + 7));
    await until(() => s.events().some((e) => e.code === 'update.available' && e.release === '0.4.9'));
  });

  it('downloads the missing chunks, verifies, and waits while busy, saying why', async () => {
    const data = randomBytes(4096 * 6 + 10);
    const s = setup({ busy: 'an emergency notice is on screen' });
    const m = manifestOf(data);
    s.publishChunks(data, m);
    s.send(m);
    await until(() => u!.state === UpdateState.Waiting).catch((e: Error) => { throw new Error(`${e.message}: ${u!.state} ${JSON.stringify(s.p.sent().map((r) => [r.code, r.updateCode, r.message]))}`); });
    const codes = s.events().map((e) => e.code);
    expect(codes).toEqual(expect.arrayContaining(['update.available', 'update.downloading', 'update.verified', 'update.waiting']));
    expect(s.events().find((e) => e.code === 'update.waiting')!.reason).toBe('an emergency notice is on screen');
    expect(u!.birth()).toMatchObject({ running: '0.1.0', state: 'waiting', target: '0.2.0', progress: 100 });
  });

  it('takes manifests one after another: a newer one arriving at once replaces the first', async () => {
    const s = setup({ busy: 'connector 1 is charging' });
    const a = randomBytes(4096 * 3);
    const b = randomBytes(4096 * 5);
    const ma = manifestOf(a, { release: '0.2.0' });
    const mb = manifestOf(b, { release: '0.3.0' }, Date.now() + 5);
    s.publishChunks(a, ma);
    s.publishChunks(b, mb);
    s.send(ma);
    s.send(mb);
    await until(() => u!.state === UpdateState.Waiting);
    expect(u!.birth()).toMatchObject({ target: '0.3.0', progress: 100 });
    expect(s.events().filter((e) => e.code === 'update.verified').map((e) => e.release)).toEqual(['0.3.0']);
  });

  it('refuses a package whose bytes do not match its signed SHA-256 (SP_UPDATE_HASH), and tampered chunks (SP_UPDATE_CHUNK_HASH)', async () => {
    const data = randomBytes(4096 * 4);
    const s = setup();
    const m = manifestOf(data, { package: { ...manifestOf(data).package, sha256: 'f'.repeat(64) } });
    m.sources.mqtt!.chunks.forEach((_, i) => s.broker.retained.set(chunkTopic(P, 'f'.repeat(64), i), data.subarray(i * 4096, (i + 1) * 4096)));
    s.send(m);
    await until(() => refusedCode(s.events()).includes('SP_UPDATE_HASH'));
    await until(() => u!.state === UpdateState.Idle);

    const d2 = randomBytes(4096 * 4);
    const m2 = manifestOf(d2, { release: '0.3.0' }, Date.now() + 10);
    s.publishChunks(d2, m2, 2);
    s.send(m2);
    await until(() => refusedCode(s.events()).includes('SP_UPDATE_CHUNK_HASH'), 10_000);
    expect(s.p.sent().filter((e) => e.code === 'SP_UPDATE_CHUNK_HASH').length).toBe(3);
    await until(() => u!.state === UpdateState.Idle);
  });
});
