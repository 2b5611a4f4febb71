import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { generateKeyPairSync } from 'node:crypto';
import { sealEnvelope } from '../../protocols/envelope.js';
import { isoWithOffset } from '../../protocols/time.js';
import { parts, type Parts } from '../../test/helpers/runtime-parts.js';
import { testIssuer } from '../../test/helpers/keys.js';
import { CommandRegistry } from './registry.js';
import { CommandJournal } from './command-journal.js';
import { CommandChannel } from './command-channel.js';

const T0 = Date.parse('2026-11-26T10:00:00+08:00');
const TOPIC = 'smartpole/v1/poles/WH-JA-0001/cmd';

function channel(p: Parts, runs: { n: number }, opts: { timeoutMs?: number; hang?: Promise<void> } = {}) {
  const reg = new CommandRegistry()
    .register({ name: 'count', description: 'counts runs', args: z.object({}), run: () => ({ run: ++runs.n }) })
    .register({ name: 'hang', description: 'never ends', args: z.object({}), run: () => opts.hang ?? new Promise(() => {}) })
    .register({ name: 'big', description: 'large result', args: z.object({}), run: () => 'x'.repeat(10_000) });
  const ch = new CommandChannel({
    db: p.db, gate: p.gate, versions: p.versions, journal: new CommandJournal(p.db), registry: reg, reporter: p.reporter, logger: p.logger,
    poleId: 'WH-JA-0001', timeZone: 'Asia/Shanghai', clockSkewSec: 120, now: p.now, timeoutMs: opts.timeoutMs ?? 1000, maxResponseBytes: 4096,
  });
  return ch;
}

const cmd = (p: Parts, id: string, name: string, over: Record<string, unknown> = {}) => Buffer.from(p.iss.seal({
  type: 'cmd', id, version: 1, issuedAt: isoWithOffset(p.now() - 1000), expiresAt: isoWithOffset(p.now() + 60_000), name, args: {}, poleId: 'WH-JA-0001', audience: 'pole:WH-JA-0001', ...over,
}));
const responses = (p: Parts) => p.sent().filter((r) => r.type === 'cmdres');
const settle = () => new Promise((r) => setTimeout(r, 30));

