/**
 * What a CAP alert does on one pole (the mapping is documented in docs/mqtt-api.md
 * §CAP): the checks (status, msgType, scope, area, expiry), the `<info>` block chosen by the
 * screen's language, and the notice the scheduler plays. Pure: the caller passes the clock.
 */
import { parseGbtIdentifier, type CapAlert, type CapInfo, type CapReference } from './cap.js';
import { areasCover, type PolePlace } from './cap-area.js';
import type { LocalizedText, NoticePriority } from './notice.js';

export interface CapPoleProfile {
  language: 'zh' | 'en';
  /** Show Test / Exercise / Draft alerts (config pole.testMode). */
  testMode: boolean;
  place: PolePlace;
}

/** Where a CAP alert came from; kept with the notice (notice.list, receipts, the screen). */
export interface CapOrigin {
  kind: 'cap';
  sender: string;
  identifier: string;
  sent: string;
  status: string;
  msgType: string;
  event: string;
  urgency: string;
  severity: string;
  certainty: string;
  category: string[];
  language: string;
  senderName?: string | undefined;
  areaDesc?: string | undefined;
  /** GB/T 35965.1 identifiers name the issuing body's area (GB/T 2260), e.g. 420100. */
  issuerAreaCode?: string | undefined;
}

export interface CapNoticeContent {
  priority: NoticePriority;
  title: LocalizedText;
  body: LocalizedText;
  validFrom: string;
  expiresAt?: string | undefined;
  durationSec: number;
  category: string;
}

export type CapIgnoreReason = 'status' | 'msgType' | 'scope' | 'area' | 'expired';

export type CapDecision =
  | { action: 'show'; content: CapNoticeContent; origin: CapOrigin; supersedes: CapReference[] }
  | { action: 'cancel'; supersedes: CapReference[] }
  | { action: 'ignore'; reason: CapIgnoreReason; detail: string; supersedes: CapReference[] };

const TOP_URGENCY = new Set(['Immediate', 'Expected']);
const TOP_SEVERITY = new Set(['Extreme', 'Severe']);
const TOP_CERTAINTY = new Set(['Observed', 'Likely', 'Very Likely']);

/**
 * urgency/severity/certainty → tier. Emergency (full-screen takeover) when all three are in their
 * top two values — the common CAP alerting rule, and GB/T's orange (II, Severe) and red (I, Extreme)
 * levels when imminent and likely. Past or Unlikely alerts are low; other Extreme/Severe, and
 * Moderate (yellow) ones that are imminent and likely, are high; the rest normal.
 */
export function capPriority(info: Pick<CapInfo, 'urgency' | 'severity' | 'certainty'>): NoticePriority {
  if (info.urgency === 'Past' || info.certainty === 'Unlikely') return 'low';
  if (TOP_URGENCY.has(info.urgency) && TOP_SEVERITY.has(info.severity) && TOP_CERTAINTY.has(info.certainty)) return 'emergency';
  if (TOP_SEVERITY.has(info.severity)) return 'high';
  if (info.severity === 'Moderate' && TOP_URGENCY.has(info.urgency) && TOP_CERTAINTY.has(info.certainty)) return 'high';
  return 'normal';
}

const langOf = (info: CapInfo) => info.language.toLowerCase();

/** The block in the screen's language, else the first; and the best block in the other language. */
export function pickInfo(infos: readonly CapInfo[], language: 'zh' | 'en'): { primary: CapInfo; zh?: CapInfo | undefined; en?: CapInfo | undefined } | null {
  if (infos.length === 0) return null;
  const zh = infos.find((i) => langOf(i).startsWith('zh'));
  const en = infos.find((i) => langOf(i).startsWith('en'));
  const primary = (language === 'zh' ? zh : en) ?? infos[0]!;
  return { primary, zh, en };
}

