/**
 * The web viewer's ops panel: HTTP routes that act as city operations would — sign
 * with the sim's development key and publish over MQTT through the same ops/ code as
 * `smartpole ops` (notice push/withdraw, CAP push, commands) — and log what they did.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoticeDraft } from '../../protocols/notice.js';
import { parseCap } from '../../protocols/cap.js';
import { OpsUsageError, type OpsContext } from '../../ops/context.js';
import { loadSigningKey } from '../../ops/keys.js';
import { completeNotice, withdrawal } from '../../ops/sign.js';
import { parseTarget, publishOnNoticeTopic, type NoticePublication } from '../../ops/commands/notice.js';
import { capPayloadFromXml } from '../../ops/commands/cap.js';
import { runCommand } from '../../ops/commands/cmd.js';
import type { SimInfo } from '../../ops/sim-discovery.js';
import { HttpError, type Router } from '../http/router.js';
import type { EventLog } from './event-log.js';

const RECEIPT_WAIT_MS = 8000;

export interface CapSample { file: string; msgType: string; status: string; event: string; headline: string }

export function listCapSamples(dir: string): CapSample[] {
  let files: string[];
  try { files = readdirSync(dir).filter((f) => f.endsWith('.xml')).sort(); } catch { return []; }
  return files.flatMap((file) => {
    const p = parseCap(readFileSync(join(dir, file), 'utf8'));
    if (!p.ok) return [];
    const info = p.alert.info.find((i) => i.language?.startsWith('zh')) ?? p.alert.info[0];
    return [{ file, msgType: p.alert.msgType, status: p.alert.status, event: info?.event ?? '', headline: info?.headline ?? '' }];
  });
}

function badRequest(message: string): HttpError {
  return new HttpError(400, 'SP_SIM_BAD_REQUEST', message);
}

/** Ops errors as HTTP errors: usage problems are 400, an unreachable broker 503. */
async function asOps<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof HttpError) throw e;
    if (e instanceof OpsUsageError) throw badRequest(e.message);
    const m = (e as Error).message;
    if (/cannot connect/.test(m)) throw new HttpError(503, 'SP_SIM_BROKER_UNREACHABLE', m);
    throw e;
  }
}

export function registerOpsRoutes(router: Router, o: { info: SimInfo; capDir: string; log: EventLog }): void {
  const ctx: OpsContext = {
    sim: o.info,
    prefix: o.info.topicPrefix,
    connection: { url: o.info.mqttUrl },
    key: () => loadSigningKey(o.info.keyFile),
  };
  const target = (to: unknown) => {
    if (to !== undefined && typeof to !== 'string') throw badRequest('"to" must be all, group:<name> or pole:<id>');
    return parseTarget(to);
  };
  const logPush = (what: string, payload: { id: string; version: number }, p: NoticePublication) => {
    o.log.add('ops', 'ops', `${what} ${payload.id} v${payload.version} → ${p.topic} (signed by ${p.kid})`, { id: payload.id, version: payload.version, topic: p.topic });
    return { id: payload.id, version: payload.version, topic: p.topic, kid: p.kid, receipt: p.receipt, waitedMs: p.waitedMs };
  };

  router.add('GET', '/api/ops/cap-samples', () => ({ json: listCapSamples(o.capDir) }));

  router.add('POST', '/api/ops/notice', (_req, body) => asOps(async () => {
    const b = (body ?? {}) as Record<string, unknown>;
    const { to, ...draft } = b;
    const parsed = NoticeDraft.safeParse(draft);
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw badRequest(`${i.path.join('.') || '(body)'}: ${i.message}`);
    }
    const t = target(to);
    const payload = completeNotice(parsed.data);
    return { json: logPush('pushed notice', payload, await publishOnNoticeTopic(ctx, t, payload, RECEIPT_WAIT_MS)) };
  }));

  router.add('POST', '/api/ops/withdraw', (_req, body) => asOps(async () => {
    const b = (body ?? {}) as { id?: unknown; to?: unknown; reason?: unknown };
    if (typeof b.id !== 'string' || !b.id) throw badRequest('body must be {"id": "<notice id>", "to"?, "reason"?}');
    const payload = withdrawal(b.id, Date.now(), typeof b.reason === 'string' && b.reason ? b.reason : undefined);
    return { json: logPush('withdrew', payload, await publishOnNoticeTopic(ctx, target(b.to), payload, RECEIPT_WAIT_MS)) };
  }));

  router.add('POST', '/api/ops/cap', (_req, body) => asOps(async () => {
    const b = (body ?? {}) as { sample?: unknown; to?: unknown };
    const samples = listCapSamples(o.capDir).map((s) => s.file);
    if (typeof b.sample !== 'string' || !samples.includes(b.sample)) throw badRequest(`"sample" must be one of ${samples.join(', ')}`);
    // The samples carry fixed dates: replay them as if sent now (ops cap push --rebase-time).
    const { payload, summary } = capPayloadFromXml(readFileSync(join(o.capDir, b.sample), 'utf8'), b.sample, true);
    const t = target(b.to);
    o.log.add('ops', 'ops', summary, { sample: b.sample });
    return { json: logPush('pushed CAP', payload, await publishOnNoticeTopic(ctx, t, payload, RECEIPT_WAIT_MS)) };
  }));

  router.add('POST', '/api/ops/command', (_req, body) => asOps(async () => {
    const b = (body ?? {}) as { name?: unknown; args?: unknown; timeoutSec?: unknown };
    if (typeof b.name !== 'string') throw badRequest('body must be {"name": "ping", "args"?: {…}, "timeoutSec"?: 20}');
    if (b.args !== undefined && (typeof b.args !== 'object' || b.args === null || Array.isArray(b.args))) throw badRequest('"args" must be a JSON object');
    const timeoutSec = typeof b.timeoutSec === 'number' && b.timeoutSec > 0 ? Math.min(120, b.timeoutSec) : 20;
    const started = Date.now();
    const r = await runCommand(ctx, o.info.poleId, b.name, (b.args ?? {}) as Record<string, unknown>, timeoutSec * 1000);
    o.log.add('ops', 'ops', `command ${b.name} ${r.id} → ${r.response ? (r.response.ok === true ? 'ok' : 'error') : 'no response'}`, { id: r.id, args: b.args ?? {} }, r.response?.ok === true ? 'info' : 'warn');
    if (!r.response) throw new HttpError(504, 'SP_SIM_NO_RESPONSE', `no response from ${o.info.poleId} to ${b.name} ${r.id} within ${timeoutSec} s`);
    return { json: { id: r.id, ms: Date.now() - started, response: { ...r.response, uplink: undefined } } };
  }));
}
