import { describe, expect, it } from 'vitest';
import { openDatabase } from '../storage/database.js';
import { NoticeMessage } from '../../protocols/notice.js';
import { isoWithOffset } from '../../protocols/time.js';
import { MessageGate } from './message-gate.js';
import { VersionRegistry } from './version-registry.js';
import { KeyPowers } from '../../protocols/key-powers.js';
import { notice, testIssuer } from '../../test/helpers/keys.js';

const T0 = Date.parse('2026-11-26T10:00:00+08:00');
const SELF = { prefix: 'smartpole/v1', poleId: 'WH-JA-0001', groups: ['district/jiangan'] };
const topicFor = (id = 'x') => `smartpole/v1/notices/all/${id}`;

function setup(now = T0) {
  const db = openDatabase(':memory:');
  const iss = testIssuer();
  let t = now;
  const gate = new MessageGate({ keys: new Map([[iss.kid, iss.trusted]]), ...SELF, versions: new VersionRegistry(db), clockSkewSec: 120, now: () => t });
  const open = (p: unknown, topicId?: string) => gate.open(Buffer.from(iss.seal(p)), NoticeMessage, 'notice', topicFor(topicId), topicId);
  return { iss, open, setNow: (v: number) => { t = v; } };
}

describe('MessageGate', () => {
  it('accepts a fresh notice and refuses its replay, rollback and exact duplicate', () => {
    const { open } = setup();
    const v2 = notice('n1', { version: 2 }, T0);
    const r = open(v2, 'n1');
    expect(r.ok).toBe(true);
    if (r.ok) r.commit();
    expect(open(v2, 'n1')).toMatchObject({ ok: false, code: 'SP_MSG_DUPLICATE' });
    expect(open({ ...v2, title: { zh: '改过的' } }, 'n1')).toMatchObject({ ok: false, code: 'SP_MSG_REPLAY' });
    expect(open(notice('n1', { version: 1 }, T0), 'n1')).toMatchObject({ ok: false, code: 'SP_MSG_ROLLBACK' });
    const v3 = open(notice('n1', { version: 3 }, T0), 'n1');
    expect(v3.ok).toBe(true);
  });

  it('checks issuedAt and expiresAt against the clock with skew', () => {
    const { open } = setup();
    expect(open(notice('a', { issuedAt: isoWithOffset(T0 + 60_000) }, T0))).toMatchObject({ ok: true });
    expect(open(notice('b', { issuedAt: isoWithOffset(T0 + 600_000) }, T0))).toMatchObject({ ok: false, code: 'SP_MSG_NOT_YET_VALID' });
    expect(open(notice('c', { expiresAt: isoWithOffset(T0 - 600_000) }, T0))).toMatchObject({ ok: false, code: 'SP_MSG_EXPIRED' });
  });

  it('refuses a payload whose id differs from its topic, and schema errors with the field', () => {
    const { open } = setup();
    expect(open(notice('a', {}, T0), 'b')).toMatchObject({ ok: false, code: 'SP_MSG_TOPIC_MISMATCH' });
    const r = open({ ...notice('a', {}, T0), priority: 'urgent' });
    expect(r).toMatchObject({ ok: false, code: 'SP_MSG_SCHEMA', id: 'a' });
    expect(!r.ok && r.detail).toMatch(/priority/);
  });

  it('keeps refusing rollbacks after a restart (versions are on disk)', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'gate-')), 'pole.db');
    const iss = testIssuer();
    const mk = () => {
      const db = openDatabase(file);
      return { db, gate: new MessageGate({ keys: new Map([[iss.kid, iss.trusted]]), ...SELF, versions: new VersionRegistry(db), clockSkewSec: 0, now: () => T0 }) };
    };
    const a = mk();
    const r = a.gate.open(Buffer.from(iss.seal(notice('n', { version: 5 }, T0))), NoticeMessage, 'notice', topicFor());
    if (r.ok) r.commit();
    a.db.close();
    const b = mk();
    expect(b.gate.open(Buffer.from(iss.seal(notice('n', { version: 4 }, T0))), NoticeMessage, 'notice', topicFor())).toMatchObject({ ok: false, code: 'SP_MSG_ROLLBACK' });
    b.db.close();
  });
});

