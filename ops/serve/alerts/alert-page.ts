/**
 * One alert chain's page (docs/ops-console.md §Emergency alerts): its revisions with who asked,
 * approved or overrode, the steps the current user may take (send, approve, refuse, override,
 * Update, Cancel), the coverage and the live delivery board.
 */
import type { OpsApp } from '../app.js';
import { hasRole } from '../auth/users.js';
import { bi, cityTime, csrfField, html, notice, type Html } from '../html.js';
import { field, type RequestContext } from '../router.js';
import { AlertState, openRevision, type AlertChain } from './alert-machine.js';
import type { AlertDelivery } from './alert-delivery.js';
import type { AlertService } from './alert-service.js';
import { stateBadge, tierBadge } from './badges.js';
import { coverageTable } from './list-page.js';

const RECEIPT: Record<string, [string, string, string]> = {
  accepted: ['b-ok', '已接收', 'accepted'], displayed: ['b-ok', '已显示', 'displayed'], ignored: ['b-dim', '未显示', 'not shown'],
  rejected: ['b-error', '拒收', 'refused'], withdrawn: ['b-dim', '已撤下', 'taken down'], expired: ['b-dim', '已过期', 'expired'],
};

export function boardHtml(delivery: AlertDelivery, chain: AlertChain): Html {
  const rows = delivery.receipts(chain.id);
  const count = (s: string) => rows.filter((r) => r.status === s).length;
  return html`<p class="summary" id="alert-board-summary" data-total="${rows.length}" data-accepted="${count('accepted') + count('displayed')}" data-refused="${count('rejected')}">
      <span class="stat"><b>${count('accepted') + count('displayed')}</b>${bi('已接收', 'accepted')}</span>
      <span class="stat"><b>${count('displayed')}</b>${bi('已显示', 'displayed')}</span>
      <span class="stat"><b>${count('ignored')}</b>${bi('未显示（区域外等）', 'not shown (outside…)')}</span>
      <span class="stat"><b>${count('rejected')}</b>${bi('拒收', 'refused')}</span></p>
    <table class="grid" id="alert-board"><caption class="sr-only">${bi('送达情况', 'Delivery')}</caption>
      <thead><tr><th scope="col">${bi('灯杆', 'Pole')}</th><th scope="col">${bi('回执', 'Receipt')}</th><th scope="col">${bi('消息', 'Message')}</th><th scope="col">${bi('代码', 'Code')}</th><th scope="col">${bi('时间', 'Time')}</th></tr></thead>
      <tbody>${rows.length ? '' : html`<tr><td colspan="5">${bi('尚无回执', 'No receipts yet')}</td></tr>`}${rows.map((r) => {
    const [cls, zh, en] = RECEIPT[r.status] ?? ['b-dim', r.status, r.status];
    return html`<tr data-pole="${r.poleId}" data-status="${r.status}"><td>${r.poleId}</td><td><span class="badge ${cls}">${bi(zh, en)}</span></td>
        <td>${r.msgType ?? ''} <code>${r.identifier ?? ''}</code></td><td>${r.code ? html`<code>${r.code}</code> ${r.reason ?? ''}` : ''}</td>
        <td>${cityTime(new Date(r.at).toISOString(), true)}</td></tr>`;
  })}</tbody></table>`;
}

function revisionsTable(c: AlertChain): Html {
  const outcome: Record<string, [string, string]> = { draft: ['草稿', 'draft'], pending: ['待审批', 'awaiting approval'], sent: ['已发送', 'sent'], refused: ['已驳回', 'refused'] };
  const how: Record<string, [string, string]> = { approval: ['双人审批', 'four-eyes approval'], override: ['管理员越权', 'administrator override'], single: ['单人发送', 'one operator'] };
  return html`<table class="grid" id="alert-revisions"><caption class="sr-only">${bi('版本', 'Revisions')}</caption>
    <thead><tr><th scope="col">#</th><th scope="col">${bi('类型', 'Type')}</th><th scope="col">${bi('标识', 'Identifier')}</th><th scope="col">${bi('级别', 'Tier')}</th>
      <th scope="col">${bi('结果', 'Outcome')}</th><th scope="col">${bi('提交人', 'Asked by')}</th><th scope="col">${bi('审批人', 'Approved by')}</th><th scope="col">${bi('方式 / 理由', 'How / reason')}</th></tr></thead>
    <tbody>${c.revisions.map((r) => html`<tr><td>${r.n}</td><td>${r.msgType}</td><td><code>${r.identifier}</code></td><td>${tierBadge(r.tier)}</td>
      <td>${bi(...(outcome[r.outcome] ?? [r.outcome, r.outcome]))}</td><td>${r.submittedBy ?? r.createdBy}</td><td>${r.approvedBy ?? '-'}</td>
      <td>${r.sentBy ? bi(...how[r.sentBy]!) : ''}${r.reason ? html` — ${r.reason}` : ''}</td></tr>`)}</tbody></table>`;
}

