/**
 * The audience a signed payload names (docs/security.md §Audience): `all`, `group:<g>` or
 * `pole:<id>`. It is inside the signed bytes, so a message captured from one topic and
 * re-published on another no longer matches where it arrived. Pure: no I/O.
 */
import { z } from 'zod';
import { parseInboundTopic, type InboundTopic, type NoticeTarget } from './topics.js';

const GROUP = '[a-z0-9-]+(?:/[a-z0-9-]+)*';
const POLE = '[A-Z0-9][A-Z0-9-]{2,31}';
export const AUDIENCE_RE = new RegExp(`^(?:all|group:${GROUP}|pole:${POLE})$`);

export const Audience = z.string().max(160).regex(AUDIENCE_RE, 'all, group:<group> or pole:<pole id>');
export type Audience = z.infer<typeof Audience>;

export function audienceOfTarget(t: NoticeTarget): Audience {
  switch (t.scope) {
    case 'all': return 'all';
    case 'group': return `group:${t.group}`;
    case 'pole': return `pole:${t.poleId}`;
  }
}

/** The audience a topic implies: what a payload arriving there must have signed. */
export function audienceOfInbound(t: InboundTopic): Audience {
  switch (t.kind) {
    case 'notice': return audienceOfTarget(t.target);
    case 'data': return t.poleId ? `pole:${t.poleId}` : 'all';
    case 'cmd': case 'reply': return `pole:${t.poleId}`;
    case 'trust': case 'update-chunk': return 'all';
    case 'update': return audienceOfTarget(t.target);
  }
}

export function audienceOfTopic(prefix: string, topic: string): Audience | null {
  const t = parseInboundTopic(prefix, topic);
  return t ? audienceOfInbound(t) : null;
}

/** Whether a pole with these groups is in the audience. */
export function audienceIncludes(audience: string, poleId: string, groups: readonly string[]): boolean {
  if (audience === 'all') return true;
  if (audience.startsWith('pole:')) return audience.slice(5) === poleId;
  if (audience.startsWith('group:')) return groups.includes(audience.slice(6));
  return false;
}

/**
 * Whether `audience` is covered by one of a key's audience patterns: an exact audience, or a
 * pattern ending in `*` (`group:district/jiangan*` covers the district and its streets;
 * `pole:WH-JA-*` one district's poles; `*` anything).
 */
export function audienceAllowed(audience: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => p === audience || (p.endsWith('*') && audience.startsWith(p.slice(0, -1))));
}
