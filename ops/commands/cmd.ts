/**
 * `smartpole ops cmd <pole> <name> [ARGS] [--timeout S] [--out FILE]`: signs a command, publishes
 * it on `poles/{pole}/cmd` and waits for its response on `poles/{pole}/cmd/res`. Until answered it
 * re-sends the identical message every 5 s (the pole answers a redelivery from its journal and
 * never runs a command twice). ARGS: one JSON object, or key=value pairs (values read as JSON
 * when they parse: numbers, booleans; otherwise strings). Exit 0 ok, 1 error response, 4 no answer.
 */
import { writeFileSync } from 'node:fs';
import { CommandName, CommandPayload } from '../../protocols/command.js';
import { cmdTopic, poleOutTopic } from '../../protocols/topics.js';
import { checkLevels } from './notice.js';
import { isoWithOffset } from '../../protocols/time.js';
import { connectOps, endAsync, publishAsync } from '../mqtt-client.js';
import { newMessageId, sign } from '../sign.js';
import { OpsUsageError, resolveContext, type OpsContext, type OpsFlags } from '../context.js';
import { subscribeAsync, waitFor } from '../receipts.js';

export interface CmdFlags extends OpsFlags {
  timeout?: string;
  out?: string;
}

export function parseCommandArgs(words: string[]): Record<string, unknown> {
  if (words.length === 1 && words[0]!.trim().startsWith('{')) {
    try {
      const v = JSON.parse(words[0]!) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch (e) {
      throw new OpsUsageError(`arguments are not valid JSON: ${(e as Error).message}`);
    }
    throw new OpsUsageError('arguments must be a JSON object');
  }
  const args: Record<string, unknown> = {};
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new OpsUsageError(`argument "${w}" is not key=value (or pass one JSON object)`);
    const k = w.slice(0, eq);
    const raw = w.slice(eq + 1);
    try { args[k] = JSON.parse(raw); } catch { args[k] = raw; }
  }
  return args;
}

/**
 * Signs a command for `pole`, publishes it and waits up to `timeoutMs` for its response, re-sending
 * the identical message every 5 s until answered. Shared by `ops cmd` and the sim's web viewer.
 */
export async function runCommand(ctx: OpsContext, pole: string, name: string, args: Record<string, unknown>, timeoutMs: number): Promise<{ id: string; response: Record<string, unknown> | null }> {
  if (!CommandName.safeParse(name).success) throw new OpsUsageError(`"${name}" is not a command name (dotted lower-case, e.g. screen.snapshot)`);
  const key = ctx.key();
  const now = Date.now();
  const payload = CommandPayload.parse({
    type: 'cmd', id: newMessageId('c', now), version: now, issuedAt: isoWithOffset(now),
    // The pole must still accept it when a re-send arrives late; never less than a minute.
    expiresAt: isoWithOffset(now + Math.max(60_000, timeoutMs)), name, args, poleId: pole, audience: `pole:${pole}`,
  });
  const envelope = JSON.stringify(sign(payload, key));
  const client = await connectOps(ctx.connection);
  try {
    const resTopic = poleOutTopic(ctx.prefix, pole, 'cmd/res');
    await subscribeAsync(client, resTopic);
    const answer = waitFor(client, resTopic, (r) => r.id === payload.id, timeoutMs);
    let answered = false;
    void answer.then(() => { answered = true; });
    const topic = cmdTopic(ctx.prefix, pole);
    await publishAsync(client, topic, envelope, { qos: 1 });
    const resend = setInterval(() => { if (!answered) void publishAsync(client, topic, envelope, { qos: 1 }).catch(() => {}); }, 5000);
    const r = await answer;
    clearInterval(resend);
    return { id: payload.id, response: r };
  } finally {
    await endAsync(client);
  }
}

export async function cmdCommand(pole: string | undefined, name: string | undefined, argWords: string[], f: CmdFlags, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  if (!pole || !name) throw new OpsUsageError('usage: smartpole ops cmd <pole> <name> [JSON | key=value …] [--timeout S] [--out FILE]');
  if (!CommandName.safeParse(name).success) throw new OpsUsageError(`"${name}" is not a command name (dotted lower-case, e.g. screen.snapshot)`);
  checkLevels('pole', pole);
  const timeoutMs = Math.max(1, Number(f.timeout ?? 20)) * 1000;
  const args = parseCommandArgs(argWords);
  const ctx = resolveContext(f);
  const { response: r } = await runCommand(ctx, pole, name, args, timeoutMs);
  if (!r) {
    err(`no response from ${pole} within ${timeoutMs / 1000} s (is it online? \`smartpole ops fleet\`)`);
    return 4;
  }
  const result = r.result as Record<string, unknown> | undefined;
  if (r.ok === true && f.out && result && typeof result.png === 'string') {
    writeFileSync(f.out, Buffer.from(result.png, 'base64'));
    out(JSON.stringify({ ...r, result: { ...result, png: `(${String(result.bytes)} bytes written to ${f.out})` }, uplink: undefined }, null, 2));
    return 0;
  }
  out(JSON.stringify({ ...r, uplink: undefined }, null, 2));
  return r.ok === true ? 0 : 1;
}
