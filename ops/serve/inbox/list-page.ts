/**
 * Citizens' messages: the inbox list (filter by status and department, time since received, live)
 * and the figures per department (docs/ops-console.md §Citizens' messages).
 */
import { RATING_LABELS } from '../../../protocols/feedback.js';
import type { OpsApp } from '../app.js';
import { bi, html, type Html } from '../html.js';
import type { Inbox } from './inbox-service.js';
import type { InboxMessage } from './inbox-store.js';
import type { DepartmentFigures } from '../../feedback-figures.js';
import { STATUS_LABELS, TicketStatus } from './ticket-state.js';

const STATUS_CLASS: Record<TicketStatus, string> = { received: 'b-warn', 'in-progress': 'b-dim', replied: 'b-ok' };

export function statusBadge(s: TicketStatus): Html {
  return html`<span class="badge ${STATUS_CLASS[s]}" data-status="${s}">${bi(STATUS_LABELS[s].zh, STATUS_LABELS[s].en)}</span>`;
}

export function ratingBadge(m: Pick<InboxMessage, 'rating'>): Html {
  if (!m.rating) return html`<span class="muted">-</span>`;
  const cls = m.rating === 'dissatisfied' ? 'b-error' : m.rating === 'satisfied' ? 'b-ok' : 'b-warn';
  return html`<span class="badge ${cls}" data-rating="${m.rating}">${bi(RATING_LABELS[m.rating].zh, RATING_LABELS[m.rating].en.join(' '))}</span>`;
}

/** "3 h 5 min" since the citizen left it, in both languages. */
export function since(ms: number, now: number): Html {
  const min = Math.max(0, Math.floor((now - ms) / 60_000));
  const [zh, en] = min < 60 ? [`${min} 分钟`, `${min} min`] : min < 2880 ? [`${Math.floor(min / 60)} 小时 ${min % 60} 分`, `${Math.floor(min / 60)} h ${min % 60} min`]
    : [`${Math.floor(min / 1440)} 天`, `${Math.floor(min / 1440)} d`];
  return html`<time datetime="${new Date(ms).toISOString()}"${min >= 1440 ? html` class="late"` : ''}>${bi(zh, en)}</time>`;
}

