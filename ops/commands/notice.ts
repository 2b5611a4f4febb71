/**
 * `smartpole ops notice push --file notice.json [--to all|group:<g>|pole:<id>]` and
 * `smartpole ops notice withdraw <id> [--to …]`. Publishes a signed, retained notice and, when
 * the target includes a pole we know (the sim's), waits briefly for its receipt.
 */
import { readFileSync } from 'node:fs';
import type { MqttClient } from 'mqtt';
import { NoticeDraft } from '../../protocols/notice.js';
import { noticeTopic, type NoticeTarget } from '../../protocols/topics.js';
import { connectOps, endAsync, publishAsync } from '../mqtt-client.js';
import { completeNotice, sign, withdrawal } from '../sign.js';
import { OpsUsageError, resolveContext, type OpsFlags } from '../context.js';

export function parseTarget(to: string | undefined): NoticeTarget {
  if (!to || to === 'all') return { scope: 'all' };
  const [kind, ...rest] = to.split(':');
  const value = rest.join(':');
  if (kind === 'group' && value) return { scope: 'group', group: value };
  if (kind === 'pole' && value) return { scope: 'pole', poleId: value };
  throw new OpsUsageError(`--to must be all, group:<name> or pole:<id> (got "${to}")`);
}

function waitReceipt(client: MqttClient, topic: string, id: string, version: number, ms: number): Promise<Record<string, unknown> | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => { client.off('message', onMsg); resolve(null); }, ms);
    const onMsg = (t: string, p: Buffer) => {
      if (t !== topic) return;
      try {
        const r = JSON.parse(p.toString()) as Record<string, unknown>;
        if (r.id === id && (r.version === version || r.version === undefined)) {
          clearTimeout(timer);
          client.off('message', onMsg);
          resolve(r);
        }
      } catch { /* not ours */ }
    };
    client.on('message', onMsg);
  });
}

export interface NoticeFlags extends OpsFlags {
  file?: string;
  to?: string;
  'no-wait'?: boolean;
  reason?: string;
}

export async function noticeCommand(sub: string | undefined, args: string[], f: NoticeFlags, out: (s: string) => void): Promise<number> {
  const ctx = resolveContext(f);
  const target = parseTarget(f.to);
  let payload: { id: string; version: number };
  if (sub === 'push') {
    if (!f.file) throw new OpsUsageError('notice push needs --file notice.json');
    let draft: unknown;
    try {
      draft = JSON.parse(readFileSync(f.file, 'utf8'));
    } catch (e) {
      throw new OpsUsageError(`cannot read ${f.file}: ${(e as Error).message}`);
    }
    const parsed = NoticeDraft.safeParse(draft);
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw new OpsUsageError(`${f.file}: ${i.path.join('.') || '(root)'}: ${i.message}`);
    }
    payload = completeNotice(parsed.data);
  } else if (sub === 'withdraw') {
    const id = args[0];
    if (!id) throw new OpsUsageError('notice withdraw needs the notice id');
    payload = withdrawal(id, Date.now(), f.reason);
  } else {
    throw new OpsUsageError('usage: smartpole ops notice push --file FILE [--to all|group:G|pole:ID] | notice withdraw ID [--to …]');
  }
  const key = ctx.key();
  const topic = noticeTopic(ctx.prefix, target, payload.id);
  const envelope = JSON.stringify(sign(payload, key));
  const client = await connectOps(ctx.connection);
  try {
    const pole = target.scope === 'pole' ? target.poleId : ctx.sim?.poleId;
    const receiptTopic = pole ? `${ctx.prefix}/poles/${pole}/receipts` : null;
    if (receiptTopic && !f['no-wait']) await new Promise<void>((r) => client.subscribe(receiptTopic, { qos: 1 }, () => r()));
    await publishAsync(client, topic, envelope, { qos: 1, retain: true });
    out(`${sub === 'push' ? 'pushed' : 'withdrew'} ${payload.id} v${payload.version} → ${topic} (signed by ${key.kid})`);
    if (receiptTopic && !f['no-wait']) {
      const r = await waitReceipt(client, receiptTopic, payload.id, payload.version, 5000);
      if (!r) out(`no receipt from ${pole} within 5 s (is it online?)`);
      else out(`${pole}: ${String(r.status)}${r.code ? ` ${String(r.code)}` : ''}${r.reason ? ` (${String(r.reason)})` : ''}`);
      if (r?.status === 'rejected') return 3;
    }
    return 0;
  } finally {
    await endAsync(client);
  }
}
