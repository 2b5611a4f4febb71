/**
 * What a trusted key may sign (docs/security.md §Key powers): message kinds, command names,
 * data-set names, the highest notice priority, CAP senders and audiences. A notices key cannot
 * start a charger; a payments key cannot put text on the screen; a district's key cannot sign
 * `all`. Patterns ending in `*` cover every name with that prefix; `*` alone covers all.
 * Pure: the MessageGate calls `powerRefusal` after the signature and schema checks.
 */
import { z } from 'zod';
import { audienceAllowed } from './audience.js';
import { parseCap } from './cap.js';
import { NoticePriority, PRIORITY_RANK } from './notice.js';

/** The `type` of every signed payload a pole accepts from an operations key. */
export const SignedKind = z.enum(['notice', 'notice.withdraw', 'cap', 'dataset', 'reply', 'cmd', 'update']);
export type SignedKind = z.infer<typeof SignedKind>;

const Pattern = z.string().min(1).max(160).regex(/^[A-Za-z0-9:._/*@+-]+$/, 'a name, or a prefix ending in *');

export const KeyPowers = z.strictObject({
  kinds: z.array(SignedKind).min(1).max(7),
  /** Audiences it may address: `all`, `group:district/jiangan*`, `pole:WH-JA-*`, `*`. */
  audiences: z.array(Pattern).min(1).max(64).default(['*']),
  /** Command names it may sign (kind `cmd`), e.g. `charger.*`. */
  commands: z.array(Pattern).max(64).default(['*']),
  /** Data-set names it may sign (kind `dataset`). */
  datasets: z.array(Pattern).max(64).default(['*']),
  /** Highest notice priority it may sign (kind `notice`). */
  maxPriority: NoticePriority.default('emergency'),
  /** CAP `<sender>`s it may sign alerts for (kind `cap`). */
  capSenders: z.array(Pattern).max(64).default(['*']),
});
export type KeyPowers = z.infer<typeof KeyPowers>;
export type KeyPowersInput = z.input<typeof KeyPowers>;

/** A key configured without powers may sign everything (documented as the development default). */
export const ALL_POWERS: KeyPowers = Object.freeze(KeyPowers.parse({ kinds: SignedKind.options }));

function matches(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => p === name || p === '*' || (p.endsWith('*') && name.startsWith(p.slice(0, -1))));
}

interface Checked { type: string; audience: string; name?: unknown; id?: unknown; priority?: unknown; xml?: unknown }

/** Why `powers` do not cover this (schema-checked) payload, or null when they do. */
export function powerRefusal(powers: KeyPowers, p: Checked): string | null {
  const kind = SignedKind.safeParse(p.type);
  if (!kind.success || !powers.kinds.includes(kind.data)) return `may not sign ${p.type} messages`;
  if (!audienceAllowed(p.audience, powers.audiences) && !powers.audiences.includes('*')) return `may not address ${p.audience}`;
  switch (kind.data) {
    case 'cmd':
      return matches(String(p.name), powers.commands) ? null : `may not sign command ${String(p.name)}`;
    case 'dataset':
      return matches(String(p.id), powers.datasets) ? null : `may not sign data set ${String(p.id)}`;
    case 'notice': {
      const pr = NoticePriority.safeParse(p.priority);
      return pr.success && PRIORITY_RANK[pr.data] <= PRIORITY_RANK[powers.maxPriority] ? null : `may not sign ${String(p.priority)} notices (highest ${powers.maxPriority})`;
    }
    case 'cap': {
      if (powers.capSenders.includes('*')) return null;
      const c = parseCap(String(p.xml));
      // A CAP document that does not parse is refused later with its own code; it shows nothing.
      if (!c.ok) return null;
      return matches(c.alert.sender, powers.capSenders) ? null : `may not sign CAP alerts from ${c.alert.sender}`;
    }
    default:
      return null;
  }
}
