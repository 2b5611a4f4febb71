/**
 * Emergency alerts in the console (docs/ops-console.md §Emergency alerts): CAP text in, a draft
 * chain, the four-eyes steps (ops/serve/alerts/alert-machine.ts), and each revision signed
 * server-side and published retained on its chain's notice topic (docs/mqtt-api.md §CAP). A step
 * is stored with its audit entry only after the broker took the message: a refused publish leaves
 * the chain as it was, and the operator sees the error.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { Audience } from '../../../protocols/audience.js';
import { capExpires } from '../../../protocols/cap-notice.js';
import { noticeTopic } from '../../../protocols/topics.js';
import { parseTarget } from '../../commands/notice.js';
import type { SigningKey } from '../../keys.js';
import { sign } from '../../sign.js';
import type { Operator } from '../auth/operator.js';
import { AlertState, applyAlertAction, openRevision, sentRevisions, type AlertAction, type AlertAudit, type AlertChain, type AlertStep } from './alert-machine.js';
import { AlertStore, type AlertSummary } from './alert-store.js';
import { capPayloadOf, checkCapXml, checkNewAlert, revisionFields, writeFollowUp, type FollowUpEdits } from './cap-draft.js';
import { capCoverage, type Coverage, type KnownPole } from './coverage.js';
import { alertError } from './errors.js';

export interface AlertDeps {
  store: AlertStore;
  prefix: string;
  key: () => SigningKey;
  /** Publishes retained at QoS 1; resolves on the broker's PUBACK. */
  publish: (topic: string, body: string) => Promise<void>;
  /** The fleet as the console knows it (births): for the coverage preview. */
  poles: () => readonly KnownPole[];
  audit: (entry: AlertAudit | (Omit<AlertAudit, 'action'> & { action: 'alert.draft' })) => void;
  logger: Logger;
  now?: () => number;
}

export interface AlertEvents { changed: [id: string] }

export class AlertService extends EventEmitter<AlertEvents> {
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(private readonly d: AlertDeps) {
    super();
    this.now = d.now ?? Date.now;
    this.log = d.logger.child({ service: 'alerts' });
  }

  list(limit?: number): AlertSummary[] { return this.d.store.list(limit); }

  get(id: string): AlertChain {
    const c = this.d.store.get(id);
    if (!c) throw alertError('SP_ALERT_NOT_FOUND', { alert: id });
    return c;
  }

  /** What the pasted text would do, without storing it: the checked alert and its coverage. */
  preview(xml: string, audience: string, rebase = false): { chainId: string; tier: string; headline: string; msgType: string; coverage: Coverage } {
    const c = checkNewAlert(checkCapXml(xml, this.now(), rebase));
    return { chainId: c.chainId, tier: c.tier, headline: c.headline, msgType: c.alert.msgType, coverage: capCoverage(c.alert, this.audience(audience), this.d.poles(), this.now()) };
  }

  coverage(id: string): Coverage {
    const c = this.get(id);
    const r = openRevision(c) ?? c.revisions[0]!;
    return capCoverage(checkCapXml(r.xml, Date.parse(r.sent)).alert, c.audience, this.d.poles(), this.now());
  }

  /** Stores pasted or uploaded CAP as a draft chain (replacing the open draft of the same chain). */
  draft(xml: string, audience: string, who: Operator, rebase = false): AlertChain {
    const now = this.now();
    const checked = checkNewAlert(checkCapXml(xml, now, rebase));
    const existing = this.d.store.get(checked.chainId);
    if (existing && existing.state !== AlertState.Draft) throw alertError('SP_ALERT_STATE', { alert: checked.chainId, state: existing.state, step: 'draft' });
    const chain: AlertChain = {
      id: checked.chainId, state: AlertState.Draft, audience: this.audience(audience), headline: checked.headline,
      revisions: [{ ...revisionFields(checked), n: 1, outcome: 'draft', createdBy: who.username, createdAt: now }],
    };
    this.d.store.save(chain, now, () => this.d.audit({ action: 'alert.draft', actor: who.username, role: who.role, target: chain.id, detail: `${checked.alert.identifier} (${checked.tier}) for ${chain.audience}` }));
    this.emit('changed', chain.id);
    return chain;
  }

  send(id: string, who: Operator): Promise<AlertChain> { return this.step(id, { type: 'send' }, who); }
  approve(id: string, who: Operator): Promise<AlertChain> { return this.step(id, { type: 'approve' }, who); }
  refuse(id: string, reason: string, who: Operator): Promise<AlertChain> { return this.step(id, { type: 'refuse', reason }, who); }
  override(id: string, reason: string, who: Operator): Promise<AlertChain> { return this.step(id, { type: 'override', reason }, who); }

  /** Writes an Update from the first Alert with the operator's edits (docs/ops-console.md §Update and Cancel). */
  update(id: string, edits: FollowUpEdits, who: Operator): Promise<AlertChain> {
    return this.step(id, { type: 'update', revision: this.followUp(this.get(id), 'Update', edits) }, who);
  }

  cancel(id: string, who: Operator): Promise<AlertChain> {
    return this.step(id, { type: 'cancel', revision: this.followUp(this.get(id), 'Cancel') }, who);
  }

  private followUp(c: AlertChain, kind: 'Update' | 'Cancel', edits: FollowUpEdits = {}) {
    if (c.state !== AlertState.Sent && c.state !== AlertState.Updated) throw alertError('SP_ALERT_STATE', { alert: c.id, state: c.state, step: kind.toLowerCase() });
    const now = this.now();
    const firstXml = c.revisions[0]!.xml;
    const first = checkCapXml(firstXml, Date.parse(c.revisions[0]!.sent)).alert;
    const xml = writeFollowUp(first, firstXml, sentRevisions(c), kind, c.revisions.length, now, edits);
    return revisionFields(checkCapXml(xml, now));
  }

  private async step(id: string, a: AlertAction, who: Operator): Promise<AlertChain> {
    const now = this.now();
    const s: AlertStep = applyAlertAction(this.get(id), a, who, now);
    if (s.publish) {
      const expires = s.publish.msgType === 'Cancel' ? undefined : capExpires(checkCapXml(s.publish.xml, now).alert);
      const payload = capPayloadOf(s.chain.id, s.publish, s.chain.audience, now, expires);
      const topic = noticeTopic(this.d.prefix, parseTarget(s.chain.audience), s.chain.id);
      await this.d.publish(topic, JSON.stringify(sign(payload, this.d.key(), s.chain.audience)));
      this.log.info({ alert: s.chain.id, msgType: s.publish.msgType, identifier: s.publish.identifier, sentBy: s.publish.sentBy }, 'CAP alert published');
    }
    this.d.store.save(s.chain, now, () => this.d.audit(s.audit));
    this.emit('changed', s.chain.id);
    return s.chain;
  }

  private audience(a: string): string {
    const r = Audience.safeParse(a.trim() || 'all');
    if (!r.success) throw alertError('SP_ALERT_AUDIENCE', { audience: a });
    return r.data;
  }
}
