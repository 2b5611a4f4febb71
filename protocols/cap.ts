/**
 * CAP 1.2 (OASIS, urn:oasis:names:tc:emergency:cap:1.2) and China's CAP-based GB/T 35965.1
 * profile: XML text in, a typed alert out (OASIS CAP 1.2; docs/background.md §Signage and legibility). Pure: fast-xml-parser is a
 * string parser without I/O. A document type declaration is refused before parsing (CAP never
 * needs one, and entity expansion is the classic XML bomb).
 *
 * The alert travels to the pole inside a signed envelope (docs/mqtt-api.md §Signed envelopes) whose
 * payload is `CapPayload`: the Ed25519 signature is what the pole trusts; an XML-DSig
 * `<Signature>` inside `<alert>` is ignored (CAP 1.2 §3.3.2.1: a receiver must not reject an alert
 * only because it cannot verify that signature).
 */
import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { SignedPayloadBase } from './signed.js';

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
export const CAP_MAX_XML_CHARS = 200_000;

/** The signed payload that carries one CAP alert on a notice topic. */
export const CapPayload = SignedPayloadBase.extend({
  type: z.literal('cap'),
  /** The CAP 1.2 `<alert>` document, UTF-8 text. */
  xml: z.string().min(1).max(CAP_MAX_XML_CHARS),
});
export type CapPayload = z.infer<typeof CapPayload>;

/** CAP dateTime (§3.3.2): `2026-07-10T14:30:00+08:00`; "Z" is not CAP but is accepted. */
const CapDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/, 'CAP dateTime such as 2026-07-10T14:30:00+08:00')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real date-time');

const Text = z.string().max(20_000);
const ValuePair = z.object({ valueName: z.string().max(200).default(''), value: z.string().max(2000).default('') });

export const CapStatus = z.enum(['Actual', 'Exercise', 'System', 'Test', 'Draft']);
export const CapMsgType = z.enum(['Alert', 'Update', 'Cancel', 'Ack', 'Error']);
export const CapScope = z.enum(['Public', 'Restricted', 'Private']);
export const CapUrgency = z.enum(['Immediate', 'Expected', 'Future', 'Past', 'Unknown']);
export const CapSeverity = z.enum(['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown']);
export const CapCertainty = z.enum(['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown', 'Very Likely']);

export const CapArea = z.object({
  areaDesc: z.string().max(2000),
  polygon: z.array(z.string().max(100_000)).default([]),
  circle: z.array(z.string().max(200)).default([]),
  geocode: z.array(ValuePair).default([]),
  altitude: z.string().optional(),
  ceiling: z.string().optional(),
});
export type CapArea = z.infer<typeof CapArea>;

export const CapInfo = z.object({
  /** RFC 3066 language; CAP's default is en-US (§3.2.2). */
  language: z.string().max(35).default('en-US'),
  category: z.array(z.enum(['Geo', 'Met', 'Safety', 'Security', 'Rescue', 'Fire', 'Health', 'Env', 'Transport', 'Infra', 'CBRNE', 'Other'])).min(1),
  event: z.string().min(1).max(500),
  responseType: z.array(z.string().max(50)).default([]),
  urgency: CapUrgency,
  severity: CapSeverity,
  certainty: CapCertainty,
  audience: z.string().max(500).optional(),
  eventCode: z.array(ValuePair).default([]),
  effective: CapDateTime.optional(),
  onset: CapDateTime.optional(),
  expires: CapDateTime.optional(),
  senderName: z.string().max(500).optional(),
  headline: z.string().max(1000).optional(),
  description: Text.optional(),
  instruction: Text.optional(),
  web: z.string().max(2000).optional(),
  contact: z.string().max(2000).optional(),
  parameter: z.array(ValuePair).default([]),
  area: z.array(CapArea).default([]),
});
export type CapInfo = z.infer<typeof CapInfo>;

