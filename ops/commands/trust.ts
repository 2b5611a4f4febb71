/**
 * `smartpole ops trust …`: the fleet trust list on `trust/list` (docs/security.md §Trust list).
 *   show                                   the list in force on the broker (retained), decoded
 *   init [--keys-dir DIR]                  a first list from every key file in DIR (the sim's keys/)
 *   add-key --key-file FILE [--powers JSON] the list plus one key (powers from the flag or the key file)
 *   revoke KID                             the list minus KID, with KID revoked — for the whole fleet
 *   publish --file LIST.json               a list written by hand ({keys, revokedKids})
 * Every change signs version + 1 with the root key (--root-key FILE; default the sim's), expiring
 * after --expires-in seconds (default 90 days), publishes it retained, and waits for the pole it can
 * name to report the new version in its birth.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openEnvelope, parsePublicKey, sealEnvelope } from '../../protocols/envelope.js';
import { ALL_POWERS, KeyPowers } from '../../protocols/key-powers.js';
import { TrustListPayload, type TrustListKey } from '../../protocols/trust-list.js';
import { isoWithOffset } from '../../protocols/time.js';
import { poleOutTopic, trustListTopic } from '../../protocols/topics.js';
import { loadSigningKey, type SigningKey } from '../keys.js';
import { connectOps, endAsync, publishAsync } from '../mqtt-client.js';
import { subscribeAsync, waitFor } from '../receipts.js';
import { OpsUsageError, resolveContext, type OpsContext, type OpsFlags } from '../context.js';

export interface TrustFlags extends OpsFlags {
  'root-key'?: string;
  'keys-dir'?: string;
  'key-file'?: string;
  powers?: string;
  file?: string;
  'expires-in'?: string;
  json?: boolean;
}

const DAY = 86_400_000;

function rootKey(ctx: OpsContext, f: TrustFlags): SigningKey {
  const file = f['root-key'] ?? (ctx.sim ? join(dirname(ctx.sim.keyFile), 'root.key.json') : undefined);
  if (!file) throw new OpsUsageError('no root key: pass --root-key FILE (the offline root key whose public half poles have as trust.root)');
  return loadSigningKey(file);
}

/** The retained list on the broker (decoded, not verified unless a root key is given), or null. */
export async function fetchTrustList(ctx: OpsContext, root?: SigningKey, waitMs = 1500): Promise<TrustListPayload | null> {
  const client = await connectOps(ctx.connection);
  try {
    const topic = trustListTopic(ctx.prefix);
    const got = new Promise<Buffer | null>((resolve) => {
      const t = setTimeout(() => resolve(null), waitMs);
      client.on('message', (tp, p) => { if (tp === topic && p.length) { clearTimeout(t); resolve(p); } });
    });
    await subscribeAsync(client, topic);
    const raw = await got;
    if (!raw) return null;
    const lookup = root ? (kid: string) => (kid === root.kid ? { kid, issuer: 'root', key: parsePublicKey(root.publicKey), revoked: false } : undefined) : null;
    if (lookup) {
      const env = openEnvelope(raw, lookup);
      if (!env.ok) throw new Error(`the list on ${topic} does not verify with root key ${root!.kid}: ${env.detail}`);
      return TrustListPayload.parse(env.payload);
    }
    const env = JSON.parse(raw.toString()) as { payload: string };
    return TrustListPayload.parse(JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')));
  } finally {
    await endAsync(client);
  }
}

/** Signs `keys` + `revokedKids` as version `previous + 1` with the root key and publishes it retained. */
export async function publishTrustList(ctx: OpsContext, root: SigningKey, draft: { keys: TrustListKey[]; revokedKids: string[] }, previous: number, expiresInSec: number, waitMs = 5000): Promise<{ version: number; pole: string | null; applied: boolean }> {
  const now = Date.now();
  const list = TrustListPayload.parse({
    type: 'trust.list', audience: 'all', version: Math.max(previous + 1, 1), issuedAt: isoWithOffset(now),
    expiresAt: isoWithOffset(now + expiresInSec * 1000), keys: draft.keys, revokedKids: [...new Set(draft.revokedKids)],
  });
  const client = await connectOps(ctx.connection);
  try {
    const pole = ctx.sim?.poleId ?? null;
    const stateTopic = pole ? poleOutTopic(ctx.prefix, pole, 'state') : null;
    if (stateTopic && waitMs > 0) await subscribeAsync(client, stateTopic);
    const birth = stateTopic && waitMs > 0
      ? waitFor(client, stateTopic, (m) => (m.trust as { listVersion?: number } | undefined)?.listVersion === list.version, waitMs)
      : null;
    await publishAsync(client, trustListTopic(ctx.prefix), JSON.stringify(sealEnvelope(list, root.kid, root.privateKey)), { qos: 1, retain: true });
    return { version: list.version, pole, applied: birth ? (await birth) !== null : false };
  } finally {
    await endAsync(client);
  }
}

function keyEntry(k: SigningKey, powers: unknown): TrustListKey {
  const p = KeyPowers.safeParse(powers ?? ALL_POWERS);
  if (!p.success) throw new OpsUsageError(`powers of ${k.kid}: ${p.error.issues[0]?.path.join('.')}: ${p.error.issues[0]?.message}`);
  return { kid: k.kid, issuer: k.issuer, publicKey: k.publicKey, powers: p.data };
}

function describe(l: TrustListPayload): string {
  const keys = l.keys.map((k) => `  ${k.kid} (${k.issuer}): ${k.powers.kinds.join(',')} → ${k.powers.audiences.join(',')}`
    + `${k.powers.kinds.includes('cmd') ? ` commands ${k.powers.commands.join(',')}` : ''}${k.powers.kinds.includes('notice') ? ` ≤ ${k.powers.maxPriority}` : ''}`);
  return [`trust list version ${l.version}, issued ${l.issuedAt}, expires ${l.expiresAt}`, ...keys, `  revoked: ${l.revokedKids.join(', ') || '-'}`].join('\n');
}

export async function trustCommand(sub: string | undefined, args: string[], f: TrustFlags, out: (s: string) => void): Promise<number> {
  const ctx = resolveContext(f);
  const expiresIn = f['expires-in'] ? Number(f['expires-in']) : (90 * DAY) / 1000;
  if (!(expiresIn > 0)) throw new OpsUsageError('--expires-in must be a number of seconds');
  if (sub === 'show') {
    const l = await fetchTrustList(ctx, f['root-key'] ? loadSigningKey(f['root-key']) : undefined);
    out(l ? (f.json ? JSON.stringify(l, null, 2) : describe(l)) : 'no trust list on the broker: poles use the keys in their config');
    return 0;
  }
  const root = rootKey(ctx, f);
  const current = await fetchTrustList(ctx, root);
  let draft: { keys: TrustListKey[]; revokedKids: string[] };
  if (sub === 'init') {
    const dir = f['keys-dir'] ?? (ctx.sim ? dirname(ctx.sim.keyFile) : undefined);
    if (!dir) throw new OpsUsageError('trust init needs --keys-dir DIR (key files made by `smartpole ops keygen`)');
    const files = readdirSync(dir).filter((n) => n.endsWith('.key.json') && n !== 'root.key.json').sort();
    draft = { keys: files.map((n) => { const k = loadSigningKey(join(dir, n)); return keyEntry(k, k.powers); }), revokedKids: current?.revokedKids ?? [] };
  } else if (sub === 'add-key') {
    if (!f['key-file']) throw new OpsUsageError('trust add-key needs --key-file FILE [--powers JSON]');
    const k = loadSigningKey(f['key-file']);
    let powers: unknown = k.powers;
    if (f.powers) { try { powers = JSON.parse(f.powers); } catch (e) { throw new OpsUsageError(`--powers is not JSON: ${(e as Error).message}`); } }
    draft = { keys: [...(current?.keys ?? []).filter((x) => x.kid !== k.kid), keyEntry(k, powers)], revokedKids: (current?.revokedKids ?? []).filter((r) => r !== k.kid) };
  } else if (sub === 'revoke') {
    const kid = args[0];
    if (!kid) throw new OpsUsageError('trust revoke needs the key id');
    if (!current) throw new OpsUsageError('no trust list on the broker yet: publish the first with `smartpole ops trust init` (or publish --file)');
    draft = { keys: current.keys.filter((k) => k.kid !== kid), revokedKids: [...current.revokedKids, kid] };
  } else if (sub === 'publish') {
    if (!f.file) throw new OpsUsageError('trust publish needs --file LIST.json ({"keys": [...], "revokedKids": [...]})');
    let body: { keys?: TrustListKey[]; revokedKids?: string[] };
    try { body = JSON.parse(readFileSync(f.file, 'utf8')) as typeof body; } catch (e) { throw new OpsUsageError(`cannot read ${f.file}: ${(e as Error).message}`); }
    draft = { keys: body.keys ?? [], revokedKids: body.revokedKids ?? [] };
  } else {
    throw new OpsUsageError('usage: smartpole ops trust show | init [--keys-dir DIR] | add-key --key-file F [--powers JSON] | revoke KID | publish --file F  [--root-key F] [--expires-in S]');
  }
  const r = await publishTrustList(ctx, root, draft, current?.version ?? 0, expiresIn);
  out(`published trust list version ${r.version} (${draft.keys.length} keys, ${draft.revokedKids.length} revoked) signed by root ${root.kid}`);
  if (r.pole) out(r.applied ? `${r.pole}: applied version ${r.version}` : `${r.pole}: no birth with version ${r.version} within 5 s (is it online? is trust.root configured?)`);
  return r.pole && !r.applied ? 3 : 0;
}
