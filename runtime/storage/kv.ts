import type { Db } from './database.js';

/** Durable key/value pairs for small state (counters, last-seen values). */
export class KvStore {
  private readonly getStmt;
  private readonly setStmt;
  constructor(db: Db) {
    this.getStmt = db.prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?');
    this.setStmt = db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  }
  get(key: string): string | undefined {
    return this.getStmt.get(key)?.value;
  }
  set(key: string, value: string): void {
    this.setStmt.run(key, value);
  }
  /** Increments an integer counter and returns the new value. */
  increment(key: string): number {
    const n = Number(this.get(key) ?? '0') + 1;
    this.set(key, String(n));
    return n;
  }
}
