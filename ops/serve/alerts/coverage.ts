/**
 * Which poles a CAP alert covers before it is sent (docs/ops-console.md §Emergency alerts): the
 * pole's own test (protocols/cap-area.ts areasCover, on the block a Chinese screen picks) against
 * each known pole's location from its birth, within the audience the alert is sent to. Pure.
 */
import { audienceIncludes } from '../../../protocols/audience.js';
import { areasCover } from '../../../protocols/cap-area.js';
import type { CapAlert } from '../../../protocols/cap.js';
import { pickInfo } from '../../../protocols/cap-notice.js';

export interface KnownPole {
  poleId: string;
  groups: readonly string[];
  location?: { lat: number; lon: number; areaCode?: string | undefined } | undefined;
}

/** inside / unchecked: the pole will show it; outside: it will ignore it; unknown: no location yet; audience: not sent there. */
export type CoverageVerdict = 'inside' | 'unchecked' | 'outside' | 'unknown' | 'audience';

export interface Coverage {
  poles: { poleId: string; verdict: CoverageVerdict }[];
  /** Poles that will show the alert. */
  shown: number;
}

export function capCoverage(alert: CapAlert, audience: string, poles: readonly KnownPole[]): Coverage {
  const areas = pickInfo(alert.info, 'zh')?.primary.area ?? [];
  const out = poles.map((p): { poleId: string; verdict: CoverageVerdict } => {
    if (!audienceIncludes(audience, p.poleId, p.groups)) return { poleId: p.poleId, verdict: 'audience' };
    if (!p.location) return { poleId: p.poleId, verdict: areas.length ? 'unknown' : 'unchecked' };
    return { poleId: p.poleId, verdict: areasCover(areas, p.location) };
  });
  return { poles: out, shown: out.filter((p) => p.verdict === 'inside' || p.verdict === 'unchecked').length };
}
