/**
 * `notice.list` (docs/mqtt-api.md §Commands): the notices a pole holds, what plays now and why the
 * rest do not.
 */
import { z } from 'zod';
import type { CommandRegistry } from '../commands/registry.js';
import type { NoticeStore } from './notice-store.js';
import { isActive, selectPlaylist } from './scheduler.js';
import { noticeState } from './notice-state.js';

export interface NoticeCommandDeps {
  store: NoticeStore;
  timeZone: string;
  now: () => number;
  /** Id of the notice on screen now (ScreenService's page model), if any. */
  onScreen: () => string | null;
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
      const onScreen = d.onScreen();
      const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
      const rows = held
        .map((n) => ({ n, state: noticeState(n, now, d.timeZone, playlist.items, onScreen) }))
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