function actions(c: RequestContext, chain: AlertChain): Html {
  const user = c.user!;
  const base = `/alerts/${encodeURIComponent(chain.id)}`;
  const open = openRevision(chain);
  const reasonForm = (action: string, zh: string, en: string, cls: string) => html`<form method="post" action="${base}/${action}" class="card narrow" id="form-${action}">
      ${csrfField(c.csrf)}<p><label for="${action}-reason">${bi(`${zh}理由`, `Reason (${en.toLowerCase()})`)}</label>
      <input id="${action}-reason" name="reason" required minlength="3" maxlength="500"></p>
      <p><button type="submit" class="${cls}">${bi(zh, en)}</button></p></form>`;
  const parts: Html[] = [];
  if (chain.state === AlertState.Draft && open) {
    parts.push(html`<form method="post" action="${base}/send" class="inline" id="form-send">${csrfField(c.csrf)}
      <button type="submit" class="primary">${bi(open.tier === 'emergency' ? '提交审批' : '发送', open.tier === 'emergency' ? 'Submit for approval' : 'Send')}</button></form>`);
  }
  if (chain.state === AlertState.AwaitingApproval && open) {
    const self = open.submittedBy === user.username;
    if (hasRole(user, 'approver') && !self) {
      parts.push(html`<form method="post" action="${base}/approve" class="inline" id="form-approve">${csrfField(c.csrf)}
        <button type="submit" class="primary">${bi('批准并发送', 'Approve and send')}</button></form>`);
    } else {
      parts.push(notice('info', self
        ? bi('您提交了此预警：须由另一位审批人批准。', 'You asked to send this alert: another approver must approve it.')
        : bi('须由审批人批准。', 'An approver must approve it.')));
    }
    if (hasRole(user, 'approver') || self) parts.push(reasonForm('refuse', '驳回', 'Refuse', ''));
  }
  if ((chain.state === AlertState.Draft || chain.state === AlertState.AwaitingApproval) && open && user.role === 'administrator') {
    parts.push(reasonForm('override', '越权发送（无需第二人）', 'Override: send without a second approval', 'danger'));
  }
  if (chain.state === AlertState.Sent || chain.state === AlertState.Updated) {
    parts.push(html`<form method="post" action="${base}/cancel" class="inline" id="form-cancel">${csrfField(c.csrf)}
      <button type="submit" class="danger">${bi('解除预警（Cancel）', 'Cancel the alert')}</button></form>
      <details class="card" id="update"><summary>${bi('更新预警（Update）', 'Update the alert')}</summary>
      <form method="post" action="${base}/update" id="form-update">${csrfField(c.csrf)}
        <p class="muted">${bi('留空的字段保持原文。紧急级别的更新同样需要审批。', 'Empty fields keep the text. An emergency Update needs approval too.')}</p>
        <p><label for="u-zh-headline">${bi('中文标题', 'Chinese headline')}</label><input id="u-zh-headline" name="zhHeadline" maxlength="200"></p>
        <p><label for="u-zh-description">${bi('中文内容', 'Chinese description')}</label><textarea id="u-zh-description" name="zhDescription" rows="3" maxlength="2000"></textarea></p>
        <p><label for="u-en-headline">${bi('英文标题', 'English headline')}</label><input id="u-en-headline" name="enHeadline" maxlength="400"></p>
        <p><label for="u-en-description">${bi('英文内容', 'English description')}</label><textarea id="u-en-description" name="enDescription" rows="3" maxlength="4000"></textarea></p>
        <p><label for="u-expires">${bi('新的失效时间', 'New expiry')}</label><input id="u-expires" name="expires" placeholder="2026-07-11T20:00:00+08:00" maxlength="40"></p>
        <p><button type="submit">${bi('发送更新', 'Send the Update')}</button></p></form></details>`);
  }
  return html`${parts}`;
}

