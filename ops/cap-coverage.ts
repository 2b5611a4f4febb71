/**
 * Which poles a CAP 1.2 alert covers, before it is sent (docs/feedback.md §Operations console
 * libraries, docs/mqtt-api.md §CAP alerts). Each pole is judged by the very functions the pole runs
 * on receipt (protocols/cap.ts `parseCap`, protocols/cap-notice.ts `decideCap` with the `<info>`
 * block its language picks, protocols/cap-area.ts for polygon / circle / GB/T 2260 geocode), so the
 * console's "covers 37 poles" is what 37 poles will do. Also gives the areas as shapes for a map.
 * Pure: no I/O; the clock is passed in.
 */
import { parseCap, type CapAlert } from '../protocols/cap.js';
import { parsePolygon } from '../protocols/cap-area.js';
import { areasCover, type AreaVerdict } from '../protocols/cap-area.js';
import { decideCap, pickInfo } from '../protocols/cap-notice.js';

/** A pole as the console knows it from its birth (`location`) and config. */
export interface PoleSite {
  id: string;
  lat: number;
  lon: number;
  /** GB/T 2260 district code (birth `location.areaCode`); without it, geocode areas cannot be checked. */
  areaCode?: string | undefined;
  /** The screen's language (picks the `<info>` block). Default zh. */
  language?: 'zh' | 'en' | undefined;
  /** Shows Test / Exercise alerts (config pole.testMode). Default false. */
  testMode?: boolean | undefined;
}

/** An area drawn on the console's map: polygons as [lat, lon] rings, circles with their radius. */
export interface AreaShape {
  areaDesc: string;
  polygons: [number, number][][];
  circles: { lat: number; lon: number; radiusKm: number }[];
  geocodes: { valueName: string; value: string }[];
}

/** What one pole will do with the alert. */
export interface PoleCoverage {
  id: string;
  /** The area test alone: inside, outside, or unchecked (no area the pole can test: it shows the alert). */
  area: AreaVerdict;
  /** What the pole will do on receipt: show it, cancel what it references, or ignore it (with why). */
  action: 'show' | 'cancel' | 'ignore';
  reason: string | null;
}

export interface CapCoverage {
  alert: { identifier: string; sender: string; sent: string; msgType: string; status: string; scope: string; headline: string | null; event: string | null };
  areas: AreaShape[];
  poles: PoleCoverage[];
  /** Ids of the poles that will show the alert (action `show`), in input order. */
  shows: string[];
  /** Ids of the poles that will act on it at all (show or cancel). */
  covered: string[];
}

export type CapCoverageResult = { ok: true; coverage: CapCoverage } | { ok: false; code: 'SP_CAP_MALFORMED'; detail: string };

function circleShape(text: string): { lat: number; lon: number; radiusKm: number } | null {
  const m = /^\s*(-?[\d.]+),(-?[\d.]+)\s+([\d.]+)\s*$/.exec(text);
  if (!m) return null;
  const [lat, lon, r] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return Number.isFinite(lat) && Number.isFinite(lon) && Number.isFinite(r) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? { lat, lon, radiusKm: r } : null;
}

/** The areas of the `<info>` block a zh screen would use (the first info if none is Chinese), as shapes. */
export function capAreaShapes(alert: CapAlert, language: 'zh' | 'en' = 'zh'): AreaShape[] {
  const picked = pickInfo(alert.info, language);
  return (picked?.primary.area ?? []).map((a) => ({
    areaDesc: a.areaDesc,
    polygons: a.polygon.map(parsePolygon).filter((p): p is [number, number][] => p !== null),
    circles: a.circle.map(circleShape).filter((c): c is NonNullable<typeof c> => c !== null),
    geocodes: a.geocode.map((g) => ({ valueName: g.valueName, value: g.value })),
  }));
}

/**
 * Coverage of an alert (CAP 1.2 XML, or one already parsed) over the given poles at time `now`
 * (ms; expiry is judged as the pole judges it, with `skewMs` of clock allowance, default 120 s).
 */
export function capCoverage(input: string | CapAlert, poles: readonly PoleSite[], o: { now: number; skewMs?: number }): CapCoverageResult {
  let alert: CapAlert;
  if (typeof input === 'string') {
    const r = parseCap(input);
    if (!r.ok) return { ok: false, code: 'SP_CAP_MALFORMED', detail: r.detail };
    alert = r.alert;
  } else {
    alert = input;
  }
  const out: PoleCoverage[] = poles.map((p) => {
    const language = p.language ?? 'zh';
    const place = { lat: p.lat, lon: p.lon, areaCode: p.areaCode };
    const info = pickInfo(alert.info, language);
    const area = info ? areasCover(info.primary.area, place) : 'unchecked';
    const d = decideCap(alert, { language, testMode: p.testMode ?? false, place }, { now: o.now, skewMs: o.skewMs ?? 120_000 });
    return { id: p.id, area, action: d.action, reason: d.action === 'ignore' ? `${d.reason}: ${d.detail}` : null };
  });
  const first = pickInfo(alert.info, 'zh')?.primary;
  return {
    ok: true,
    coverage: {
      alert: {
        identifier: alert.identifier, sender: alert.sender, sent: alert.sent, msgType: alert.msgType, status: alert.status, scope: alert.scope,
        headline: first?.headline ?? null, event: first?.event ?? null,
      },
      areas: capAreaShapes(alert),
      poles: out,
      shows: out.filter((p) => p.action === 'show').map((p) => p.id),
      covered: out.filter((p) => p.action !== 'ignore').map((p) => p.id),
    },
  };
}
