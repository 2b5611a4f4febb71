/** The console's audit log: who sent, approved, withdrew, replied to what (docs/ops-console.md §Audit). */
import type { OpsDb } from './store.js';

export interface AuditEntry {
  id: number;
  at: string;
  username: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  detail: Record<string, unknown> | null;
}

export class AuditLog {
  constructor(private readonly db: OpsDb, private readonly now: () => number = Date.now) {}

  /** Records one step. `action` is dotted (`notice.send`, `alert.approve`, `login.failed`); detail holds no secrets. */
  record(username: string | null, action: string, object?: { type: string; id: string }, detail?: Record<string, unknown>): void {
    this.db.prepare('INSERT INTO audit (at, username, action, object_type, object_id, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(new Date(this.now()).toISOString(), username, action, object?.type ?? null, object?.id ?? null, detail ? JSON.stringify(detail) : null);
  }

  list(o: { objectType?: string; objectId?: string; limit?: number; before?: number } = {}): AuditEntry[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (o.objectType) { where.push('object_type = ?'); args.push(o.objectType); }
    if (o.objectId) { where.push('object_id = ?'); args.push(o.objectId); }
    if (o.before) { where.push('id < ?'); args.push(o.before); }
    const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, Math.min(o.limit ?? 200, 1000)) as { id: number; at: string; username: string | null; action: string; object_type: string | null; object_id: string | null; detail: string | null }[];
    return rows.map((r) => ({ id: r.id, at: r.at, username: r.username, action: r.action, objectType: r.object_type, objectId: r.object_id, detail: r.detail ? JSON.parse(r.detail) as Record<string, unknown> : null }));
  }
}
