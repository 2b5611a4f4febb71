/** The notices the console sent (docs/ops-console.md §Notices): what, to whom, by whom, and withdrawal. */
import type { OpsDb } from '../store.js';
import type { NoticePayload } from '../../../protocols/notice.js';
import type { NoticeTarget } from '../../../protocols/topics.js';

export interface SentNotice {
  id: string;
  version: number;
  state: 'sent' | 'withdrawn';
  targets: NoticeTarget[];
  payload: NoticePayload;
  createdBy: string;
  sentAt: string;
  withdrawnBy: string | null;
  withdrawnAt: string | null;
  withdrawReason: string | null;
}

interface Row { id: string; version: number; state: 'sent' | 'withdrawn'; targets: string; payload: string; created_by: string; sent_at: string; withdrawn_by: string | null; withdrawn_at: string | null; withdraw_reason: string | null }

const toNotice = (r: Row): SentNotice => ({
  id: r.id, version: r.version, state: r.state, targets: JSON.parse(r.targets) as NoticeTarget[], payload: JSON.parse(r.payload) as NoticePayload,
  createdBy: r.created_by, sentAt: r.sent_at, withdrawnBy: r.withdrawn_by, withdrawnAt: r.withdrawn_at, withdrawReason: r.withdraw_reason,
});

export class NoticeLog {
  constructor(private readonly db: OpsDb) {}

  add(n: { payload: NoticePayload; targets: NoticeTarget[]; createdBy: string; sentAt: string }): void {
    this.db.prepare("INSERT INTO notices (id, version, state, targets, payload, created_by, sent_at) VALUES (?, ?, 'sent', ?, ?, ?, ?)")
      .run(n.payload.id, n.payload.version, JSON.stringify(n.targets), JSON.stringify(n.payload), n.createdBy, n.sentAt);
  }

  withdrawn(id: string, by: string, at: string, reason: string | null): void {
    this.db.prepare("UPDATE notices SET state = 'withdrawn', withdrawn_by = ?, withdrawn_at = ?, withdraw_reason = ? WHERE id = ?").run(by, at, reason, id);
  }

  get(id: string): SentNotice | null {
    const r = this.db.prepare('SELECT * FROM notices WHERE id = ?').get(id) as Row | undefined;
    return r ? toNotice(r) : null;
  }

  list(limit = 200): SentNotice[] {
    return (this.db.prepare('SELECT * FROM notices ORDER BY sent_at DESC LIMIT ?').all(limit) as Row[]).map(toNotice);
  }
}

export function targetLabel(t: NoticeTarget): string {
  return t.scope === 'all' ? '全部 all' : t.scope === 'group' ? `group:${t.group}` : `pole:${t.poleId}`;
}
