/**
 * What page builders read: the session, the clock, the stores and providers, and the display's
 * geometry and text measurement (paging must measure exactly as drawing does). Plus the small
 * formatters every page shares (distance, walking time, dates), in both languages.
 */
import type { Clock, Language, PageModel } from '../../../display/page-model.js';
import type { ScreenGeometry } from '../../../display/geometry.js';
import type { TextMeasure } from '../../../display/text/measure.js';
import type { Text } from '../../../protocols/datasets.js';
import type { StoredNotice } from '../../notices/notice-store.js';
import type { TypedDataSets } from '../../data/typed-datasets.js';
import type { FeedbackService } from '../../feedback/feedback-service.js';
import type { FeedbackCategoriesData } from '../../../protocols/datasets.js';
import type { FieldStatusProvider } from '../field-view.js';
import type { PlaceSearch } from '../place-search.js';
import type { UiSession } from '../ui-session.js';

export interface ScreenLinks {
  /** QR target for a ticket; `{ticket}` and `{poleId}` are filled in. */
  feedbackUrl: string;
  /** QR target for a place without its own URL; `{lat}`, `{lon}` filled in. */
  mapUrl: string;
}

export interface BuildContext {
  session: UiSession;
  now: number;
  clock: Clock;
  timeZone: string;
  g: ScreenGeometry;
  tm: TextMeasure;
  pole: { id: string; address: string; lat: number; lon: number };
  /** The attract loop's current notice and place in the rotation (the scheduler's order). */
  rotation: { notice: StoredNotice | null; index: number; count: number };
  /** Every notice in force now, for the notices pages. */
  notices: () => StoredNotice[];
  data: TypedDataSets;
  search: PlaceSearch;
  feedback: FeedbackService;
  feedbackCategories: () => FeedbackCategoriesData;
  field: FieldStatusProvider | null;
  links: ScreenLinks;
  /** Service category ids for the elder home page, most used first (config screen.elder.services). */
  elderServices: readonly string[];
}

export function loc(t: Text | { zh: string; en?: string | undefined }, lang: Language): string {
  return (lang === 'en' && t.en) || t.zh;
}

/** Great-circle distance in metres (haversine). */
export function distanceM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const R = 6_371_000;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(a));
}

/** "350 m" / "1.2 km". */
export function formatDistance(m: number): string {
  return m < 1000 ? `${Math.max(10, Math.round(m / 10) * 10)} m` : `${(m / 1000).toFixed(m < 10_000 ? 1 : 0)} km`;
}

/** Walking time: streets are ≈ 1.3 × the straight line, at 80 m/min. */
export function walkMinutes(m: number): number {
  return Math.max(1, Math.round((m * 1.3) / 80));
}

export function distanceText(m: number, lang: Language, withWalk = false): string {
  const d = formatDistance(m);
  if (!withWalk) return d;
  return lang === 'zh' ? `距此 ${d} · 步行约 ${walkMinutes(m)} 分钟` : `${d} away · about ${walkMinutes(m)} min walk`;
}

export function formatDate(ms: number, timeZone: string, lang: Language, withTime = false): string {
  const d = new Date(ms);
  if (lang === 'zh') {
    const s = new Intl.DateTimeFormat('zh-CN', { timeZone, month: 'numeric', day: 'numeric' }).format(d);
    return withTime ? `${s} ${formatTime(ms, timeZone)}` : s;
  }
  const s = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short' }).format(d);
  return withTime ? `${s} ${formatTime(ms, timeZone)}` : s;
}

export function formatTime(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms));
}

/** Local weekday (1 = Monday) and minute of day. */
export function localWeekMinute(ms: number, timeZone: string): { weekday: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms));
  const wd = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.find((p) => p.type === 'weekday')!.value) + 1;
  return { weekday: wd, minute: Number(parts.find((p) => p.type === 'hour')!.value) * 60 + Number(parts.find((p) => p.type === 'minute')!.value) };
}

export const hhmm = (s: string): number => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

/** Splits a list into pages; returns the items of `page` (1-based, clamped) and the pager. */
export function paginate<T>(items: readonly T[], perPage: number, page: number): { items: T[]; pager: { index: number; count: number } } {
  const count = Math.max(1, Math.ceil(items.length / perPage));
  const index = Math.max(1, Math.min(count, page));
  return { items: items.slice((index - 1) * perPage, index * perPage), pager: { index, count } };
}

export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(String(vars[k] ?? '')));
}

/** What a page builder returns: the page's own fields (the session adds language, clock, press and idle state). */
export type Fields<P extends PageModel> = Omit<P, 'hits' | 'lang' | 'clock' | 'pressed' | 'idle'>;
