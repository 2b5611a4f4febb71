/**
 * `notice.list` (docs/mqtt-api.md §Commands): the notices a pole holds, what plays now and why the
 * rest do not.
 */
import { z } from 'zod';
import type { CommandRegistry } from '../commands/registry.js';
import type { NoticeStore, StoredNotice } from './notice-store.js';
import { inDaypart, isActive, selectPlaylist } from './scheduler.js';

export type NoticeState = 'playing' | 'active' | 'outranked' | 'outside-daypart' | 'scheduled' | 'expired' | 'withdrawn';

export interface NoticeCommandDeps {
  store: NoticeStore;
  timeZone: string;
  now: () => number;
  /** Id of the notice on screen now (ScreenService's page model), if any. */
  onScreen: () => string | null;
}

export function noticeState(n: StoredNotice, now: number, timeZone: string, tierIds: ReadonlySet<string>, onScreen: string | null): NoticeState {
  if (n.withdrawnAt !== null) return 'withdrawn';
  if (n.expiryReportedAt != null || (n.expiresAt !== null && n.expiresAt <= now)) return 'expired';
  if (n.validFrom > now) return 'scheduled';
  if (!inDaypart(n, now, timeZone)) return 'outside-daypart';
  if (!tierIds.has(`${n.issuer}\u0000${n.id}`)) return 'outranked';
  return n.id === onScreen ? 'playing' : 'active';
}

export function registerNoticeCommands(reg: CommandRegistry, d: NoticeCommandDeps): void {
  reg.register({
    name: 'notice.list',
    description: 'notices held: state (playing, active, outranked, outside-daypart, scheduled, expired, withdrawn), validity, origin',
    args: z.strictObject({ all: z.boolean().default(false), limit: z.number().int().min(1).max(500).default(100) }),
    run: (a) => {
      const now = d.now();
      const held = d.store.all(5000);
      const playlist = selectPlaylist(held.filter((n) => isActive(n, now)), now, d.timeZone);
      const tierIds = new Set(playlist.items.map((n) => `${n.issuer}\u0000${n.id}`));
      const onScreen = d.onScreen();
      const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
      const rows = held
        .map((n) => ({ n, state: noticeState(n, now, d.timeZone, tierIds, onScreen) }))
        .filter((x) => a.all || (x.state !== 'expired' && x.state !== 'withdrawn'))
        .slice(0, a.limit)
        .map(({ n, state }) => ({
          id: n.id, issuer: n.issuer, version: n.version, priority: n.payload.priority, state, title: n.payload.title,
          validFrom: iso(n.validFrom), expiresAt: iso(n.expiresAt), withdrawnAt: iso(n.withdrawnAt), firstDisplayedAt: iso(n.firstDisplayedAt),
          topic: n.topic, ...(n.origin ? { origin: n.origin } : {}),
        }));
      return { tier: playlist.tier, playing: onScreen, count: rows.length, held: held.length, notices: rows };
    },
  });
}