export interface CapReference {
  sender: string;
  identifier: string;
  sent: string;
}

export const CapAlert = z.object({
  identifier: z.string().min(1).max(500).regex(/^[^\s,<&]+$/, 'no spaces, commas or restricted characters (§3.2.1)'),
  sender: z.string().min(1).max(500).regex(/^[^\s,<&]+$/, 'no spaces, commas or restricted characters (§3.2.1)'),
  sent: CapDateTime,
  status: CapStatus,
  msgType: CapMsgType,
  source: z.string().max(500).optional(),
  scope: CapScope,
  restriction: z.string().max(2000).optional(),
  addresses: z.string().max(10_000).optional(),
  code: z.array(z.string().max(200)).default([]),
  note: z.string().max(10_000).optional(),
  /** Whitespace-separated `sender,identifier,sent` triples (§3.2.1). */
  references: z.string().max(20_000).optional(),
  incidents: z.string().max(2000).optional(),
  info: z.array(CapInfo).default([]),
});
export type CapAlert = z.infer<typeof CapAlert> & { referenceList: CapReference[] };

export type CapParseResult = { ok: true; alert: CapAlert } | { ok: false; detail: string };

const REPEATED = new Set([
  'alert.code', 'alert.info', 'alert.info.category', 'alert.info.responseType', 'alert.info.eventCode', 'alert.info.parameter',
  'alert.info.resource', 'alert.info.area', 'alert.info.area.polygon', 'alert.info.area.circle', 'alert.info.area.geocode',
]);
const OBJECTS = ['info', 'area', 'eventCode', 'parameter', 'geocode'];

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (_name, jpath) => REPEATED.has(String(jpath)),
});

/** An empty element (`<info/>`) parses as ""; objects expected there become {} so zod names the missing field. */
function normalise(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => normalise(x, key));
  if (v === '' && OBJECTS.includes(key)) return {};
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, normalise(x, k)]));
  }
  return v;
}

export function parseReferences(text: string | undefined): CapReference[] | null {
  if (!text) return [];
  const out: CapReference[] = [];
  for (const triple of text.trim().split(/\s+/)) {
    const parts = triple.split(',');
    if (parts.length !== 3 || parts.some((p) => p.length === 0)) return null;
    out.push({ sender: parts[0]!, identifier: parts[1]!, sent: parts[2]! });
  }
  return out;
}

/** Parses CAP 1.2 XML. Never throws; every refusal says which element is wrong. */
export function parseCap(xml: string): CapParseResult {
  if (xml.length === 0) return { ok: false, detail: 'empty document' };
  if (xml.length > CAP_MAX_XML_CHARS) return { ok: false, detail: `document is ${xml.length} characters (max ${CAP_MAX_XML_CHARS})` };
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return { ok: false, detail: 'document type declarations are not allowed in CAP' };
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { ok: false, detail: `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})` };
  if (!xml.includes(CAP_NAMESPACE)) return { ok: false, detail: `not a CAP 1.2 document (namespace ${CAP_NAMESPACE} missing)` };
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (e) {
    return { ok: false, detail: `XML: ${(e as Error).message}` };
  }
  const root = (doc as Record<string, unknown> | null)?.alert;
  if (root === undefined || root === null || typeof root !== 'object') return { ok: false, detail: 'root element is not <alert>' };
  const r = CapAlert.safeParse(normalise(root));
  if (!r.success) {
    const i = r.error.issues[0]!;
    return { ok: false, detail: `<alert>/${i.path.join('/') || '(root)'}: ${i.message}` };
  }
  const referenceList = parseReferences(r.data.references);
  if (referenceList === null) return { ok: false, detail: '<alert>/references: expected "sender,identifier,sent" triples separated by spaces' };
  if ((r.data.msgType === 'Update' || r.data.msgType === 'Cancel') && referenceList.length === 0) {
    return { ok: false, detail: `<alert>/references: a${r.data.msgType === 'Update' ? 'n' : ''} ${r.data.msgType} must reference the alert(s) it applies to` };
  }
  if ((r.data.msgType === 'Alert' || r.data.msgType === 'Update') && r.data.info.length === 0) {
    return { ok: false, detail: '<alert>/info: an Alert or Update needs at least one <info> block' };
  }
  return { ok: true, alert: { ...r.data, referenceList } };
}