export function alertPageRoutes(app: OpsApp, alerts: AlertService, delivery: AlertDelivery): void {
  app.router.get('/alerts/:id/board', 'editor', (c) => ({ html: boardHtml(delivery, alerts.get(c.params.id!)).s }));
  app.router.get('/api/alerts/:id', 'editor', (c) => {
    const chain = alerts.get(c.params.id!);
    return { json: { id: chain.id, state: chain.state, audience: chain.audience, revisions: chain.revisions.map(({ xml: _x, ...r }) => r), receipts: delivery.receipts(chain.id) } };
  });
  app.router.get('/alerts/:id', 'editor', (c) => {
    const chain = alerts.get(c.params.id!);
    const live = `alert:${chain.id}`;
    const current = openRevision(chain) ?? chain.revisions.at(-1)!;
    return app.page(c, { zh: '应急预警', en: 'Emergency alert' }, html`
      <section class="card" aria-labelledby="a-h"><h2 id="a-h">${chain.headline}</h2>
        <dl class="kv"><dt>${bi('状态', 'State')}</dt><dd id="alert-state">${stateBadge(chain.state)}</dd>
          <dt>${bi('编号', 'Chain id')}</dt><dd><code>${chain.id}</code></dd><dt>${bi('发送对象', 'Audience')}</dt><dd><code>${chain.audience}</code></dd>
          <dt>${bi('级别', 'Tier')}</dt><dd>${tierBadge(current.tier)}</dd></dl></section>
      <section aria-labelledby="act-h"><h2 id="act-h">${bi('操作', 'Actions')}</h2>${actions(c, chain)}</section>
      <section aria-labelledby="rev-h"><h2 id="rev-h">${bi('版本与审批', 'Revisions and approvals')}</h2>${revisionsTable(chain)}
        <details><summary>${bi('当前 CAP XML', 'Current CAP XML')}</summary><pre>${current.xml}</pre></details></section>
      <section aria-labelledby="board-h"><h2 id="board-h">${bi('送达情况', 'Delivery board')}</h2>
        <div data-live="${live}" data-src="/alerts/${encodeURIComponent(chain.id)}/board">${boardHtml(delivery, chain)}</div></section>
      <section aria-labelledby="cov-h"><h2 id="cov-h">${bi('覆盖范围', 'Coverage')}</h2>${coverageTable(alerts.coverage(chain.id))}</section>`,
    { feeds: [live] });
  });

  const step = (path: string, run: (c: RequestContext, id: string) => Promise<unknown>) => app.router.post(`/alerts/:id/${path}`, 'editor', async (c) => {
    await run(c, c.params.id!);
    return { redirect: `/alerts/${encodeURIComponent(c.params.id!)}` };
  });
  step('send', (c, id) => alerts.send(id, c.user!));
  step('approve', (c, id) => alerts.approve(id, c.user!));
  step('refuse', (c, id) => alerts.refuse(id, field(c, 'reason', { max: 500 }), c.user!));
  step('override', (c, id) => alerts.override(id, field(c, 'reason', { max: 500 }), c.user!));
  step('cancel', (c, id) => alerts.cancel(id, c.user!));
  step('update', (c, id) => {
    const t = (name: string, max: number) => field(c, name, { max, optional: true }) || undefined;
    const zh = { headline: t('zhHeadline', 200), description: t('zhDescription', 2000) };
    const en = { headline: t('enHeadline', 400), description: t('enDescription', 4000) };
    const expires = t('expires', 40);
    return alerts.update(id, { text: { zh, en }, ...(expires ? { expires } : {}) }, c.user!);
  });
}
