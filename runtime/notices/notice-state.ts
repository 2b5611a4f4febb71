/**
 * Where a held notice stands now (docs/mqtt-api.md §Commands `notice.list`, docs/console.md
 * `notices`): one vocabulary for the MQTT command and the technician console.
 */
import type { StoredNotice } from './notice-store.js';
import { inDaypart, isActive, selectPlaylist } from './scheduler.js';
import { sameNoticeId, type NoticeRef } from './notice-ref.js';

export type NoticeState = 'playing' | 'active' | 'outranked' | 'outside-daypart' | 'scheduled' | 'expired' | 'withdrawn';

/** `tier`: the playlist in force (selectPlaylist); `onScreen`: id of the notice on screen, if any. */
export function noticeState(n: StoredNotice, now: number, timeZone: string, tier: readonly NoticeRef[], onScreen: string | null): NoticeState {
  if (n.withdrawnAt !== null) return 'withdrawn';
  if (n.expiryReportedAt != null || (n.expiresAt !== null && n.expiresAt <= now)) return 'expired';
  if (n.validFrom > now) return 'scheduled';
  if (!inDaypart(n, now, timeZone)) return 'outside-daypart';
  if (!tier.some((t) => sameNoticeId(t, n))) return 'outranked';
  return n.id === onScreen ? 'playing' : 'active';
}

/** Every held notice's state now. */
export function noticeStates(held: readonly StoredNotice[], now: number, timeZone: string, onScreen: string | null): NoticeState[] {
  const tier = selectPlaylist(held.filter((n) => isActive(n, now)), now, timeZone).items;
  return held.map((n) => noticeState(n, now, timeZone, tier, onScreen));
}
