/**
 * Builders for the transit pages. Live arrivals are shown only while the feed is fresh
 * (FRESHNESS.transitLive, 5 min); otherwise each line shows its timetable (frequency, first and
 * last bus) and the page says when the live feed stopped, so a stale feed never shows a bus that
 * has long gone (docs/screen.md §Data age).
 */
import type { ArrivalView, StopView, TransitPage, TransitStopPage } from '../../../display/page-model.js';
import { LINES_PER_STOP_PAGE, STOPS_PER_PAGE } from '../../../display/pages/transit.js';
import type { TransitData, TransitLine, TransitStop } from '../../../protocols/datasets.js';
import { t } from '../../../display/strings.js';
import { FRESHNESS, ageMark, freshness } from '../freshness.js';
import type { BuildContext, Fields } from './context.js';
import { distanceM, distanceText, formatTime, hhmm, loc, localWeekMinute, paginate } from './context.js';

function isLive(c: BuildContext, data: TransitData): boolean {
  return freshness(FRESHNESS.transitLive, Date.parse(data.updatedAt), c.now) === 'fresh';
}

function minutesText(ms: number, lang: 'zh' | 'en'): string {
  const min = Math.floor(ms / 60_000);
  if (min < 1) return lang === 'zh' ? '即将进站' : 'Arriving';
  return lang === 'zh' ? `${min} 分钟` : `${min} min`;
}

export function arrival(c: BuildContext, line: TransitLine, live: boolean): ArrivalView {
  const lang = c.session.lang;
  const label = line.name ? loc(line.name, lang) : line.line;
  const toward = loc(line.toward, lang);
  const upcoming = live ? line.arrivals.map((a) => Date.parse(a.at) - c.now).filter((d) => d >= -30_000).sort((a, b) => a - b) : [];
  if (upcoming.length) {
    const first = line.arrivals.find((a) => Date.parse(a.at) - c.now === upcoming[0]);
    const stops = first?.stopsAway !== undefined && upcoming[0]! >= 60_000 ? (lang === 'zh' ? ` · ${first.stopsAway}站` : ` · ${first.stopsAway} stops`) : '';
    return { line: label, toward, next: minutesText(Math.max(0, upcoming[0]!), lang) + stops, then: upcoming[1] !== undefined ? minutesText(upcoming[1], lang) : null, live: true };
  }
  const { minute } = localWeekMinute(c.now, c.timeZone);
  if (minute < hhmm(line.firstBus)) return { line: label, toward, next: lang === 'zh' ? `首班 ${line.firstBus}` : `First ${line.firstBus}`, then: null, live: false };
  if (minute > hhmm(line.lastBus)) return { line: label, toward, next: lang === 'zh' ? `已收班 · 首班 ${line.firstBus}` : `Ended · first ${line.firstBus}`, then: null, live: false };
  return { line: label, toward, next: lang === 'zh' ? `约 ${line.headwayMin} 分钟一班` : `Every ~${line.headwayMin} min`, then: null, live: false };
}

function stopView(c: BuildContext, s: TransitStop, live: boolean, lines = s.lines): StopView {
  return { id: s.id, name: loc(s.name, c.session.lang), kind: s.lines.every((l) => /号线|metro|line/i.test(l.line)) ? 'metro' : 'bus', distance: distanceText(distanceM(c.pole.lat, c.pole.lon, s.lat, s.lon), c.session.lang), lines: lines.map((l) => arrival(c, l, live)) };
}

function updatedText(c: BuildContext, data: TransitData, live: boolean): { updated: string; staleMark: string | null } {
  const lang = c.session.lang;
  const at = Date.parse(data.updatedAt);
  if (!live) return { updated: t(lang, 'timetableEstimate'), staleMark: t(lang, 'liveStopped', { when: ageMark(at, c.now, c.timeZone, lang) }) };
  return { updated: lang === 'zh' ? `实时到站 · 更新于 ${formatTime(at, c.timeZone)}` : `Live · updated ${formatTime(at, c.timeZone)}`, staleMark: null };
}

export function buildTransit(c: BuildContext): Fields<TransitPage> {
  const data = c.data.get('transit')?.data;
  if (!data) return { page: 'transit', stops: [], pager: { index: 1, count: 1 }, available: false, updated: null, staleMark: null };
  const live = isLive(c, data);
  const d = (s: TransitStop) => distanceM(c.pole.lat, c.pole.lon, s.lat, s.lon);
  const stops = [...data.stops].sort((a, b) => d(a) - d(b));
  const { items, pager } = paginate(stops, STOPS_PER_PAGE, c.session.view.page);
  return { page: 'transit', stops: items.map((s) => stopView(c, s, live)), pager, available: true, ...updatedText(c, data, live) };
}

/** null when the stop is no longer in the data set. */
export function buildTransitStop(c: BuildContext): Fields<TransitStopPage> | null {
  const data = c.data.get('transit')?.data;
  const s = data?.stops.find((x) => x.id === c.session.view.stopId);
  if (!data || !s) return null;
  const live = isLive(c, data);
  const { items, pager } = paginate(s.lines, LINES_PER_STOP_PAGE, c.session.view.page);
  return { page: 'transit-stop', stop: stopView(c, s, live, items), pager, ...updatedText(c, data, live) };
}
