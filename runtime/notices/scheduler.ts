/**
 * Decides which notices the screen plays now (docs/mqtt-api.md §Notices, Xibo-style): only notices
 * inside their validity window and daypart play; of those, only the highest priority tier; within the
 * tier, newest first. Pure: the caller passes the time, so tests run on a fake clock.
 */
import { PRIORITY_RANK, type NoticePriority } from '../../protocols/notice.js';
import { localWeekMinute } from '../../protocols/time.js';
import type { StoredNotice } from './notice-store.js';

export interface Playlist {
  tier: NoticePriority | null;
  items: StoredNotice[];
}

const TIERS: NoticePriority[] = ['emergency', 'high', 'normal', 'low'];

const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function inDaypart(n: StoredNotice, ms: number, timeZone: string): boolean {
  const parts = n.payload.dayparts;
  if (!parts || parts.length === 0) return true;
  const { weekday, minute } = localWeekMinute(ms, timeZone);
  return parts.some((p) => {
    const from = toMin(p.from);
    const to = toMin(p.to);
    // A window that wraps midnight (22:00–06:00) belongs to the day it starts on.
    if (from <= to) return p.days.includes(weekday) && minute >= from && minute < to;
    const yesterday = weekday === 1 ? 7 : weekday - 1;
    return (p.days.includes(weekday) && minute >= from) || (p.days.includes(yesterday) && minute < to);
  });
}

export function isActive(n: StoredNotice, ms: number): boolean {
  return n.withdrawnAt === null && n.validFrom <= ms && (n.expiresAt === null || n.expiresAt > ms);
}

export function selectPlaylist(notices: readonly StoredNotice[], ms: number, timeZone: string): Playlist {
  const playable = notices.filter((n) => isActive(n, ms) && inDaypart(n, ms, timeZone));
  for (const tier of TIERS) {
    const items = playable
      .filter((n) => n.payload.priority === tier)
      .sort((a, b) => Date.parse(b.payload.issuedAt) - Date.parse(a.payload.issuedAt) || a.id.localeCompare(b.id));
    if (items.length) return { tier, items };
  }
  return { tier: null, items: [] };
}

export const tierRank = (t: NoticePriority | null): number => (t ? PRIORITY_RANK[t] : -1);