/**
 * GB/T 35965.1 identifier: `ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N` — 6-digit GB/T 2260 area code, 3-digit
 * department, 3-digit unit, 2-digit serial, Beijing issue time, sequence number.
 */
const GBT_IDENTIFIER = /^(\d{6})(\d{3})(\d{3})(\d{2})_(\d{14})_(\d+)$/;

export interface GbtIdentifier {
  areaCode: string;
  department: string;
  unit: string;
  issuedLocal: string;
  sequence: number;
}

export function parseGbtIdentifier(identifier: string): GbtIdentifier | null {
  const m = GBT_IDENTIFIER.exec(identifier);
  if (!m) return null;
  return { areaCode: m[1]!, department: m[2]!, unit: m[3]!, issuedLocal: m[5]!, sequence: Number(m[6]) };
}

/**
 * The notice id a CAP alert chain uses on the pole and in its topic: `cap-<identifier>` when the
 * identifier fits a message id (GB/T identifiers do), else `cap-` + 24 hex of SHA-256(sender,identifier).
 * An Update or Cancel keeps the id of the first alert it references, so a chain stays on one
 * retained topic and a late-joining pole sees only its latest state (docs/mqtt-api.md §CAP).
 */
export function capNoticeId(sender: string, identifier: string): string {
  const plain = `cap-${identifier}`;
  if (/^[A-Za-z0-9._-]{1,60}$/.test(identifier)) return plain;
  return `cap-${createHash('sha256').update(`${sender},${identifier}`).digest('hex').slice(0, 24)}`;
}

export function capChainId(alert: Pick<CapAlert, 'sender' | 'identifier' | 'msgType' | 'referenceList'>): string {
  const root = (alert.msgType === 'Update' || alert.msgType === 'Cancel') ? alert.referenceList[0] : undefined;
  return root ? capNoticeId(root.sender, root.identifier) : capNoticeId(alert.sender, alert.identifier);
}

const TIME_ELEMENTS = /<((?:\w+:)?(?:sent|effective|onset|expires))>\s*([^<]+?)\s*<\/\1>/g;

function shiftIso(s: string, deltaMs: number): string {
  const m = /([+-])(\d{2}):(\d{2})$|Z$/.exec(s);
  const t = Date.parse(s);
  if (!m || Number.isNaN(t)) return s;
  const offMin = m[0] === 'Z' ? 0 : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  const shifted = new Date(t + deltaMs + offMin * 60_000).toISOString().slice(0, 19);
  return shifted + (m[0] === 'Z' ? 'Z' : m[0]);
}

/**
 * Moves every time in an alert (sent, effective, onset, expires, and the sent part of references)
 * by `deltaMs`, keeping each value's offset. For demos and tests with the sample alerts in
 * docs/examples/cap (`smartpole ops cap push --rebase-time`); identifiers are left as they are.
 */
export function shiftCapTimes(xml: string, deltaMs: number): string {
  return xml
    .replace(TIME_ELEMENTS, (_m, tag: string, value: string) => `<${tag}>${shiftIso(value, deltaMs)}</${tag}>`)
    .replace(/<((?:\w+:)?references)>([^<]*)<\/\1>/g, (_m, tag: string, refs: string) => {
      const shifted = refs.trim().split(/\s+/).map((t) => {
        const p = t.split(',');
        return p.length === 3 ? `${p[0]},${p[1]},${shiftIso(p[2]!, deltaMs)}` : t;
      });
      return `<${tag}>${shifted.join(' ')}</${tag}>`;
    });
}
