/**
 * NoticeLifecycle: the clock side of notices (docs/mqtt-api.md §Notices, §Uplink). Sends the `expired`
 * receipt once when a notice passes its expiry (stored and reported in one transaction, so a restart
 * neither loses nor repeats it) and prunes what no one needs any more: notices withdrawn or expired a
 * week ago (their versions stay, so a replay is still refused) and CAP bookkeeping after 30 days.
 */
import type { Logger } from 'pino';
import type { Db } from '../storage/database.js';
import type { Reporter } from '../uplink/reporter.js';
import type { CapRegistry } from './cap-registry.js';
import type { NoticeStore } from './notice-store.js';
import { periodic, type Periodic } from '../../lib/periodic.js';

export interface NoticeLifecycleOptions {
  db: Db;
  store: NoticeStore;
  registry: CapRegistry;
  reporter: Reporter;
  logger: Logger;
  now: () => number;
  /** Called after notices expired (the screen re-selects). */
  onChange?: () => void;
  /** Check period. Default 5 s. */
  checkMs?: number;
  keepDays?: number;
}

const DAY = 86_400_000;

export class NoticeLifecycle {
  readonly stats = { expired: 0, pruned: 0 };
  private readonly timer: Periodic;
  private lastPrune = 0;
  private readonly log: Logger;

  constructor(private readonly o: NoticeLifecycleOptions) {
    this.log = o.logger.child({ service: 'notices' });
    this.timer = periodic(() => this.check(), o.checkMs ?? 5000);
  }

  start(): void {
    this.timer.start({ now: true });
  }

  stop(): void {
    this.timer.stop();
  }

  check(): void {
    const now = this.o.now();
    try {
      const expired = this.o.db.transaction(() => {
        const due = this.o.store.expiredUnreported(now);
        for (const n of due) {
          this.o.store.markExpiryReported(n.issuer, n.id, now);
          this.o.reporter.receipt({ kind: 'notice', id: n.id, issuer: n.issuer, version: n.version, status: 'expired' });
        }
        return due;
      })();
      if (expired.length) {
        this.stats.expired += expired.length;
        this.log.info({ ids: expired.map((n) => n.id) }, 'notices expired');
        this.o.onChange?.();
      }
      if (now - this.lastPrune >= 3_600_000) {
        this.lastPrune = now;
        const keep = (this.o.keepDays ?? 7) * DAY;
        const pruned = this.o.store.prune(now - keep);
        this.o.registry.prune(now - 30 * DAY);
        this.stats.pruned += pruned;
        if (pruned) this.log.info({ pruned }, 'old notices pruned');
      }
    } catch (e) {
      this.log.error({ err: (e as Error).message }, 'notice lifecycle check failed');
    }
  }
}
