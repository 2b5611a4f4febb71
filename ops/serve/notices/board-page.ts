/** The notices list and one notice's delivery board, live (docs/ops-console.md §Delivery board). */
import type { OpsApp } from '../app.js';
import type { RequestContext } from '../router.js';
import { html, bi, csrfField, ago, cityTime, type Html } from '../html.js';
import type { DeliveryState, DeliveryStore } from './delivery-store.js';
import { targetLabel, type NoticeLog, type SentNotice } from './notice-log.js';

export const STATE_LABELS: Record<DeliveryState, [string, string, string]> = {
  pending: ['未回应', 'not heard from', 'b-dim'], accepted: ['已接收', 'accepted', 'b-warn'], displayed: ['已显示', 'displayed', 'b-ok'],
  refused: ['已拒绝', 'refused', 'b-error'], ignored: ['未显示', 'ignored', 'b-dim'], withdrawn: ['已撤回', 'withdrawn', 'b-dim'], expired: ['已过期', 'expired', 'b-dim'],
};

export function stateBadge(s: DeliveryState): Html {
  const [zh, en, cls] = STATE_LABELS[s];
  return html`<span class="badge ${cls}" data-state="${s}">${bi(zh, en)}</span>`;
}

export function boardFragment(deliveries: DeliveryStore, id: string, now: number): Html {
  const counts = deliveries.counts(id);
  const rows = deliveries.rows(id);
  const pct = (n: number) => (counts.total ? (100 * n) / counts.total : 0);
  const refused = counts.refused + counts.ignored;
  let x = 0;
  const bar = ([['displayed', counts.displayed], ['accepted', counts.accepted], ['refused', refused], ['pending', counts.pending]] as const)
    .filter(([, n]) => n > 0).map(([k, n]) => { const r = html`<rect class="s-${k}" x="${x.toFixed(2)}" y="0" width="${pct(n).toFixed(2)}" height="4"/>`; x += pct(n); return r; });
  return html`
    <div class="summary" id="board-summary">
      ${(['displayed', 'accepted', 'refused', 'pending', 'withdrawn', 'expired'] as const).map((s) => html`<div class="stat" data-count="${s}"><b>${s === 'refused' ? refused : counts[s]}</b>${bi(STATE_LABELS[s][0], STATE_LABELS[s][1])}</div>`)}
      <div class="stat"><b>${counts.total}</b>${bi('灯杆', 'poles')}</div>
    </div>
    <svg class="bar" viewBox="0 0 100 4" preserveAspectRatio="none" role="img" aria-label="已显示 displayed ${counts.displayed} / 已接收 accepted ${counts.accepted} / 已拒绝 refused ${refused} / 未回应 not heard from ${counts.pending}">${bar}</svg>
    <p class="legend"><span><i class="s-displayed"></i>${bi('已显示', 'displayed')}</span><span><i class="s-accepted"></i>${bi('已接收', 'accepted')}</span><span><i class="s-refused"></i>${bi('已拒绝', 'refused')}</span><span><i class="s-pending"></i>${bi('未回应', 'not heard from')}</span></p>
    <table class="grid" id="board-table">
      <caption class="sr-only">${bi('各灯杆送达情况', 'Delivery per pole')}</caption>
      <thead><tr><th scope="col">${bi('灯杆', 'Pole')}</th><th scope="col">${bi('状态', 'State')}</th><th scope="col">${bi('代码', 'Code')}</th><th scope="col">${bi('接收', 'Accepted')}</th>
        <th scope="col">${bi('首次显示', 'First shown')}</th><th scope="col" class="num">${bi('播放次数', 'Plays')}</th><th scope="col" class="num">${bi('回执用时', 'Receipt after')}</th></tr></thead>
      <tbody>${rows.map((r) => html`<tr data-pole="${r.poleId}" data-state="${r.status}"><th scope="row"><a href="/poles/${encodeURIComponent(r.poleId)}">${r.poleId}</a></th>
        <td>${stateBadge(r.status)}</td><td>${r.code ? html`<code title="${r.reason ?? ''}">${r.code}</code>${r.reason ? html`<div class="muted">${r.reason}</div>` : ''}` : ''}</td>
        <td>${r.acceptedAt ? ago(r.acceptedAt, now) : '-'}</td><td>${r.displayedAt ? ago(r.displayedAt, now) : '-'}</td>
        <td class="num">${r.plays || '-'}</td><td class="num">${r.receiptAfterMs === null ? '-' : `${(r.receiptAfterMs / 1000).toFixed(1)} s`}</td></tr>`)}</tbody>
    </table>`;
}

