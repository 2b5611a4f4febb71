/**
 * Sending and withdrawing notices (docs/ops-console.md §Notices): signed with the console's key,
 * retained on the notice topic of each target. One target (all, or one group) goes on its own
 * topic; several groups or several poles go to each pole of their union on its pole topic, so a
 * pole in two chosen groups gets the notice once (one id and version, one audience per pole).
 */
import type { OpsApp } from '../app.js';
import { audienceOfTarget } from '../../../protocols/audience.js';
import { noticeTopic, type NoticeTarget } from '../../../protocols/topics.js';
import type { NoticeDraft, NoticePayload } from '../../../protocols/notice.js';
import { completeNotice, sign, withdrawal } from '../../sign.js';
import type { FleetStore } from '../fleet/fleet-store.js';
import type { DeliveryStore } from './delivery-store.js';
import type { NoticeLog, SentNotice } from './notice-log.js';
import { serveError } from '../errors.js';

/** What is actually published: the composed targets, with several groups expanded to their poles. */
export function publishTargets(targets: readonly NoticeTarget[], fleet: FleetStore): NoticeTarget[] {
  if (targets.length === 1) return [...targets];
  const poles = new Set<string>();
  for (const t of targets) for (const p of fleet.members(t)) poles.add(p);
  return [...poles].sort().map((poleId) => ({ scope: 'pole', poleId }));
}

export function polesOf(targets: readonly NoticeTarget[], fleet: FleetStore): string[] {
  const poles = new Set<string>();
  for (const t of targets) for (const p of fleet.members(t)) poles.add(p);
  return [...poles].sort();
}

export interface NoticeDeps { app: OpsApp; fleet: FleetStore; deliveries: DeliveryStore; log: NoticeLog }

export async function sendNotice(d: NoticeDeps, draft: NoticeDraft, composed: readonly NoticeTarget[], username: string): Promise<NoticePayload> {
  const { app } = d;
  const now = app.now();
  const targets = publishTargets(composed, d.fleet);
  if (!targets.length) throw serveError('SP_SERVE_BAD_REQUEST', { field: 'groups' }, { message: 'none of the chosen groups has a pole the console knows' });
  const base = completeNotice(draft, now);
  // Track first: a receipt can come back before the last PUBACK of a large send.
  d.deliveries.track(base.id, 'notice', base.version, polesOf(targets, d.fleet));
  d.log.add({ payload: base, targets, createdBy: username, sentAt: new Date(now).toISOString() });
  try {
    await Promise.all(targets.map((t) => app.link.publish(noticeTopic(app.prefix, t, base.id), JSON.stringify(sign(base, app.key, audienceOfTarget(t))), { retain: true })));
  } catch (e) {
    // Nothing (or not everything) reached the broker: record it as withdrawn so the board does not wait for receipts.
    d.log.withdrawn(base.id, username, new Date(app.now()).toISOString(), `not sent: ${(e as { code?: string }).code ?? (e as Error).message}`);
    app.audit.record(username, 'notice.send-failed', { type: 'notice', id: base.id }, { code: (e as { code?: string }).code });
    throw e;
  }
  app.audit.record(username, 'notice.send', { type: 'notice', id: base.id }, {
    version: base.version, priority: base.priority, title: base.title.zh, targets: targets.length > 10 ? `${targets.length} poles` : targets.map((t) => audienceOfTarget(t)),
  });
  app.live.changed('notices');
  return base;
}

export async function withdrawNotice(d: NoticeDeps, n: SentNotice, reason: string | null, username: string): Promise<void> {
  const { app } = d;
  const now = app.now();
  const w = withdrawal(n.id, now, reason ?? undefined);
  d.deliveries.withdrawing(n.id, w.version);
  await Promise.all(n.targets.map((t) => app.link.publish(noticeTopic(app.prefix, t, n.id), JSON.stringify(sign(w, app.key, audienceOfTarget(t))), { retain: true })));
  d.log.withdrawn(n.id, username, new Date(now).toISOString(), reason);
  app.audit.record(username, 'notice.withdraw', { type: 'notice', id: n.id }, { version: w.version, ...(reason ? { reason } : {}) });
  app.live.changed('notices');
  app.live.changed(`notice:${n.id}`);
}
