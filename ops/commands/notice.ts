/**
 * `smartpole ops notice push --file notice.json [--to all|group:<g>|pole:<id>]` and
 * `smartpole ops notice withdraw <id> [--to …]`. Publishes a signed, retained notice and, when
 * the target includes a pole we know (the sim's, or the one named), waits briefly for its receipt.
 */
import { readFileSync } from 'node:fs';
import { NoticeDraft } from '../../protocols/notice.js';
import { isSafeLevel, noticeTopic, poleOutTopic, type NoticeTarget } from '../../protocols/topics.js';
import { opsError } from '../errors.js';
import { connectOps, endAsync, publishAsync } from '../mqtt-client.js';
import { completeNotice, sign, withdrawal } from '../sign.js';
import { audienceOfTarget } from '../../protocols/audience.js';
import { OpsUsageError, resolveContext, type OpsContext, type OpsFlags } from '../context.js';
import { describeReceipt, subscribeAsync, waitFor } from '../receipts.js';

/** A pole id or group path whose levels every supported broker takes (docs/fleet.md §Topics). */
export function checkLevels(what: 'pole' | 'group', value: string): string {
  if (!value.split('/').every(isSafeLevel)) throw opsError('SP_OPS_TOPIC_LEVEL', { [what]: value });
  return value;
}

export function parseTarget(to: string | undefined): NoticeTarget {
  if (!to || to === 'all') return { scope: 'all' };
  const [kind, ...rest] = to.split(':');
  const value = rest.join(':');
  if (kind === 'group' && value) return { scope: 'group', group: checkLevels('group', value) };
  if (kind === 'pole' && value) return { scope: 'pole', poleId: checkLevels('pole', value) };
  throw new OpsUsageError(`--to must be all, group:<name> or pole:<id> (got "${to}")`);
}

export interface NoticeFlags extends OpsFlags {
  file?: string;
  to?: string;
  'no-wait'?: boolean;
  reason?: string;
}

export interface NoticePublication {
  topic: string;
  kid: string;
  /** The pole whose receipt was awaited (the target pole, else the sim's), or null. */
  pole: string | null;
  /** Its receipt (not `displayed`), or null when none came in time or none was awaited. */
  receipt: Record<string, unknown> | null;
  waitedMs: number;
}

/**
 * Signs a payload for the target's audience (whatever audience the payload had is replaced: the
 * signed audience always matches the topic), publishes it retained on its notice topic and, unless `wait` is 0, waits that
 * long for the receipt of the pole it can name. Shared by `notice`, `cap` and the sim's web viewer.
 */
export async function publishOnNoticeTopic(ctx: OpsContext, target: NoticeTarget, payload: { id: string; version: number }, waitMs: number): Promise<NoticePublication> {
  const key = ctx.key();
  const topic = noticeTopic(ctx.prefix, target, payload.id);
  const envelope = JSON.stringify(sign(payload, key, audienceOfTarget(target)));
  const client = await connectOps(ctx.connection);
  try {
    const pole = target.scope === 'pole' ? target.poleId : ctx.sim?.poleId ?? null;
    const receiptTopic = pole && waitMs > 0 ? poleOutTopic(ctx.prefix, pole, 'receipts') : null;
    if (receiptTopic) await subscribeAsync(client, receiptTopic);
    const receipt = receiptTopic
      ? waitFor(client, receiptTopic, (r) => r.type === 'receipt' && r.id === payload.id && r.version === payload.version && r.status !== 'displayed', waitMs)
      : null;
    await publishAsync(client, topic, envelope, { qos: 1, retain: true });
    return { topic, kid: key.kid, pole, receipt: receipt ? await receipt : null, waitedMs: receipt ? waitMs : 0 };
  } finally {
    await endAsync(client);
  }
}

/** publishOnNoticeTopic for the CLI: prints what it did and the receipt; exit 3 if the pole rejected it. */
export async function publishNoticeTopic(ctx: OpsContext, target: NoticeTarget, payload: { id: string; version: number }, verb: string, noWait: boolean | undefined, out: (s: string) => void): Promise<number> {
  const p = await publishOnNoticeTopic(ctx, target, payload, noWait ? 0 : 5000);
  out(`${verb} ${payload.id} v${payload.version} → ${p.topic} (signed by ${p.kid})`);
  if (!p.pole || !p.waitedMs) return 0;
  out(describeReceipt(p.pole, p.receipt, p.waitedMs));
  return p.receipt?.status === 'rejected' ? 3 : 0;
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
    payload = completeNotice(parsed.data, Date.now(), audienceOfTarget(target));
  } else if (sub === 'withdraw') {
    const id = args[0];
    if (!id) throw new OpsUsageError('notice withdraw needs the notice id');
    payload = withdrawal(id, Date.now(), f.reason, audienceOfTarget(target));
  } else {
    throw new OpsUsageError('usage: smartpole ops notice push --file FILE [--to all|group:G|pole:ID] | notice withdraw ID [--to …]');
  }
  return publishNoticeTopic(ctx, target, payload, sub === 'push' ? 'pushed' : 'withdrew', f['no-wait'], out);
}
