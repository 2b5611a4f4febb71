/**
 * `smartpole ops cap push --file alert.xml [--to TARGET] [--rebase-time]`: signs a CAP 1.2 alert
 * and publishes it retained on the notice topic of its chain (an Update or Cancel goes on the
 * topic of the first alert it references, so a late-joining pole sees only the latest state;
 * docs/mqtt-api.md §CAP). The envelope expires with the alert's latest `<expires>`.
 */
import { readFileSync } from 'node:fs';
import { CapPayload, capChainId, parseCap, shiftCapTimes } from '../../protocols/cap.js';
import { capExpires } from '../../protocols/cap-notice.js';
import { isoWithOffset } from '../../protocols/time.js';
import { OpsUsageError, resolveContext, type OpsFlags } from '../context.js';
import { parseTarget, publishNoticeTopic } from './notice.js';
import { audienceOfTarget } from '../../protocols/audience.js';

export interface CapFlags extends OpsFlags {
  file?: string;
  to?: string;
  'no-wait'?: boolean;
  'rebase-time'?: boolean;
}

/**
 * A CAP payload from alert XML (`source` names it in errors): checked, optionally rebased so that
 * `<sent>` is now, refused if already expired. Shared by `cap push` and the sim's web viewer.
 */
export function capPayloadFromXml(xml: string, source: string, rebaseTime: boolean, now = Date.now(), audience = 'all'): { payload: CapPayload; summary: string } {
  let parsed = parseCap(xml);
  if (!parsed.ok) throw new OpsUsageError(`${source}: ${parsed.detail}`);
  if (rebaseTime) {
    // Demos and tests with the samples: every time moves by the same amount so that <sent> is now.
    xml = shiftCapTimes(xml, now - Date.parse(parsed.alert.sent));
    parsed = parseCap(xml);
    if (!parsed.ok) throw new OpsUsageError(`${source}: after --rebase-time: ${parsed.detail}`);
  }
  const alert = parsed.alert;
  const expires = capExpires(alert);
  if (expires && Date.parse(expires) <= now) {
    throw new OpsUsageError(`${source}: the alert expired at ${expires}; poles would refuse it (add --rebase-time to replay a sample as if sent now)`);
  }
  const payload = CapPayload.parse({
    type: 'cap', id: capChainId(alert), audience, version: now, issuedAt: isoWithOffset(now), expiresAt: expires, xml,
  });
  const summary = `CAP ${alert.msgType} ${alert.identifier} (${alert.status}, ${alert.info[0]?.event ?? 'no info'}${alert.referenceList.length ? `, references ${alert.referenceList.map((r) => r.identifier).join(' ')}` : ''})`;
  return { payload, summary };
}

export async function capCommand(sub: string | undefined, f: CapFlags, out: (s: string) => void, now = Date.now()): Promise<number> {
  if (sub !== 'push' || !f.file) throw new OpsUsageError('usage: smartpole ops cap push --file ALERT.xml [--to all|group:G|pole:ID] [--rebase-time]');
  let xml: string;
  try {
    xml = readFileSync(f.file, 'utf8');
  } catch (e) {
    throw new OpsUsageError(`cannot read ${f.file}: ${(e as Error).message}`);
  }
  const target = parseTarget(f.to);
  const { payload, summary } = capPayloadFromXml(xml, f.file, f['rebase-time'] === true, now, audienceOfTarget(target));
  const ctx = resolveContext(f);
  out(summary);
  return publishNoticeTopic(ctx, target, payload, 'pushed', f['no-wait'], out);
}
