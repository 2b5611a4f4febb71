/**
 * Proof of play (docs/mqtt-api.md §Proof of play; Xibo's hourly aggregation, docs/background.md §Signage and legibility): per notice and
 * hour, how often it came on screen and for how many seconds, from the frames the board actually
 * presented (the presenter's `presented` events carry the NoticeRef ScreenService gave the frame).
 * A play that crosses an hour is split; an hour's record goes out once the hour has closed, in
 * batches of at most 50 notices. Counts live in SQLite (`proof_of_play`): plays are written at
 * once, seconds at least every minute, so a crash loses under a minute of on-screen time.
 */
import type { Logger } from 'pino';
import { zoneOffsetMinutes } from '../../protocols/time.js';
import type { Db } from '../storage/database.js';
import type { Reporter } from '../uplink/reporter.js';
import { sameNotice, type NoticeRef } from './notice-ref.js';

export interface ProofOfPlayOptions {
  db: Db;
  reporter: Reporter;
  logger: Logger;
  timeZone: string;
  now: () => number;
  /** How often seconds are written and closed hours sent. Default 60 s. */
  flushMs?: number;
}

interface Current { ref: NoticeRef; accountedTo: number }

const HOUR = 3_600_000;

export class ProofOfPlay {
  private current: Current | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly addStmt;
  private readonly closedStmt;
  private readonly deleteStmt;
  private readonly log: Logger;

  constructor(private readonly o: ProofOfPlayOptions) {
    this.log = o.logger.child({ service: 'proof-of-play' });
    this.addStmt = o.db.prepare(`INSERT INTO proof_of_play (hour_start, issuer, id, version, plays, seconds) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(hour_start, issuer, id, version) DO UPDATE SET plays = plays + excluded.plays, seconds = seconds + excluded.seconds`);
    this.closedStmt = o.db.prepare<[number], { hour_start: number; issuer: string; id: string; version: number; plays: number; seconds: number }>(
      'SELECT * FROM proof_of_play WHERE hour_start + 3600000 <= ? ORDER BY hour_start, issuer, id, version');
    this.deleteStmt = o.db.prepare('DELETE FROM proof_of_play WHERE hour_start = ?');
  }

  /** Local hour start (the pole's time zone; zones with :30 offsets have their own hours). */
  hourStart(ms: number): number {
    const off = zoneOffsetMinutes(this.o.timeZone, ms) * 60_000;
    return Math.floor((ms + off) / HOUR) * HOUR - off;
  }

  start(): void {
    this.timer = setInterval(() => this.flush(), this.o.flushMs ?? 60_000);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    try { this.account(this.o.now()); } catch { /* database closing */ }
  }

  /** A frame reached the board; `ref` names the notice on it (undefined: none). */
  onPresented(ref: NoticeRef | undefined, at = this.o.now()): void {
    if (this.current ? sameNotice(this.current.ref, ref) : !ref) return;
    this.o.db.transaction(() => {
      this.account(at);
      this.current = null;
      if (ref) {
        this.current = { ref, accountedTo: at };
        this.addStmt.run(this.hourStart(at), ref.issuer, ref.id, ref.version, 1, 0);
      }
    })();
  }

  /** Writes on-screen seconds so far and sends every closed hour. */
  flush(now = this.o.now()): void {
    try {
      this.o.db.transaction(() => {
        this.account(now);
        const rows = this.closedStmt.all(now);
        const byHour = new Map<number, typeof rows>();
        for (const r of rows) byHour.set(r.hour_start, [...(byHour.get(r.hour_start) ?? []), r]);
        for (const [hour, items] of byHour) {
          for (let i = 0; i < items.length; i += 50) {
            this.o.reporter.proofOfPlay(hour, hour + HOUR, items.slice(i, i + 50).map((r) => ({
              id: r.id, issuer: r.issuer, version: r.version, plays: r.plays, seconds: Math.round(r.seconds * 10) / 10,
            })));
          }
          this.deleteStmt.run(hour);
        }
      })();
    } catch (e) {
      this.log.error({ err: (e as Error).message }, 'proof-of-play flush failed');
    }
  }

  private account(to: number): void {
    const c = this.current;
    if (!c || to <= c.accountedTo) return;
    let from = c.accountedTo;
    while (from < to) {
      const h = this.hourStart(from);
      const end = Math.min(to, h + HOUR);
      this.addStmt.run(h, c.ref.issuer, c.ref.id, c.ref.version, 0, (end - from) / 1000);
      from = end;
    }
    c.accountedTo = to;
  }
}