export function inboxListRoutes(app: OpsApp, inbox: Inbox): void {
  const filterOf = (u: URL) => {
    const status = u.searchParams.get('status') as TicketStatus | null;
    return {
      status: status && Object.values(TicketStatus).includes(status) ? status : undefined,
      department: u.searchParams.get('department') || undefined,
    };
  };
  const depName = (id: string | null) => {
    const d = id ? inbox.departments().find((x) => x.id === id) : undefined;
    return d ? bi(d.name.zh, d.name.en) : html`<span class="muted">${bi('未分派', 'unassigned')}</span>`;
  };
  const rows = (u: URL) => {
    const now = app.now();
    const list = inbox.list({ ...filterOf(u), limit: 200 });
    return html`${list.length ? '' : html`<tr><td colspan="8">${bi('暂无留言', 'No messages')}</td></tr>`}${list.map((m) => html`<tr data-ticket="${m.ticket}" data-pole="${m.poleId}">
      <td><a href="/inbox/${encodeURIComponent(m.poleId)}/${m.ticket}">${m.ticket}</a></td>
      <td>${m.categoryName.zh} · ${m.problemName.zh}${m.problemName.en ? html` <span lang="en" class="en">${m.problemName.en}</span>` : ''}</td>
      <td>${m.address}<br><span class="muted">${m.poleId}</span></td>
      <td>${since(m.createdAt, now)}</td><td>${statusBadge(m.status)}</td><td>${depName(m.department)}</td><td>${ratingBadge(m)}</td></tr>`)}`;
  };
  const rowsUrl = (u: URL) => `/inbox/rows${u.search}`;
  // The pole's page lists the messages it took, newest first.
  const poleMessages = (poleId: string) => {
    const list = inbox.list({ poleId, limit: 10 });
    const now = app.now();
    return list.length ? html`<ul>${list.map((m) => html`<li><a href="/inbox/${encodeURIComponent(m.poleId)}/${m.ticket}">${m.ticket}</a> ${m.problemName.zh} — ${statusBadge(m.status)} ${since(m.createdAt, now)}</li>`)}</ul>`
      : html`<p class="muted">${bi('这根灯杆还没有收到留言。', 'No messages from this pole yet.')}</p>`;
  };
  app.router.get('/poles/:id/messages', 'editor', (c) => ({ html: poleMessages(c.params.id!).s }));
  app.poleSections.push({
    order: 30,
    feeds: () => ['inbox'],
    render: (_c, poleId) => html`<section aria-labelledby="h-pole-messages"><h2 id="h-pole-messages">${bi('市民留言', 'Citizens\' messages')}</h2>
      <div data-live="inbox" data-src="/poles/${encodeURIComponent(poleId)}/messages">${poleMessages(poleId)}</div></section>`,
  });
  app.router.get('/inbox/rows', 'editor', (c) => ({ html: rows(c.url).s }));
  app.router.get('/inbox', 'editor', (c) => {
    const f = filterOf(c.url);
    const counts = inbox.counts();
    const body = html`
      <p class="summary" id="inbox-counts">${Object.values(TicketStatus).map((s) => html`<span class="stat"><b>${counts[s] ?? 0}</b>${bi(STATUS_LABELS[s].zh, STATUS_LABELS[s].en)}</span>`)}
        <a class="button" href="/inbox/figures">${bi('部门统计', 'Department figures')}</a></p>
      <form method="get" action="/inbox" class="filters" id="inbox-filter">
        <p><label for="f-status">${bi('状态', 'Status')}</label><select id="f-status" name="status"><option value="">全部 All</option>
          ${Object.values(TicketStatus).map((s) => html`<option value="${s}"${f.status === s ? html` selected` : ''}>${STATUS_LABELS[s].zh} ${STATUS_LABELS[s].en}</option>`)}</select></p>
        <p><label for="f-dep">${bi('部门', 'Department')}</label><select id="f-dep" name="department"><option value="">全部 All</option>
          ${inbox.departments().map((d) => html`<option value="${d.id}"${f.department === d.id ? html` selected` : ''}>${d.name.zh} ${d.name.en}</option>`)}</select></p>
        <p><button type="submit">${bi('筛选', 'Filter')}</button></p></form>
      <table class="grid" id="inbox-table"><caption class="sr-only">${bi('市民留言', 'Citizens\' messages')}</caption>
        <thead><tr><th scope="col">${bi('工单号', 'Ticket')}</th><th scope="col">${bi('类别 · 问题', 'Category · problem')}</th><th scope="col">${bi('地点', 'Place')}</th>
          <th scope="col">${bi('已过时间', 'Since received')}</th><th scope="col">${bi('状态', 'Status')}</th><th scope="col">${bi('部门', 'Department')}</th><th scope="col">${bi('评价', 'Rating')}</th></tr></thead>
        <tbody data-live="inbox" data-src="${rowsUrl(c.url)}">${rows(c.url)}</tbody></table>`;
    return app.page(c, { zh: '市民留言', en: 'Citizens\' messages' }, body, { feeds: ['inbox'] });
  });

  const pct = (x: number | null) => (x === null ? '-' : `${Math.round(x * 100)} %`);
  const figureRow = (f: DepartmentFigures, head: Html) => html`<tr data-department="${f.department ?? ''}"><th scope="row">${head}</th><td class="num">${f.messages}</td><td class="num">${f.answered}</td>
      <td class="num">${pct(f.withinShare)} <span class="muted">(${f.answeredWithin}/${f.messages - f.open})</span></td><td class="num">${f.overdue}</td>
      <td class="num">${f.ratings.satisfied} / ${f.ratings['basically-satisfied']} / ${f.ratings.dissatisfied}</td>
      <td class="num" data-average="${f.averageRating ?? ''}">${f.averageRating === null ? '-' : f.averageRating.toFixed(2)}</td><td class="num">${pct(f.satisfiedShare)}</td></tr>`;
  const figures = () => {
    const { departments, total } = inbox.figures();
    return html`<table class="grid" id="inbox-figures"><caption class="sr-only">${bi('部门统计', 'Department figures')}</caption>
    <thead><tr><th scope="col">${bi('部门', 'Department')}</th><th scope="col" class="num">${bi('留言', 'Messages')}</th><th scope="col" class="num">${bi('已回复', 'Replied')}</th>
      <th scope="col" class="num">${bi('24 小时内回复', 'Replied within 24 h')}</th><th scope="col" class="num">${bi('超时未复', 'Overdue')}</th>
      <th scope="col" class="num">${bi('满意 / 基本满意 / 不满意', 'Satisfied / basically / not')}</th><th scope="col" class="num">${bi('平均评价 (1–3)', 'Average rating (1–3)')}</th>
      <th scope="col" class="num">${bi('满意率', 'Satisfaction rate')}</th></tr></thead>
    <tbody>${departments.map((f) => figureRow(f, depName(f.department)))}</tbody>
    <tfoot>${figureRow(total, bi('合计', 'All'))}</tfoot></table>`;
  };
  app.router.get('/inbox/figures/table', 'editor', () => ({ html: figures().s }));
  app.router.get('/inbox/figures', 'editor', (c) => app.page(c, { zh: '部门统计', en: 'Department figures' }, html`
    <p>${bi('24 小时内回复率只计已满 24 小时或已回复的留言；平均评价按 满意 3、基本满意 2、不满意 1 计；满意率为（满意 + 基本满意）/ 已评价。', 'The within-24 h share counts messages that are 24 h old or answered; the average scores satisfied 3, basically satisfied 2, not satisfied 1; the satisfaction rate is satisfied + basically satisfied over rated.')}</p>
    <div data-live="inbox" data-src="/inbox/figures/table">${figures()}</div>
    <p><a href="/inbox">${bi('返回留言列表', 'Back to the inbox')}</a></p>`, { feeds: ['inbox'] }));
}