export function boardPage(app: OpsApp, deliveries: DeliveryStore, c: RequestContext, n: SentNotice) {
  const p = n.payload;
  const enc = encodeURIComponent(n.id);
  const body = html`
    <p><a href="/notices">← ${bi('公告', 'Notices')}</a></p>
    <div class="cols">
      <dl class="kv card" id="notice-facts">
        <dt>${bi('编号', 'Id')}</dt><dd><code>${n.id}</code> v${n.version}</dd>
        <dt>${bi('标题', 'Title')}</dt><dd>${p.title.zh}${p.title.en ? html` <span lang="en" class="en">${p.title.en}</span>` : ''}</dd>
        <dt>${bi('优先级', 'Priority')}</dt><dd>${p.priority}</dd>
        <dt>${bi('发送对象', 'Audience')}</dt><dd>${n.targets.length > 5 ? `${n.targets.slice(0, 5).map(targetLabel).join(', ')} … (${n.targets.length})` : n.targets.map(targetLabel).join(', ')}</dd>
        <dt>${bi('有效期', 'Validity')}</dt><dd>${cityTime(p.validFrom ?? p.issuedAt)} → ${p.expiresAt ? cityTime(p.expiresAt) : bi('撤回为止', 'until withdrawn')}</dd>
        <dt>${bi('发送', 'Sent')}</dt><dd>${cityTime(n.sentAt, true)} · ${n.createdBy}</dd>
        ${n.state === 'withdrawn' ? html`<dt>${bi('撤回', 'Withdrawn')}</dt><dd>${cityTime(n.withdrawnAt, true)} · ${n.withdrawnBy} ${n.withdrawReason ? `· ${n.withdrawReason}` : ''}</dd>` : ''}
      </dl>
      <div>
        <figure class="previews"><img src="/notices/${enc}/preview-zh.png" width="240" height="400" alt="中文屏幕预览 Chinese screen preview"><img src="/notices/${enc}/preview-en.png" width="240" height="400" alt="English screen preview"></figure>
        ${n.state === 'sent' ? html`<form method="post" action="/notices/${enc}/withdraw" class="card" id="withdraw-form">${csrfField(c.csrf)}
          <p><label for="f-reason">${bi('撤回原因（可选）', 'Reason for withdrawal (optional)')}</label><input id="f-reason" name="reason" maxlength="200"></p>
          <p><button type="submit" class="danger" id="withdraw-button">${bi('撤回公告', 'Withdraw the notice')}</button></p></form>` : ''}
      </div>
    </div>
    <h2>${bi('送达情况', 'Delivery board')}</h2>
    <div id="board" data-live="notice:${n.id}" data-src="/notices/${enc}/board">${boardFragment(deliveries, n.id, app.now())}</div>`;
  return app.page(c, { zh: '公告送达', en: 'Notice delivery' }, body, { feeds: [`notice:${n.id}`] });
}

export function noticesListPage(app: OpsApp, log: NoticeLog, deliveries: DeliveryStore, c: RequestContext) {
  const list = log.list();
  const body = html`
    <p><a class="button" href="/notices/new" id="new-notice">${bi('新公告', 'New notice')}</a></p>
    <table class="grid" id="notices-table" data-live="notices" data-src="/notices/rows">${noticeRows(list, deliveries)}</table>`;
  return app.page(c, { zh: '公告', en: 'Notices' }, body, { feeds: ['notices'] });
}

export function noticeRows(list: SentNotice[], deliveries: DeliveryStore): Html {
  return html`<caption class="sr-only">${bi('已发送的公告', 'Notices sent')}</caption>
    <thead><tr><th scope="col">${bi('标题', 'Title')}</th><th scope="col">${bi('优先级', 'Priority')}</th><th scope="col">${bi('发送对象', 'Audience')}</th>
      <th scope="col">${bi('发送', 'Sent')}</th><th scope="col">${bi('状态', 'State')}</th><th scope="col" class="num">${bi('已显示 / 灯杆', 'Displayed / poles')}</th><th scope="col" class="num">${bi('已拒绝', 'Refused')}</th></tr></thead>
    <tbody>${list.length ? list.map((n) => {
      const k = deliveries.counts(n.id);
      return html`<tr><th scope="row"><a href="/notices/${encodeURIComponent(n.id)}">${n.payload.title.zh}</a>${n.payload.title.en ? html`<div class="en" lang="en">${n.payload.title.en}</div>` : ''}</th>
        <td>${n.payload.priority}</td><td>${n.targets.length > 3 ? `${n.targets.length} × ${n.targets[0]!.scope}` : n.targets.map(targetLabel).join(', ')}</td>
        <td>${cityTime(n.sentAt)} · ${n.createdBy}</td><td>${n.state === 'sent' ? bi('有效', 'in force') : bi('已撤回', 'withdrawn')}</td>
        <td class="num">${k.displayed} / ${k.total}</td><td class="num">${k.refused + k.ignored}</td></tr>`;
    }) : html`<tr><td colspan="7">${bi('还没有发送过公告。', 'No notice sent yet.')}</td></tr>`}</tbody>`;
}