function clip(s: string, max: number): string {
  const t = s.trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

function texts(info: CapInfo): { title: string; body: string } {
  const title = info.headline?.trim() || info.event.trim();
  const body = [info.description, info.instruction].map((s) => s?.trim()).filter(Boolean).join('\n');
  return { title, body: body || title };
}

function earliest(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(a) <= Date.parse(b) ? a : b;
}

export interface DecideOptions {
  now: number;
  /** Allowed clock difference (trust.clockSkewSec) when judging `expires`. */
  skewMs: number;
  /** The envelope's expiresAt, if any: the notice ends at the earlier of it and `<expires>`. */
  envelopeExpiresAt?: string | undefined;
}

export function decideCap(alert: CapAlert, pole: CapPoleProfile, o: DecideOptions): CapDecision {
  const supersedes = alert.msgType === 'Update' || alert.msgType === 'Cancel' ? alert.referenceList : [];
  if (alert.status === 'System') return { action: 'ignore', reason: 'status', detail: 'status System is for the alerting network, never shown', supersedes: [] };
  if (alert.status !== 'Actual' && !pole.testMode) {
    return { action: 'ignore', reason: 'status', detail: `status ${alert.status}: shown only when pole.testMode is on`, supersedes: [] };
  }
  if (alert.msgType === 'Ack' || alert.msgType === 'Error') return { action: 'ignore', reason: 'msgType', detail: `msgType ${alert.msgType} is not for the public`, supersedes: [] };
  if (alert.msgType === 'Cancel') return { action: 'cancel', supersedes };
  if (alert.scope !== 'Public') return { action: 'ignore', reason: 'scope', detail: `scope ${alert.scope}: a public screen shows only Public alerts`, supersedes };
  const picked = pickInfo(alert.info, pole.language);
  if (!picked) return { action: 'ignore', reason: 'msgType', detail: 'no <info> block', supersedes };
  const { primary } = picked;
  if (areasCover(primary.area, pole.place) === 'outside') {
    const desc = primary.area.map((a) => a.areaDesc).join('、');
    return { action: 'ignore', reason: 'area', detail: `area "${desc}" does not cover this pole (${pole.place.areaCode ?? `${pole.place.lat},${pole.place.lon}`})`, supersedes };
  }
  const expiresAt = earliest(primary.expires, o.envelopeExpiresAt);
  if (expiresAt && Date.parse(expiresAt) + o.skewMs <= o.now) {
    return { action: 'ignore', reason: 'expired', detail: `expired at ${expiresAt}`, supersedes };
  }
  const zhInfo = picked.zh ?? primary;
  const zh = texts(zhInfo);
  const en = picked.en ? texts(picked.en) : undefined;
  const priority = capPriority(primary);
  return {
    action: 'show',
    supersedes,
    content: {
      priority,
      title: { zh: clip(zh.title, 200), ...(en ? { en: clip(en.title, 400) } : {}) },
      body: { zh: clip(zh.body, 2000), ...(en ? { en: clip(en.body, 4000) } : {}) },
      validFrom: primary.effective ?? alert.sent,
      expiresAt,
      durationSec: priority === 'emergency' ? 30 : 15,
      category: primary.category[0]!,
    },
    origin: {
      kind: 'cap', sender: alert.sender, identifier: alert.identifier, sent: alert.sent, status: alert.status, msgType: alert.msgType,
      event: primary.event, urgency: primary.urgency, severity: primary.severity, certainty: primary.certainty, category: primary.category,
      language: primary.language, senderName: primary.senderName, areaDesc: primary.area.map((a) => a.areaDesc).join('、') || undefined,
      issuerAreaCode: parseGbtIdentifier(alert.identifier)?.areaCode,
    },
  };
}

/** The latest `<expires>` of any block, for the envelope's expiresAt (ops). */
export function capExpires(alert: CapAlert): string | undefined {
  const all = alert.info.map((i) => i.expires).filter((x): x is string => !!x);
  if (all.length === 0 || all.length < alert.info.length) return undefined;
  return all.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));
}
