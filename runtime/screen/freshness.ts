/**
 * How long each kind of live data may be shown as current (docs/screen.md §Data age). A figure
 * older than its window is either shown with its age ("更新于 10:42") or, past a second limit,
 * not shown at all: the screen never presents old data as if it were current.
 */
import type { Language } from '../../display/page-model.js';
import { formatDate, formatTime } from './build/context.js';

export interface FreshnessRule {
  /** Shown without a mark while younger than this. */
  freshMs: number;
  /** Not shown at all once older than this (null: shown with its age however old). */
  dropMs: number | null;
}

export const FRESHNESS = {
  /** Hourly observations: a 3-hour-old reading still describes the weather; a day-old one does not. */
  weather: { freshMs: 3 * 3600_000, dropMs: 24 * 3600_000 },
  /**
   * Live bus/metro predictions: 5 minutes (a bus moves ≈ 2 km in that time). Older predictions are
   * never shown: each line falls back to its timetable, and the page says when the feed stopped.
   */
  transitLive: { freshMs: 5 * 60_000, dropMs: 5 * 60_000 },
} as const satisfies Record<string, FreshnessRule>;

export type FreshnessState = 'fresh' | 'stale' | 'dropped';

export function freshness(rule: FreshnessRule, observedAt: number, now: number): FreshnessState {
  const age = now - observedAt;
  if (age <= rule.freshMs) return 'fresh';
  return rule.dropMs !== null && age > rule.dropMs ? 'dropped' : 'stale';
}

/** "更新于 10:42" / "updated 10:42"; with the date when it is not today's. */
export function ageMark(observedAt: number, now: number, timeZone: string, lang: Language): string {
  const sameDay = formatDate(observedAt, timeZone, lang) === formatDate(now, timeZone, lang);
  const when = sameDay ? formatTime(observedAt, timeZone) : formatDate(observedAt, timeZone, lang, true);
  return lang === 'zh' ? `更新于 ${when}` : `updated ${when}`;
}
