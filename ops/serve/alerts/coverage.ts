/**
 * Which poles a CAP alert covers before it is sent (docs/ops-console.md §Emergency alerts): within
 * the audience it is sent to, each pole the console knows from its birth is judged by the pole's
 * own decision (ops/cap-coverage.ts: parse, `<info>` by language, area, status, expiry). Poles
 * outside the audience, or whose birth has no place yet, are listed as such. Pure.
 */
import { audienceIncludes } from '../../../protocols/audience.js';
import type { CapAlert } from '../../../protocols/cap.js';
import { capCoverage as poleDecisions } from '../../cap-coverage.js';

export interface KnownPole {
  poleId: string;
  groups: readonly string[];
  location?: { lat: number; lon: number; areaCode?: string | undefined } | undefined;
}

/**
 * inside / unchecked: the pole will show it (its area contains the pole, or has nothing the pole
 * can test); outside: its area does not; ignored: the pole will not show it for another reason
 * (status, expiry, scope); unknown: no place in the birth yet; audience: not sent there.
 */
export type CoverageVerdict = 'inside' | 'unchecked' | 'outside' | 'ignored' | 'unknown' | 'audience';

export interface Coverage {
  poles: { poleId: string; verdict: CoverageVerdict; reason: string | null }[];
  /** Poles that will show the alert. */
  shown: number;
}

export function capCoverage(alert: CapAlert, audience: string, poles: readonly KnownPole[], now: number): Coverage {
  const sited = poles.filter((p) => p.location && audienceIncludes(audience, p.poleId, p.groups));
  const r = poleDecisions(alert, sited.map((p) => ({ id: p.poleId, lat: p.location!.lat, lon: p.location!.lon, areaCode: p.location!.areaCode })), { now });
  const decided = new Map(r.ok ? r.coverage.poles.map((p) => [p.id, p]) : []);
  const out = poles.map((p): Coverage['poles'][number] => {
    if (!audienceIncludes(audience, p.poleId, p.groups)) return { poleId: p.poleId, verdict: 'audience', reason: null };
    const d = decided.get(p.poleId);
    if (!d) return { poleId: p.poleId, verdict: 'unknown', reason: null };
    if (d.action !== 'ignore') return { poleId: p.poleId, verdict: d.area === 'outside' ? 'inside' : d.area, reason: null };
    return { poleId: p.poleId, verdict: d.area === 'outside' ? 'outside' : 'ignored', reason: d.reason };
  });
  return { poles: out, shown: out.filter((p) => p.verdict === 'inside' || p.verdict === 'unchecked').length };
}