describe('CommandChannel', () => {
  it('runs a command once and answers once; a redelivery is answered again from the journal, not run', async () => {
    const p = parts(T0);
    const runs = { n: 0 };
    const ch = channel(p, runs);
    const m = cmd(p, 'c1', 'count');
    ch.handle(TOPIC, m);
    await settle();
    p.clock.now += 5000;
    ch.handle(TOPIC, m);
    await settle();
    expect(runs.n).toBe(1);
    const rs = responses(p);
    expect(rs).toHaveLength(2);
    expect(rs[0]).toMatchObject({ id: 'c1', name: 'count', ok: true, result: { run: 1 }, issuer: 'test-ops', poleId: 'WH-JA-0001' });
    const strip = (r: Record<string, unknown>) => ({ ...r, uplink: undefined });
    expect(strip(rs[1]!)).toEqual(strip(rs[0]!));
    expect((rs[1]!.uplink as { seq: number }).seq).toBeGreaterThan((rs[0]!.uplink as { seq: number }).seq);
  });

  it('is idempotent across a restart; a command cut off by the crash is answered SP_CMD_INTERRUPTED', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cmd-')), 'pole.db');
    const iss = testIssuer();
    const a = parts(T0, file, iss);
    const runs = { n: 0 };
    const chA = channel(a, runs);
    const done = cmd(a, 'done', 'count');
    const cut = cmd(a, 'cut', 'hang');
    chA.handle(TOPIC, done);
    chA.handle(TOPIC, cut);
    await settle();
    a.db.close(); // kill -9: 'cut' never finished
    const b = parts(T0 + 10_000, file, iss);
    const chB = channel(b, runs);
    chB.start();
    chB.handle(TOPIC, done);
    chB.handle(TOPIC, cut);
    await settle();
    chB.stop();
    expect(runs.n).toBe(1);
    const rs = responses(b).map((r) => `${String(r.id)}:${r.ok ? 'ok' : (r.error as { code: string }).code}`);
    // One response each before the crash (only 'done' got one), then: the restart answers 'cut',
    // the redeliveries are answered from the journal (rate-limited to one per id).
    expect(rs).toEqual(['done:ok', 'cut:SP_CMD_INTERRUPTED', 'done:ok', 'cut:SP_CMD_INTERRUPTED']);
  });

  it('refuses unsigned and forged commands without answering (their id cannot be trusted)', async () => {
    const p = parts(T0);
    const ch = channel(p, { n: 0 });
    ch.handle(TOPIC, Buffer.from('{"id":"x","name":"count"}'));
    const attacker = generateKeyPairSync('ed25519');
    ch.handle(TOPIC, Buffer.from(JSON.stringify(sealEnvelope({ type: 'cmd', id: 'f', version: 1, issuedAt: isoWithOffset(T0), expiresAt: isoWithOffset(T0 + 60_000), name: 'count' }, p.iss.kid, attacker.privateKey))));
    await settle();
    expect(responses(p)).toEqual([]);
    expect(p.sent().filter((r) => r.type === 'event').map((e) => e.code)).toEqual(['SP_MSG_MALFORMED', 'SP_MSG_BAD_SIGNATURE']);
  });

  it('answers a signed but bad command once, with the code', async () => {
    const p = parts(T0);
    const ch = channel(p, { n: 0 });
    const noExpiry = cmd(p, 'ne', 'count', { expiresAt: undefined });
    ch.handle(TOPIC, noExpiry);
    ch.handle(TOPIC, cmd(p, 'old', 'count', { issuedAt: isoWithOffset(T0 - 7_200_000), expiresAt: isoWithOffset(T0 - 3_600_000) }));
    ch.handle(TOPIC, cmd(p, 'other', 'count', { poleId: 'WH-JA-0002' }));
    ch.handle(TOPIC, cmd(p, 'nope', 'no.such'));
    ch.handle(TOPIC, cmd(p, 'args', 'count', { args: { extra: 1 } }));
    await settle();
    p.clock.now += 5000;
    ch.handle(TOPIC, noExpiry); // redelivery: same answer, never a different one
    await settle();
    const rs = responses(p).map((r) => `${String(r.id)}:${r.ok ? 'ok' : (r.error as { code: string }).code}`);
    expect(rs).toEqual(['ne:SP_MSG_SCHEMA', 'old:SP_MSG_EXPIRED', 'other:SP_MSG_TOPIC_MISMATCH', 'nope:SP_CMD_UNKNOWN', 'args:ok', 'ne:SP_MSG_SCHEMA']);
  });

  it('times out a hung command, and keeps the response within its size limit', async () => {
    const p = parts(T0);
    const ch = channel(p, { n: 0 }, { timeoutMs: 50 });
    ch.handle(TOPIC, cmd(p, 'h', 'hang'));
    ch.handle(TOPIC, cmd(p, 'b', 'big'));
    await new Promise((r) => setTimeout(r, 200));
    expect(responses(p).map((r) => (r.error as { code: string }).code)).toEqual(['SP_CMD_TIMEOUT', 'SP_CMD_RESPONSE_TOO_LARGE']);
  });

  it('a different command under a used id is refused as a replay and not answered twice', async () => {
    const p = parts(T0);
    const runs = { n: 0 };
    const ch = channel(p, runs);
    ch.handle(TOPIC, cmd(p, 'same', 'count'));
    await settle();
    ch.handle(TOPIC, cmd(p, 'same', 'count', { args: { a: 1 } }));
    await settle();
    expect(runs.n).toBe(1);
    expect(responses(p)).toHaveLength(1);
    expect(p.sent().filter((r) => r.type === 'event').map((e) => e.code)).toEqual(['SP_MSG_REPLAY']);
  });
});
