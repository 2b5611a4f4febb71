/**
 * CAP 1.2 text pasted or uploaded in the console → a checked revision (docs/ops-console.md
 * §Emergency alerts), and the Update and Cancel documents the alert's page writes. Parsing is
 * protocols/cap.ts (the pole's own parser), the tier protocols/cap-notice.ts capPriority (the
 * pole's own rule), so the console shows exactly what a pole will do. Pure: the caller passes the clock.
 */
import { CapPayload, capChainId, parseCap, shiftCapTimes, type CapAlert } from '../../../protocols/cap.js';
import { capExpires, capPriority } from '../../../protocols/cap-notice.js';
import { isoWithOffset } from '../../../protocols/time.js';
import type { AlertRevision, AlertTier } from './alert-machine.js';
import { alertError } from './errors.js';

export interface CheckedCap {
  alert: CapAlert;
  xml: string;
  chainId: string;
  tier: AlertTier;
  headline: string;
  expires: string | undefined;
}

const TIER_ORDER: AlertTier[] = ['emergency', 'high', 'normal', 'low'];

/** The highest tier of any `<info>` block: a pole whose language picks that block shows it so. */
export function capTier(alert: CapAlert): AlertTier {
  const tiers = alert.info.map((i) => capPriority(i));
  return TIER_ORDER.find((t) => tiers.includes(t)) ?? 'normal';
}

export function capHeadline(alert: CapAlert): string {
  const zh = alert.info.find((i) => i.language.toLowerCase().startsWith('zh')) ?? alert.info[0];
  return zh?.headline?.trim() || zh?.event.trim() || `${alert.msgType} ${alert.identifier}`;
}

/**
 * Checks pasted XML. `rebase` moves every time so that `<sent>` is now (replaying a sample,
 * protocols/cap.ts shiftCapTimes). Throws SP_ALERT_CAP_INVALID or SP_ALERT_EXPIRED.
 */
export function checkCapXml(text: string, now: number, rebase = false): CheckedCap {
  let xml = text.trim();
  let parsed = parseCap(xml);
  if (!parsed.ok) throw alertError('SP_ALERT_CAP_INVALID', { detail: parsed.detail }, { message: `not a valid CAP 1.2 alert: ${parsed.detail}` });
  if (rebase) {
    xml = shiftCapTimes(xml, now - Date.parse(parsed.alert.sent));
    parsed = parseCap(xml);
    if (!parsed.ok) throw alertError('SP_ALERT_CAP_INVALID', { detail: parsed.detail });
  }
  const alert = parsed.alert;
  const expires = capExpires(alert);
  if (expires && Date.parse(expires) <= now) throw alertError('SP_ALERT_EXPIRED', { expires });
  return { alert, xml, chainId: capChainId(alert), tier: capTier(alert), headline: capHeadline(alert), expires };
}

/** A new chain must start with an Alert (an Update or Cancel is written from the alert's page). */
export function checkNewAlert(c: CheckedCap): CheckedCap {
  if (c.alert.msgType !== 'Alert') throw alertError('SP_ALERT_MSGTYPE', { msgType: c.alert.msgType });
  return c;
}

export function revisionFields(c: CheckedCap): Pick<AlertRevision, 'msgType' | 'identifier' | 'sender' | 'sent' | 'xml' | 'tier'> {
  return { msgType: c.alert.msgType as AlertRevision['msgType'], identifier: c.alert.identifier, sender: c.alert.sender, sent: c.alert.sent, xml: c.xml, tier: c.tier };
}

/** The signed payload of a revision on its chain's notice topic (docs/mqtt-api.md §CAP). */
export function capPayloadOf(chainId: string, r: Pick<AlertRevision, 'xml'>, audience: string, now: number, expires: string | undefined): CapPayload {
  return CapPayload.parse({ type: 'cap', id: chainId, audience, version: now, issuedAt: isoWithOffset(now), ...(expires ? { expiresAt: expires } : {}), xml: r.xml });
}

/** XML text: markup escaped; characters XML 1.0 cannot carry (controls, U+FFFE/U+FFFF) dropped. */
const esc = (s: string) => [...s].filter((ch) => {
  const c = ch.codePointAt(0)!;
  return (c >= 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) && c !== 0xfffe && c !== 0xffff;
}).join('').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The identifier of the n-th follow-up: GB/T 35965.1 identifiers keep their form with the
 * sequence number raised; others get `-u<n>` / `-c`.
 */
