/**
 * The fleet trust list (docs/security.md §Trust list): applied atomically, rollback and replay
 * refused, expired lists refused, revocation effective at once and across a restart, lists not
 * signed by the root refused, and a list moved to another topic refused.
 */
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawPublicKey, sealEnvelope } from '../../protocols/envelope.js';
import { ALL_POWERS, KeyPowers } from '../../protocols/key-powers.js';
import { isoWithOffset } from '../../protocols/time.js';
import { P, rig } from './rig.js';

const T0 = Date.parse('2026-11-26T10:00:00+08:00');
const DAY = 86_400_000;

function keyPair(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { kid, privateKey, publicKey: rawPublicKey(publicKey) };
}

const root = keyPair('root-1');
const ops = keyPair('ops-a');
const next = keyPair('ops-b');
const TOPIC = `${P}/trust/list`;

function list(version: number, now: number, over: Record<string, unknown> = {}, signer: { kid: string; privateKey: KeyObject } = root): string {
  return JSON.stringify(sealEnvelope({
    type: 'trust.list', audience: 'all', version, issuedAt: isoWithOffset(now - 1000), expiresAt: isoWithOffset(now + 30 * DAY),
    keys: [{ kid: ops.kid, issuer: 'city-ops', publicKey: ops.publicKey, powers: ALL_POWERS }, { kid: next.kid, issuer: 'city-ops', publicKey: next.publicKey, powers: KeyPowers.parse({ kinds: ['notice'] }) }],
    revokedKids: [], ...over,
  }, signer.kid, signer.privateKey));
}

const notice = (id: string, kid: string, key: KeyObject, now: number, version = 1) => JSON.stringify(sealEnvelope({
  type: 'notice', id, audience: 'all', version, issuedAt: isoWithOffset(now - 1000), title: { zh: id }, body: { zh: id },
}, kid, key));

const codes = (r: ReturnType<typeof rig>, from: number) => r.since(from).filter((m) => m.type === 'event').map((m) => m.code);

describe('the root-signed trust list', () => {
  it('applies a newer list at once, refuses rollback, replay, expiry and foreign signers, and revokes for good', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'trust-')), 'pole.db');
    const r = rig(T0, { root: { kid: root.kid, publicKey: root.publicKey } }, file);
    // Before any list: ops-a is not in config, so it is unknown.
    let from = r.sent().length;
    await r.deliver(`${P}/notices/all/a`, notice('a', ops.kid, ops.privateKey, r.now()));
    expect(codes(r, from)).toEqual(['SP_MSG_UNKNOWN_KEY']);

    const v1 = list(1, r.now());
    from = r.sent().length;
    await r.deliver(TOPIC, v1);
    expect(r.since(from).find((m) => m.code === 'trust.applied')).toMatchObject({ version: 1, severity: 'security' });
    expect(r.trust.status()).toMatchObject({ listVersion: 1, expired: false });
    // The config key (the rig's test issuer) is no longer trusted: the list replaced it.
    from = r.sent().length;
    await r.deliver(`${P}/notices/all/b`, r.iss.seal({ type: 'notice', id: 'b', audience: 'all', version: 1, issuedAt: isoWithOffset(r.now()), title: { zh: 'b' }, body: { zh: 'b' } }));
    expect(codes(r, from)).toEqual(['SP_MSG_UNKNOWN_KEY']);
    await r.deliver(`${P}/notices/all/a`, notice('a', ops.kid, ops.privateKey, r.now()));
    expect(r.notices.all().map((n) => n.id)).toEqual(['a']);

    // Revoke ops-a for the fleet: version 2.
    const v2 = list(2, r.now(), { keys: [{ kid: next.kid, issuer: 'city-ops', publicKey: next.publicKey, powers: KeyPowers.parse({ kinds: ['notice'] }) }], revokedKids: [ops.kid] });
    await r.deliver(TOPIC, v2);
    from = r.sent().length;
    await r.deliver(`${P}/notices/all/c`, notice('c', ops.kid, ops.privateKey, r.now()));
    expect(codes(r, from)).toEqual(['SP_MSG_REVOKED_KEY']);

    // Rollback to v1 (captured bytes), a different v2, an expired v3, a v3 signed by a non-root key.
    const refusals: [string, string][] = [
      ['SP_TRUST_ROLLBACK', v1],
      ['SP_TRUST_ROLLBACK', list(2, r.now(), { revokedKids: [] })],
      ['SP_TRUST_EXPIRED', list(3, r.now(), { issuedAt: isoWithOffset(r.now() - 10 * DAY), expiresAt: isoWithOffset(r.now() - DAY) })],
      ['SP_MSG_UNKNOWN_KEY', list(3, r.now(), {}, ops)],
      ['SP_MSG_SCHEMA', list(3, r.now(), { audience: 'group:district/jiangan' })],
      ['SP_MSG_NOT_YET_VALID', list(3, r.now(), { issuedAt: isoWithOffset(r.now() + DAY), expiresAt: isoWithOffset(r.now() + 2 * DAY) })],
    ];
    for (const [code, raw] of refusals) {
      from = r.sent().length;
      await r.deliver(TOPIC, raw);
      expect(codes(r, from), code).toEqual([code]);
      expect(r.trust.status().listVersion).toBe(2);
    }
    // The same v2 again (retained redelivery): silent.
    from = r.sent().length;
    await r.deliver(TOPIC, v2);
    expect(r.since(from)).toEqual([]);

    // A restart keeps version 2 and the revocation; rollback stays refused.
    r.db.close();
    const again = rig(r.now(), { root: { kid: root.kid, publicKey: root.publicKey } }, file);
    expect(again.trust.status().listVersion).toBe(2);
    from = again.sent().length;
    await again.deliver(`${P}/notices/all/d`, notice('d', ops.kid, ops.privateKey, again.now()));
    await again.deliver(TOPIC, v1);
    expect(codes(again, from)).toEqual(['SP_MSG_REVOKED_KEY', 'SP_TRUST_ROLLBACK']);
    again.db.close();
  });

  it('raises an alarm when the list in force expires (freeze), and keeps it', async () => {
    const r = rig(T0, { root: { kid: root.kid, publicKey: root.publicKey } });
    await r.deliver(TOPIC, list(1, r.now()));
    r.clock.now += 31 * DAY;
    const from = r.sent().length;
    r.trust.start();
    r.trust.stop();
    expect(codes(r, from)).toEqual(['SP_TRUST_LIST_EXPIRED']);
    expect(r.trust.status()).toMatchObject({ listVersion: 1, expired: true });
  });

  it('refuses any list on a pole without a root key', async () => {
    const r = rig(T0);
    await r.deliver(TOPIC, list(1, r.now()));
    expect(r.sent().filter((m) => m.type === 'event').map((m) => m.code)).toEqual(['SP_TRUST_NO_ROOT']);
    expect(r.trust.status().listVersion).toBeNull();
  });
});