describe('MessageGate: the signed audience', () => {
  const at = (topic: string) => {
    const db = openDatabase(':memory:');
    const iss = testIssuer();
    const gate = new MessageGate({ keys: new Map([[iss.kid, iss.trusted]]), ...SELF, versions: new VersionRegistry(db), clockSkewSec: 120, now: () => T0 });
    return { iss, gate, open: (p: unknown, t = topic) => gate.open(Buffer.from(iss.seal(p)), NoticeMessage, 'notice', t, 'n1') };
  };

  it('refuses a payload without an audience, one moved to another topic, and one for another pole', () => {
    const { open } = at('smartpole/v1/notices/all/n1');
    const { audience: _drop, ...old } = notice('n1', {}, T0);
    expect(open(old)).toMatchObject({ ok: false, code: 'SP_MSG_NO_AUDIENCE', id: 'n1' });
    // Signed for one pole, re-published byte for byte on notices/all: the audience no longer matches.
    expect(open(notice('n1', { audience: 'pole:WH-JA-0001' }, T0))).toMatchObject({ ok: false, code: 'SP_MSG_AUDIENCE_MISMATCH' });
    expect(open(notice('n1', { audience: 'group:district/jiangan' }, T0))).toMatchObject({ ok: false, code: 'SP_MSG_AUDIENCE_MISMATCH' });
    expect(open(notice('n1', { audience: 'pole:WH-JA-0999' }, T0), 'smartpole/v1/notices/pole/WH-JA-0999/n1')).toMatchObject({ ok: false, code: 'SP_MSG_NOT_FOR_POLE' });
    expect(open(notice('n1', { audience: 'group:district/other' }, T0), 'smartpole/v1/notices/group/district/other/n1')).toMatchObject({ ok: false, code: 'SP_MSG_NOT_FOR_POLE' });
    expect(open(notice('n1', { audience: 'group:district/jiangan' }, T0), 'smartpole/v1/notices/group/district/jiangan/n1')).toMatchObject({ ok: true });
  });

  it('keeps versions per audience: the same id and version in two audiences are both new', () => {
    const { open } = at('smartpole/v1/notices/all/n1');
    const a = open(notice('n1', { version: 9 }, T0));
    expect(a.ok).toBe(true);
    if (a.ok) a.commit();
    const p = open(notice('n1', { version: 3, audience: 'pole:WH-JA-0001' }, T0), 'smartpole/v1/notices/pole/WH-JA-0001/n1');
    expect(p).toMatchObject({ ok: true });
    expect(open(notice('n1', { version: 8 }, T0))).toMatchObject({ ok: false, code: 'SP_MSG_ROLLBACK' });
  });

  it('refuses what the key may not sign', () => {
    const db = openDatabase(':memory:');
    const iss = testIssuer();
    const powers = KeyPowers.parse({ kinds: ['notice'], audiences: ['group:district/jiangan*'], maxPriority: 'high' });
    const gate = new MessageGate({ keys: new Map([[iss.kid, { ...iss.trusted, powers }]]), ...SELF, versions: new VersionRegistry(db), clockSkewSec: 120, now: () => T0 });
    const open = (p: unknown, t: string) => gate.open(Buffer.from(iss.seal(p)), NoticeMessage, 'notice', t, 'n1');
    const g = 'smartpole/v1/notices/group/district/jiangan/n1';
    expect(open(notice('n1', { audience: 'group:district/jiangan' }, T0), g)).toMatchObject({ ok: true });
    expect(open(notice('n1', { audience: 'all' }, T0), 'smartpole/v1/notices/all/n1')).toMatchObject({ ok: false, code: 'SP_MSG_KEY_POWER' });
    expect(open(notice('n1', { audience: 'group:district/jiangan', priority: 'emergency' }, T0), g)).toMatchObject({ ok: false, code: 'SP_MSG_KEY_POWER' });
    expect(open({ type: 'notice.withdraw', id: 'n1', audience: 'group:district/jiangan', version: 2, issuedAt: isoWithOffset(T0) }, g)).toMatchObject({ ok: false, code: 'SP_MSG_KEY_POWER' });
  });
});

describe('MessageGate with the signature worker pool', () => {
  it('uses verdicts computed off-thread for a burst, and still refuses forgeries in it', async () => {
    const { SignatureVerifier } = await import('./signature-verifier.js');
    const { generateKeyPairSync } = await import('node:crypto');
    const { sealEnvelope } = await import('../../protocols/envelope.js');
    const db = openDatabase(':memory:');
    const iss = testIssuer();
    const verifier = new SignatureVerifier({ threads: 1, logger: (await import('../../test/helpers/logger.js')).testLogger() });
    const gate = new MessageGate({ keys: new Map([[iss.kid, iss.trusted]]), ...SELF, versions: new VersionRegistry(db), clockSkewSec: 120, now: () => T0, verifier });
    const attacker = generateKeyPairSync('ed25519');
    const raws = Array.from({ length: 20 }, (_, i) => Buffer.from(i % 5 === 4
      ? JSON.stringify(sealEnvelope(notice(`f${i}`, {}, T0), iss.kid, attacker.privateKey))
      : iss.seal(notice(`n${i}`, {}, T0))));
    raws.push(Buffer.from('not json'), Buffer.from(''));
    await gate.preverify(raws);
    expect(verifier.stats.verified).toBe(20);
    const codes = raws.map((r) => { const x = gate.open(r, NoticeMessage, 'notice', topicFor()); return x.ok ? 'ok' : x.code; });
    expect(codes.filter((c) => c === 'ok')).toHaveLength(16);
    expect(codes.filter((c) => c === 'SP_MSG_BAD_SIGNATURE')).toHaveLength(4);
    expect(codes.slice(-2)).toEqual(['SP_MSG_MALFORMED', 'SP_MSG_EMPTY']);
    await verifier.close();
    // With the pool gone, open() verifies inline.
    await gate.preverify(raws);
    expect(gate.open(raws[0]!, NoticeMessage, 'notice', topicFor()).ok).toBe(true);
  });
});

describe('SignatureVerifier', () => {
  it('gives up on a pool that does not answer, so inbound messages are never held up', async () => {
    const { SignatureVerifier } = await import('./signature-verifier.js');
    const v = new SignatureVerifier({ threads: 1, logger: (await import('../../test/helpers/logger.js')).testLogger(), timeoutMs: 1 });
    const item = { publicKey: Buffer.alloc(32).toString('base64'), data: Buffer.alloc(10), sig: Buffer.alloc(64) };
    await expect(v.verifyMany(Array.from({ length: 2000 }, () => item))).rejects.toThrow(/did not answer/);
    await expect(v.verifyMany([item])).rejects.toThrow(/no signature workers/);
    expect(v.stats.failures).toBe(1);
  });
});