export function followUpIdentifier(first: string, n: number, kind: 'Update' | 'Cancel'): string {
  const m = /^(.*_)(\d+)$/.exec(first);
  if (m && /^\d{14}_\d{14}_\d+$/.test(first)) return `${m[1]}${Number(m[2]) + n}`;
  return kind === 'Cancel' ? `${first}-c${n}` : `${first}-u${n}`;
}

export interface FollowUpEdits {
  /** Per language ('zh', 'en'): new headline/description/instruction; absent keeps the text. */
  text?: Partial<Record<'zh' | 'en', { headline?: string; description?: string; instruction?: string }>>;
  expires?: string | undefined;
}

function replaceElement(block: string, tag: string, value: string | undefined): string {
  if (value === undefined) return block;
  const re = new RegExp(`(<(?:\\w+:)?${tag}>)[\\s\\S]*?(</(?:\\w+:)?${tag}>)`);
  if (re.test(block)) return block.replace(re, (_m, open: string, close: string) => `${open}${esc(value)}${close}`);
  return block.replace(/(<(?:\w+:)?area>)/, (area) => `<${tag}>${esc(value)}</${tag}>\n    ${area}`);
}

/**
 * Writes an Update or Cancel of a chain from its first Alert: same sender, status, scope and
 * `<info>` blocks (areas included), a new identifier, `<sent>` now, `<references>` listing every
 * revision already sent (CAP 1.2 §3.2.1 references). A Cancel's blocks say the warning is lifted
 * (responseType AllClear, urgency Past, so its tier is low).
 */
export function writeFollowUp(first: CapAlert, firstXml: string, sent: readonly Pick<AlertRevision, 'sender' | 'identifier' | 'sent'>[], kind: 'Update' | 'Cancel', n: number, now: number, edits: FollowUpEdits = {}): string {
  const refs = sent.map((r) => `${r.sender},${r.identifier},${r.sent}`).join(' ');
  const sentAt = isoWithOffset(now).replace(/\.\d{3}/, '');
  let xml = firstXml
    .replace(/<((?:\w+:)?identifier)>[^<]*<\/\1>/, (_m, tag: string) => `<${tag}>${esc(followUpIdentifier(first.identifier, n, kind))}</${tag}>`)
    .replace(/<((?:\w+:)?sent)>[^<]*<\/\1>/, `<$1>${sentAt}</$1>`)
    .replace(/<((?:\w+:)?msgType)>[^<]*<\/\1>/, `<$1>${kind}</$1>`)
    .replace(/<((?:\w+:)?references)>[^<]*<\/\1>\s*/, '');
  xml = xml.replace(/(<(?:\w+:)?scope>[^<]*<\/(?:\w+:)?scope>)/, (scope) => `${scope}\n  <references>${esc(refs)}</references>`);
  xml = xml.replace(/<((?:\w+:)?info)>[\s\S]*?<\/\1>/g, (block) => {
    const lang = /<(?:\w+:)?language>\s*([^<]+?)\s*</.exec(block)?.[1]?.toLowerCase() ?? 'en-us';
    const key: 'zh' | 'en' = lang.startsWith('zh') ? 'zh' : 'en';
    let b = block.replace(/<((?:\w+:)?effective)>[^<]*<\/\1>/, `<$1>${sentAt}</$1>`);
    if (kind === 'Cancel') {
      b = b.replace(/<((?:\w+:)?responseType)>[^<]*<\/\1>/g, '').replace(/(<(?:\w+:)?category>[^<]*<\/(?:\w+:)?category>)(?![\s\S]*<(?:\w+:)?category>)/, '$1\n    <responseType>AllClear</responseType>');
      b = b.replace(/<((?:\w+:)?urgency)>[^<]*<\/\1>/, '<$1>Past</$1>').replace(/<((?:\w+:)?severity)>[^<]*<\/\1>/, '<$1>Minor</$1>')
        .replace(/<((?:\w+:)?certainty)>[^<]*<\/\1>/, '<$1>Observed</$1>').replace(/<((?:\w+:)?expires)>[^<]*<\/\1>\s*/, '');
    } else if (edits.expires) {
      b = replaceElement(b, 'expires', edits.expires);
    }
    const t = edits.text?.[key];
    if (t) {
      b = replaceElement(b, 'headline', t.headline);
      b = replaceElement(b, 'description', t.description);
      b = replaceElement(b, 'instruction', t.instruction);
    }
    return b;
  });
  return dropComments(xml);
}

/** Comments from the first document would describe the wrong message: dropped. */
function dropComments(xml: string): string {
  return xml.replace(/<!--[\s\S]*?-->\s*/g, '');
}
