/**
 * `smartpole ops data push --name NAME --file DATA.json [--to all|pole:ID] [--expires-in S]`
 * signs a data set (services, transit, weather, …) and publishes it retained on `data/{name}` or
 * `poles/{id}/data/{name}`; `smartpole ops reply <pole> <ticket> --status S --text T [--text-en T]`
 * answers a citizen's message on `poles/{id}/replies/{ticket}`.
 */
import { checkTicket } from '../../protocols/feedback.js';
import { readFileSync } from 'node:fs';
import { DataSetName, DataSetPayload, ReplyPayload, ReplyStatus } from '../../protocols/dataset.js';
import { dataTopic, poleOutTopic, replyTopic } from '../../protocols/topics.js';
import { checkLevels } from './notice.js';
import { isoWithOffset } from '../../protocols/time.js';
import { connectOps, endAsync, publishAsync } from '../mqtt-client.js';
import { signForTopic } from '../sign.js';
import { OpsUsageError, resolveContext, type OpsContext, type OpsFlags } from '../context.js';
import { describeReceipt, subscribeAsync, waitFor } from '../receipts.js';

export interface DataFlags extends OpsFlags {
  name?: string;
  file?: string;
  to?: string;
  'expires-in'?: string;
  'no-wait'?: boolean;
  status?: string;
  text?: string;
  'text-en'?: string;
}

/** Signs, publishes retained at QoS 1, and (unless --no-wait) waits 5 s for the pole's receipt. */
export async function publishAndWait(ctx: OpsContext, topic: string, pole: string | undefined, payload: { id: string; version: number }, noWait: boolean | undefined, out: (s: string) => void): Promise<number> {
  const key = ctx.key();
  const client = await connectOps(ctx.connection);
  try {
    const receiptTopic = pole ? poleOutTopic(ctx.prefix, pole, 'receipts') : null;
    if (receiptTopic && !noWait) await subscribeAsync(client, receiptTopic);
    const receipt = receiptTopic && !noWait ? waitFor(client, receiptTopic, (r) => r.type === 'receipt' && r.id === payload.id && r.version === payload.version, 5000) : null;
    await publishAsync(client, topic, JSON.stringify(signForTopic(payload, key, ctx.prefix, topic)), { qos: 1, retain: true });
    out(`pushed ${payload.id} v${payload.version} → ${topic} (signed by ${key.kid})`);
    if (!receipt) return 0;
    const r = await receipt;
    out(describeReceipt(pole!, r, 5000));
    return r?.status === 'rejected' ? 3 : 0;
  } finally {
    await endAsync(client);
  }
}

export async function dataCommand(sub: string | undefined, f: DataFlags, out: (s: string) => void): Promise<number> {
  if (sub !== 'push' || !f.name || !f.file) throw new OpsUsageError('usage: smartpole ops data push --name NAME --file DATA.json [--to all|pole:ID] [--expires-in SECONDS]');
  if (!DataSetName.safeParse(f.name).success) throw new OpsUsageError(`--name "${f.name}": lower-case letters, digits and -, e.g. transit`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(f.file, 'utf8'));
  } catch (e) {
    throw new OpsUsageError(`cannot read ${f.file}: ${(e as Error).message}`);
  }
  const to = f.to ?? 'all';
  const pole = to === 'all' ? undefined : /^pole:(.+)$/.exec(to)?.[1];
  if (to !== 'all' && !pole) throw new OpsUsageError(`--to must be all or pole:<id> (got "${to}")`);
  if (pole) checkLevels('pole', pole);
  const ctx = resolveContext(f);
  const now = Date.now();
  const expiresIn = f['expires-in'] ? Number(f['expires-in']) : undefined;
  if (expiresIn !== undefined && !(expiresIn > 0)) throw new OpsUsageError('--expires-in must be a number of seconds');
  const payload = DataSetPayload.parse({
    type: 'dataset', id: f.name, audience: pole ? `pole:${pole}` : 'all', version: now, issuedAt: isoWithOffset(now), data,
    ...(expiresIn ? { expiresAt: isoWithOffset(now + expiresIn * 1000) } : {}),
  });
  return publishAndWait(ctx, dataTopic(ctx.prefix, f.name, pole), pole ?? ctx.sim?.poleId, payload, f['no-wait'], out);
}

export async function replyCommand(pole: string | undefined, ticket: string | undefined, f: DataFlags, out: (s: string) => void): Promise<number> {
  if (!pole || !ticket || !f.text) throw new OpsUsageError(`usage: smartpole ops reply <pole> <ticket> --text TEXT [--text-en TEXT] [--status ${ReplyStatus.options.join('|')}]`);
  const status = ReplyStatus.safeParse(f.status ?? 'resolved');
  if (!status.success) throw new OpsUsageError(`--status must be one of ${ReplyStatus.options.join(', ')}`);
  checkLevels('pole', pole);
  if (!checkTicket(ticket).ok) throw new OpsUsageError(`"${ticket}" is not a ticket number: the 9 digits the citizen got, with a valid check digit`);
  const ctx = resolveContext(f);
  const now = Date.now();
  const payload = ReplyPayload.parse({
    type: 'reply', id: ticket, audience: `pole:${pole}`, version: now, issuedAt: isoWithOffset(now), status: status.data,
    reply: { zh: f.text, ...(f['text-en'] ? { en: f['text-en'] } : {}) },
  });
  return publishAndWait(ctx, replyTopic(ctx.prefix, pole, ticket), pole, payload, f['no-wait'], out);
}
