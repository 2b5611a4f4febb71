/**
 * The operator's override (TALQ OverrideCommand: the last one received wins; one without a target
 * returns the lamp to its schedule). Persisted, so an override survives a restart until it expires.
 */
import type { Db } from '../storage/database.js';

export interface LampOverride {
  level: number;
  /** Epoch ms when the schedule resumes; null = until lamp.resume. */
  until: number | null;
  rampSec: number | null;
  setAt: number;
  source: string;
  principal: string | null;
}

export class OverrideStore {
  constructor(private readonly db: Db) {}

  get(): LampOverride | null {
    const r = this.db.prepare('SELECT level, until_ms AS until, ramp_sec AS rampSec, set_at AS setAt, source, principal FROM lamp_override WHERE id = 1').get() as LampOverride | undefined;
    return r ?? null;
  }

  /** Stores the override; `also` runs in the same transaction (its event record: one commit). */
  set(o: LampOverride, also?: () => void): void {
    this.db.transaction(() => {
      this.write(o);
      also?.();
    })();
  }

  private write(o: LampOverride): void {
    this.db.prepare(`INSERT INTO lamp_override (id, level, until_ms, ramp_sec, set_at, source, principal) VALUES (1, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET level = excluded.level, until_ms = excluded.until_ms, ramp_sec = excluded.ramp_sec, set_at = excluded.set_at,
      source = excluded.source, principal = excluded.principal`).run(o.level, o.until, o.rampSec, o.setAt, o.source, o.principal);
  }

  clear(): boolean {
    return this.db.prepare('DELETE FROM lamp_override WHERE id = 1').run().changes > 0;
  }

  /** The override in force at t; an expired one is removed. */
  active(t: number): LampOverride | null {
    const o = this.get();
    if (o && o.until !== null && o.until <= t) {
      this.clear();
      return null;
    }
    return o;
  }
}
