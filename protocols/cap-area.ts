/**
 * Does a CAP `<area>` cover this pole? (CAP 1.2 §3.2.4; GB/T 35965.1 area codes.)
 * - geocode: a 6-digit GB/T 2260 code covers its own hierarchy: `420000` (Hubei) covers every
 *   `42xxxx`, `420100` (Wuhan) covers every `4201xx`, `420102` (Jiang'an) only itself; `000000` is
 *   the whole country. Longer township codes (GB/T 10114) starting with the pole's code count as a
 *   match: the pole cannot tell which township it stands in, and a warning shown slightly too wide
 *   is the safer error on a public screen.
 * - polygon: "lat,lon lat,lon …" (WGS 84, first point = last), point-in-polygon by ray casting.
 * - circle: "lat,lon radius" with the radius in km, great-circle distance.
 * An area with only `areaDesc` cannot be checked and counts as covering (the topic already targets).
 */
import type { CapArea } from './cap.js';

export interface PolePlace {
  lat: number;
  lon: number;
  /** GB/T 2260 code of the pole's county/district, e.g. 420102. */
  areaCode?: string | undefined;
}

export type AreaVerdict = 'inside' | 'outside' | 'unchecked';

/** Geocode value names we read as GB/T 2260 administrative codes (any 6+ digit value qualifies). */
const ADMIN_CODE = /^\d{6}(\d{3})?(\d{3})?$/;

export function codeCovers(alertCode: string, poleCode: string): boolean {
  if (!ADMIN_CODE.test(alertCode) || !/^\d{6}$/.test(poleCode)) return false;
  if (alertCode.length > 6) return alertCode.startsWith(poleCode);
  if (alertCode === '000000') return true;
  if (alertCode.endsWith('0000')) return poleCode.startsWith(alertCode.slice(0, 2));
  if (alertCode.endsWith('00')) return poleCode.startsWith(alertCode.slice(0, 4));
  return alertCode === poleCode;
}

function parsePoint(s: string): [number, number] | null {
  const [a, b, ...rest] = s.split(',');
  if (rest.length || a === undefined || b === undefined) return null;
  const lat = Number(a);
  const lon = Number(b);
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return [lat, lon];
}

export function parsePolygon(text: string): [number, number][] | null {
  const pts = text.trim().split(/\s+/).map(parsePoint);
  if (pts.length < 4 || pts.some((p) => p === null)) return null;
  return pts as [number, number][];
}

export function pointInPolygon(lat: number, lon: number, poly: readonly [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [yi, xi] = poly[i]!;
    const [yj, xj] = poly[j]!;
    if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 6371.0088 * 2 * Math.asin(Math.min(1, Math.sqrt(a)));
}

export function circleContains(text: string, lat: number, lon: number): boolean | null {
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(text);
  if (!m) return null;
  const centre = parsePoint(m[1]!);
  const r = Number(m[2]);
  if (!centre || !Number.isFinite(r) || r < 0) return null;
  return distanceKm(centre[0], centre[1], lat, lon) <= r;
}

export function areaCovers(area: CapArea, pole: PolePlace): AreaVerdict {
  let checked = false;
  for (const g of area.geocode) {
    if (!ADMIN_CODE.test(g.value)) continue;
    if (!pole.areaCode) continue;
    checked = true;
    if (codeCovers(g.value, pole.areaCode)) return 'inside';
  }
  for (const p of area.polygon) {
    const poly = parsePolygon(p);
    if (!poly) continue;
    checked = true;
    if (pointInPolygon(pole.lat, pole.lon, poly)) return 'inside';
  }
  for (const c of area.circle) {
    const hit = circleContains(c, pole.lat, pole.lon);
    if (hit === null) continue;
    checked = true;
    if (hit) return 'inside';
  }
  return checked ? 'outside' : 'unchecked';
}

/** Any area inside → inside; all checkable areas outside → outside; no areas or none checkable → unchecked. */
export function areasCover(areas: readonly CapArea[], pole: PolePlace): AreaVerdict {
  let verdict: AreaVerdict = 'unchecked';
  for (const a of areas) {
    const v = areaCovers(a, pole);
    if (v === 'inside') return 'inside';
    if (v === 'outside') verdict = 'outside';
  }
  return verdict;
}
