/**
 * The MQTT topic tree (docs/mqtt-api.md §Topics; cluster-safe levels: docs/fleet.md §Topics). Builders for what the pole
 * publishes, the subscriptions it makes, and a parser for what arrives.
 */
export const DEFAULT_PREFIX = 'smartpole/v1';

/**
 * A topic level every supported broker takes: NATS 2.9's MQTT gateway maps levels to NATS subject
 * tokens, so `.` (the token separator), white space and `*` `>` (NATS wildcards) are refused and
 * the connection closed; `+` `#` `/` are MQTT's own (docs/fleet.md §Topics).
 */
const SAFE_LEVEL = /^[^./\s*>+#]+$/;

export function isSafeLevel(level: string): boolean {
  return SAFE_LEVEL.test(level);
}

/**
 * A message id (which may hold `.`, e.g. a CAP identifier) as one safe topic level: `.` and `%`
 * percent-encoded (`a.b` → `a%2Eb`); `levelToId` reverses it, so the trust gate still compares the
 * id in the topic with the signed one.
 */
export function idToLevel(id: string): string {
  return id.replace(/[%.]/g, (c) => (c === '.' ? '%2E' : '%25'));
}

export function levelToId(level: string): string {
  return level.replace(/%2E/gi, '.').replace(/%25/g, '%');
}

export interface PoleTopics {
  state: string;
  telemetry: string;
  events: string;
  receipts: string;
  cmd: string;
  cmdRes: string;
  feedback: string;
  /** Technician console audit records. */
  audit: string;
  /** Retained liveness beat (docs/fleet.md §Liveness). */
  heartbeat: string;
  /** Everything the pole subscribes to. */
  subscriptions: string[];
}

export function poleTopics(prefix: string, poleId: string, groups: readonly string[]): PoleTopics {
  const pole = `${prefix}/poles/${poleId}`;
  return {
    state: `${pole}/state`,
    telemetry: `${pole}/telemetry`,
    events: `${pole}/events`,
    receipts: `${pole}/receipts`,
    cmd: `${pole}/cmd`,
    cmdRes: `${pole}/cmd/res`,
    feedback: `${pole}/feedback`,
    audit: `${pole}/audit`,
    heartbeat: `${pole}/heartbeat`,
    subscriptions: [
      `${prefix}/notices/all/+`,
      ...groups.map((g) => `${prefix}/notices/group/${g}/+`),
      `${prefix}/notices/pole/${poleId}/+`,
      `${pole}/cmd`,
      `${prefix}/data/+`,
      `${pole}/data/+`,
      `${pole}/replies/+`,
      `${prefix}/trust/list`,
      ...updateManifestTopics(prefix, poleId, groups),
    ],
  };
}

export function noticeTopic(prefix: string, target: NoticeTarget, id: string): string {
  switch (target.scope) {
    case 'all': return `${prefix}/notices/all/${idToLevel(id)}`;
    case 'group': return `${prefix}/notices/group/${target.group}/${idToLevel(id)}`;
    case 'pole': return `${prefix}/notices/pole/${target.poleId}/${idToLevel(id)}`;
  }
}

export function cmdTopic(prefix: string, poleId: string): string {
  return `${prefix}/poles/${poleId}/cmd`;
}

export function dataTopic(prefix: string, name: string, poleId?: string): string {
  return poleId ? `${prefix}/poles/${poleId}/data/${idToLevel(name)}` : `${prefix}/data/${idToLevel(name)}`;
}

/** Where a signed update manifest is retained for a target (docs/updates.md §Topics). */
export function updateManifestTopic(prefix: string, target: NoticeTarget): string {
  switch (target.scope) {
    case 'all': return `${prefix}/updates/all/manifest`;
    case 'group': return `${prefix}/updates/group/${target.group}/manifest`;
    case 'pole': return `${prefix}/updates/pole/${target.poleId}/manifest`;
  }
}

function updateManifestTopics(prefix: string, poleId: string, groups: readonly string[]): string[] {
  return [
    updateManifestTopic(prefix, { scope: 'all' }),
    ...groups.map((group) => updateManifestTopic(prefix, { scope: 'group', group })),
    updateManifestTopic(prefix, { scope: 'pole', poleId }),
  ];
}

/** The root-signed trust list, retained (docs/security.md §Trust list). */
export function trustListTopic(prefix: string): string {
  return `${prefix}/trust/list`;
}

export function replyTopic(prefix: string, poleId: string, ticket: string): string {
  return `${prefix}/poles/${poleId}/replies/${idToLevel(ticket)}`;
}

/** One pole's outbound topic, e.g. poleOutTopic(p, 'WH-JA-0001', 'receipts'). */
export function poleOutTopic(prefix: string, poleId: string, leaf: 'state' | 'heartbeat' | 'telemetry' | 'events' | 'receipts' | 'cmd/res' | 'feedback' | 'audit'): string {
  return `${prefix}/poles/${poleId}/${leaf}`;
}

/** Every pole's retained state (ops fleet view). */
export function allStatesFilter(prefix: string): string {
  return `${prefix}/poles/+/state`;
}

/** Every pole's retained heartbeat (ops fleet view: stale poles). */
export function allHeartbeatsFilter(prefix: string): string {
  return `${prefix}/poles/+/heartbeat`;
}

export type NoticeTarget = { scope: 'all' } | { scope: 'group'; group: string } | { scope: 'pole'; poleId: string };

export type InboundTopic =
  | { kind: 'notice'; target: NoticeTarget; id: string }
  | { kind: 'cmd'; poleId: string }
  | { kind: 'data'; dataset: string; poleId?: string }
  | { kind: 'reply'; poleId: string; ticket: string }
  | { kind: 'trust' }
  | { kind: 'update'; target: NoticeTarget }
  | { kind: 'update-chunk'; key: string; index: string };

export function parseInboundTopic(prefix: string, topic: string): InboundTopic | null {
  if (!topic.startsWith(prefix + '/')) return null;
  const parts = topic.slice(prefix.length + 1).split('/');
  if (parts.some((p) => p.length === 0)) return null;
  const [a, b, ...rest] = parts;
  if (a === 'notices') {
    if (b === 'all' && rest.length === 1) return { kind: 'notice', target: { scope: 'all' }, id: levelToId(rest[0]!) };
    if (b === 'pole' && rest.length === 2) return { kind: 'notice', target: { scope: 'pole', poleId: rest[0]! }, id: levelToId(rest[1]!) };
    if (b === 'group' && rest.length >= 2) return { kind: 'notice', target: { scope: 'group', group: rest.slice(0, -1).join('/') }, id: levelToId(rest.at(-1)!) };
    return null;
  }
  if (a === 'updates') {
    if (b === 'chunk' && rest.length === 2) return { kind: 'update-chunk', key: rest[0]!, index: rest[1]! };
    if (rest.at(-1) !== 'manifest') return null;
    if (b === 'all' && rest.length === 1) return { kind: 'update', target: { scope: 'all' } };
    if (b === 'pole' && rest.length === 2) return { kind: 'update', target: { scope: 'pole', poleId: rest[0]! } };
    if (b === 'group' && rest.length >= 2) return { kind: 'update', target: { scope: 'group', group: rest.slice(0, -1).join('/') } };
    return null;
  }
  if (a === 'data' && b && rest.length === 0) return { kind: 'data', dataset: levelToId(b) };
  if (a === 'trust' && b === 'list' && rest.length === 0) return { kind: 'trust' };
  if (a === 'poles' && b) {
    if (rest.length === 1 && rest[0] === 'cmd') return { kind: 'cmd', poleId: b };
    if (rest.length === 2 && rest[0] === 'data') return { kind: 'data', dataset: levelToId(rest[1]!), poleId: b };
    if (rest.length === 2 && rest[0] === 'replies') return { kind: 'reply', poleId: b, ticket: levelToId(rest[1]!) };
  }
  return null;
}
