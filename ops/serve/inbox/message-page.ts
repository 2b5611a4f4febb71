/**
 * One citizen's message (docs/ops-console.md §Citizens' messages): what and where, assignment to a
 * department (the one its category goes to is preselected), the reply in Chinese and English that
 * goes back to the pole that took the message, and the citizen's rating when it arrives.
 */
import type { OpsApp } from '../app.js';
import { bi, cityTime, csrfField, html, type Html } from '../html.js';
import { field, type RequestContext } from '../router.js';
import type { Inbox } from './inbox-service.js';
import type { InboxMessage } from './inbox-store.js';
import { ratingBadge, since, statusBadge } from './list-page.js';
import { REPLY_MAX, TicketStatus } from './ticket-state.js';

function stateHtml(inbox: Inbox, m: InboxMessage, now: number): Html {
  const dep = m.department ? inbox.departments().find((d) => d.id === m.department) : undefined;
  return html`<dl class="kv" id="message-state">
    <dt>${bi('状态', 'Status')}</dt><dd>${statusBadge(m.status)}</dd>
    <dt>${bi('部门', 'Department')}</dt><dd>${dep ? bi(dep.name.zh, dep.name.en) : bi('未分派', 'unassigned')}</dd>
    <dt>${bi('已过时间', 'Since received')}</dt><dd>${since(m.createdAt, now)}</dd>
    <dt>${bi('回复', 'Reply')}</dt><dd id="message-reply">${m.reply ? html`${m.reply.zh}${m.reply.en ? html`<br><span lang="en" class="en">${m.reply.en}</span>` : ''}
      <br><span class="muted">${m.repliedBy ?? ''} · ${m.replyAt ? cityTime(new Date(m.replyAt).toISOString()) : ''}</span>` : '-'}</dd>
    <dt>${bi('市民评价', 'Citizen\'s rating')}</dt><dd id="message-rating">${ratingBadge(m)}</dd></dl>`;
}

function forms(c: RequestContext, inbox: Inbox, m: InboxMessage): Html {
  const base = `/inbox/${encodeURIComponent(m.poleId)}/${m.ticket}`;
  const suggested = m.department ?? inbox.suggested(m)?.id;
  const assign = m.status === TicketStatus.Replied ? '' : html`<form method="post" action="${base}/assign" class="card narrow" id="form-assign">${csrfField(c.csrf)}
    <p><label for="department">${bi('分派给部门', 'Assign to a department')}</label><select id="department" name="department" required>
      ${inbox.departments().map((d) => html`<option value="${d.id}"${d.id === suggested ? html` selected` : ''}>${d.name.zh} ${d.name.en}</option>`)}</select></p>
    <p class="muted">${bi('分派后灯杆上的工单页显示“办理中”及部门。', 'The ticket page on the pole then shows "in progress" and the department.')}</p>
    <p><button type="submit">${bi('分派', 'Assign')}</button></p></form>`;
  const reply = !m.department ? '' : html`<form method="post" action="${base}/reply" class="card" id="form-reply">${csrfField(c.csrf)}
    <p><label for="reply-zh">${bi('回复（中文）', 'Reply (Chinese)')}</label><textarea id="reply-zh" name="zh" rows="3" required maxlength="${REPLY_MAX.zh}"></textarea></p>
    <p><label for="reply-en">${bi('回复（英文，可选）', 'Reply (English, optional)')}</label><textarea id="reply-en" name="en" rows="3" maxlength="${REPLY_MAX.en}"></textarea></p>
    <p class="muted">${bi(`回复发往受理留言的灯杆 ${m.poleId}，市民输入工单号即可查看并评价。`, `The reply goes to ${m.poleId}, the pole that took the message; the citizen reads and rates it there by ticket number.`)}</p>
    <p><button type="submit" class="primary">${bi(m.status === TicketStatus.Replied ? '再次回复' : '发送回复', m.status === TicketStatus.Replied ? 'Send a follow-up' : 'Send the reply')}</button></p></form>`;
  return html`${assign}${reply}`;
}

export function messagePageRoutes(app: OpsApp, inbox: Inbox): void {
  const base = '/inbox/:pole/:ticket';
  app.router.get(`${base}/state`, 'editor', (c) => ({ html: stateHtml(inbox, inbox.get(c.params.pole!, c.params.ticket!), app.now()).s }));
  app.router.get('/api/inbox/:pole/:ticket', 'editor', (c) => ({ json: inbox.get(c.params.pole!, c.params.ticket!) }));
  app.router.get(base, 'editor', (c) => {
    const m = inbox.get(c.params.pole!, c.params.ticket!);
    const feed = `message:${m.poleId}/${m.ticket}`;
    return app.page(c, { zh: `留言 ${m.ticket}`, en: `Message ${m.ticket}` }, html`
      <div class="cols">
        <section class="card" aria-labelledby="m-h"><h2 id="m-h">${m.categoryName.zh} · ${m.problemName.zh}
          ${m.problemName.en ? html`<span lang="en" class="en">${m.categoryName.en ?? ''} · ${m.problemName.en}</span>` : ''}</h2>
          <dl class="kv"><dt>${bi('工单号', 'Ticket')}</dt><dd><code>${m.ticket}</code></dd>
            <dt>${bi('地点', 'Place')}</dt><dd>${m.address} <span class="muted">(${m.lat.toFixed(5)}, ${m.lon.toFixed(5)}${m.areaCode ? `, ${m.areaCode}` : ''})</span></dd>
            <dt>${bi('灯杆', 'Pole')}</dt><dd><a href="/poles/${encodeURIComponent(m.poleId)}">${m.poleId}</a></dd>
            <dt>${bi('留言时间', 'Left at')}</dt><dd><time datetime="${new Date(m.createdAt).toISOString()}">${cityTime(new Date(m.createdAt).toISOString(), true)}</time></dd>
            <dt>${bi('语言', 'Language')}</dt><dd>${m.lang === 'zh' ? '中文' : 'English'}</dd>
            ${m.text ? html`<dt>${bi('内容', 'Text')}</dt><dd>${m.text}</dd>` : ''}</dl>
          <div data-live="${feed}" data-src="/inbox/${encodeURIComponent(m.poleId)}/${m.ticket}/state">${stateHtml(inbox, m, app.now())}</div></section>
        <section aria-label="处理 Handling">${forms(c, inbox, m)}</section>
      </div>
      <p><a href="/inbox">${bi('返回留言列表', 'Back to the inbox')}</a></p>`, { feeds: [feed] });
  });
  app.router.post(`${base}/assign`, 'editor', async (c) => {
    await inbox.assign(c.params.pole!, c.params.ticket!, field(c, 'department', { max: 40 }), c.user!);
    return { redirect: `/inbox/${encodeURIComponent(c.params.pole!)}/${c.params.ticket!}` };
  });
  app.router.post(`${base}/reply`, 'editor', async (c) => {
    const zh = field(c, 'zh', { max: REPLY_MAX.zh });
    const en = field(c, 'en', { max: REPLY_MAX.en, optional: true });
    await inbox.reply(c.params.pole!, c.params.ticket!, { zh, ...(en ? { en } : {}) }, c.user!);
    return { redirect: `/inbox/${encodeURIComponent(c.params.pole!)}/${c.params.ticket!}` };
  });
}
