/** Signed commands from the console (docs/mqtt-api.md §Commands): built, signed server-side, sent over the link. */
import { CommandPayload } from '../../../protocols/command.js';
import { cmdTopic } from '../../../protocols/topics.js';
import { isoWithOffset } from '../../../protocols/time.js';
import { newMessageId, sign } from '../../sign.js';
import type { OpsApp } from '../app.js';

export async function runPoleCommand(app: OpsApp, poleId: string, name: string, args: Record<string, unknown>, timeoutMs: number): Promise<Record<string, unknown>> {
  const now = app.now();
  const payload = CommandPayload.parse({
    type: 'cmd', id: newMessageId('c', now), version: now, issuedAt: isoWithOffset(now),
    expiresAt: isoWithOffset(now + Math.max(60_000, timeoutMs)), name, args, poleId, audience: `pole:${poleId}`,
  });
  return app.link.command(cmdTopic(app.prefix, poleId), payload.id, JSON.stringify(sign(payload, app.key)), timeoutMs);
}
