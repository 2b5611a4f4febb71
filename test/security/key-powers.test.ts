/**
 * Each key's powers exceeded (docs/security.md §Key powers), with the sim's role keys: refused with
 * SP_MSG_KEY_POWER, reported, nothing stored or run; within its powers the same key is accepted.
 */
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rawPublicKey, sealEnvelope } from '../../protocols/envelope.js';
import { KeyPowers, type KeyPowersInput } from '../../protocols/key-powers.js';
import { isoWithOffset } from '../../protocols/time.js';
import { shiftCapTimes } from '../../protocols/cap.js';
import { SIM_ROLES } from '../../simulator/role-keys.js';
import { P, POLE, rig } from './rig.js';

const T0 = Date.parse('2026-07-10T15:00:00+08:00');
const CAP_XML = shiftCapTimes(readFileSync(join(import.meta.dirname, '../../docs/examples/cap/wuhan-rainstorm-orange.xml'), 'utf8'), T0 - Date.parse('2026-07-10T14:30:00+08:00'));

function roleRig(role: string) {
  const spec = SIM_ROLES.find((r) => r.role === role)!;
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const kid = `${role}-1`;
  const r = rig(T0, { keys: [{ kid, issuer: spec.issuer, publicKey: rawPublicKey(publicKey), powers: KeyPowers.parse(spec.powers) }] });
  let v = 1;
  const seal = (p: Record<string, unknown>) => JSON.stringify(sealEnvelope({ version: v++, issuedAt: isoWithOffset(r.now() - 1000), ...p }, kid, privateKey));
  return { r, seal };
}

const notice = (id: string, audience: string, priority = 'normal') => ({ type: 'notice', id, audience, priority, title: { zh: id }, body: { zh: id } });
const cmd = (id: string, name: string, now: number) => ({ type: 'cmd', id, audience: `pole:${POLE}`, poleId: POLE, name, args: {}, expiresAt: isoWithOffset(now + 600_000) });

async function refused(r: ReturnType<typeof rig>, topic: string, raw: string, what: string): Promise<void> {
  const from = r.sent().length;
  const before = JSON.stringify([r.notices.all(), r.datasets.list(), r.runs]);
  await r.deliver(topic, raw);
  const out = r.since(from);
  const codes = out.map((m) => (m.type === 'cmdres' ? (m.error as { code?: string } | undefined)?.code : m.code));
  expect(codes, what).toContain('SP_MSG_KEY_POWER');
  expect(JSON.stringify([r.notices.all(), r.datasets.list(), r.runs]), `${what}: nothing stored or run`).toBe(before);
}

describe('keys with limited powers', () => {
  it('a notices key cannot start a charger, set the lamp, or push a data set; it can put a notice up', async () => {
    const { r, seal } = roleRig('notices');
    await refused(r, `${P}/poles/${POLE}/cmd`, seal(cmd('c1', 'charger.start', r.now())), 'notices key → charger.start');
    await refused(r, `${P}/poles/${POLE}/cmd`, seal(cmd('c2', 'lamp.set', r.now())), 'notices key → lamp.set');
    await refused(r, `${P}/data/transit`, seal({ type: 'dataset', id: 'transit', audience: 'all', data: {} }), 'notices key → data set');
    await r.deliver(`${P}/notices/all/ok`, seal(notice('ok', 'all', 'emergency')));
    expect(r.notices.all().map((n) => n.id)).toEqual(['ok']);
  });

  it('a payments key cannot put text on the screen or run non-payment commands; it can start a charger', async () => {
    const { r, seal } = roleRig('payments');
    await refused(r, `${P}/notices/all/p1`, seal(notice('p1', 'all')), 'payments key → notice');
    await refused(r, `${P}/notices/all/cap1`, seal({ type: 'cap', id: 'cap1', audience: 'all', xml: CAP_XML }), 'payments key → CAP');
    await refused(r, `${P}/poles/${POLE}/cmd`, seal(cmd('c3', 'lamp.set', r.now())), 'payments key → lamp.set');
    await r.deliver(`${P}/poles/${POLE}/cmd`, seal(cmd('c4', 'charger.start', r.now())));
    expect(r.runs).toEqual(['charger.start']);
  });

  it("a district's key cannot sign all, another district, or above its highest priority", async () => {
    const { r, seal } = roleRig('district-jiangan');
    await refused(r, `${P}/notices/all/d1`, seal(notice('d1', 'all')), 'district key → all');
    await refused(r, `${P}/notices/pole/${POLE}/d2`, seal(notice('d2', `pole:${POLE}`, 'emergency')), 'district key → emergency');
    await refused(r, `${P}/poles/${POLE}/cmd`, seal(cmd('c5', 'ping', r.now())), 'district key → command');
    await r.deliver(`${P}/notices/group/district/jiangan/d3`, seal(notice('d3', 'group:district/jiangan', 'high')));
    expect(r.notices.all().map((n) => n.id)).toEqual(['d3']);
  });

  it('a CAP sender outside the key’s list is refused; data keys cannot command', async () => {
    const powers: KeyPowersInput = { kinds: ['cap'], capSenders: ['someone-else@example.org'] };
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const r = rig(T0, { keys: [{ kid: 'cap-1', issuer: 'cap', publicKey: rawPublicKey(publicKey), powers: KeyPowers.parse(powers) }] });
    await refused(r, `${P}/notices/all/cap1`, JSON.stringify(sealEnvelope({ type: 'cap', id: 'cap1', audience: 'all', version: 1, issuedAt: isoWithOffset(T0), xml: CAP_XML }, 'cap-1', privateKey)), 'CAP from another sender');
    const d = roleRig('data');
    await refused(d.r, `${P}/poles/${POLE}/cmd`, d.seal(cmd('c6', 'ping', d.r.now())), 'data key → command');
  });
});
