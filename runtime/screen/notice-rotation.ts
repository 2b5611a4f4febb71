/**
 * The attract loop's rotation through the scheduler's playlist (runtime/notices/scheduler.ts):
 * each notice stays `durationSec`, then the next. A notice that arrives while another is showing
 * goes on screen at once (an emergency pre-empts; a new notice is seen without waiting its turn);
 * otherwise the current one keeps its turn when the playlist is re-selected.
 */
import type { NoticeStore, StoredNotice } from '../notices/notice-store.js';
import { selectPlaylist, type Playlist } from '../notices/scheduler.js';
import { sameNotice } from '../notices/notice-ref.js';

export class NoticeRotation {
  private playlist: Playlist = { tier: null, items: [] };
  private index = 0;
  private shownSince = 0;

  constructor(private readonly store: NoticeStore, private readonly timeZone: string) {}

  /** Re-selects the playlist (notices changed, or time passed). */
  refresh(now: number): void {
    const prev = this.playlist.items[this.index];
    const before = this.playlist.items;
    this.playlist = selectPlaylist(this.store.active(now), now, this.timeZone);
    const items = this.playlist.items;
    let arrival = -1;
    items.forEach((n, i) => {
      if (!before.some((b) => sameNotice(b, n)) && (arrival < 0 || n.receivedAt >= items[arrival]!.receivedAt)) arrival = i;
    });
    const keep = prev ? items.findIndex((n) => sameNotice(n, prev)) : -1;
    if (arrival >= 0 || keep < 0) {
      this.index = Math.max(0, arrival);
      this.shownSince = now;
    } else {
      this.index = keep;
    }
  }

  /** Moves to the next notice when the current one's turn is over, then re-selects. */
  tick(now: number): void {
    const items = this.playlist.items;
    const current = items[this.index];
    if (current && items.length > 1 && now - this.shownSince >= current.payload.durationSec * 1000) {
      this.index = (this.index + 1) % items.length;
      this.shownSince = now;
    }
    this.refresh(now);
  }

  get current(): StoredNotice | null {
    return this.playlist.items[this.index] ?? null;
  }

  get emergency(): StoredNotice | null {
    return this.playlist.tier === 'emergency' ? this.current : null;
  }

  get position(): { index: number; count: number } {
    return { index: this.index + 1, count: this.playlist.items.length };
  }
}
