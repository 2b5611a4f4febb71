/** The audit log page (approvers and administrators; docs/ops-console.md §Audit). */
import type { OpsApp } from '../app.js';
import { html, bi, cityTime } from '../html.js';

export function auditRoutes(app: OpsApp): void {
  app.nav.push({ href: '/audit', zh: '审计日志', en: 'Audit log', order: 90, role: 'approver' });
  app.router.get('/audit', 'approver', (c) => {
    const type = c.url.searchParams.get('type') ?? undefined;
    const id = c.url.searchParams.get('id') ?? undefined;
    const before = Number(c.url.searchParams.get('before') ?? 0) || undefined;
    const rows = app.audit.list({ objectType: type, objectId: id, before, limit: 200 });
    const body = html`
      <p>${bi('谁在何时做了什么：发送、审批、撤回、回复、登录。', 'Who did what, when: sends, approvals, withdrawals, replies, logins.')}</p>
      <table class="grid" id="audit-table">
        <caption class="sr-only">${bi('审计日志', 'Audit log')}</caption>
        <thead><tr><th scope="col">${bi('时间', 'Time')}</th><th scope="col">${bi('用户', 'User')}</th><th scope="col">${bi('操作', 'Action')}</th>
          <th scope="col">${bi('对象', 'Object')}</th><th scope="col">${bi('详情', 'Detail')}</th></tr></thead>
        <tbody>${rows.map((r) => html`<tr><td><time datetime="${r.at}">${cityTime(r.at, true)}</time></td><td>${r.username ?? '-'}</td>
          <td><code>${r.action}</code></td><td>${r.objectType ? html`<a href="/audit?type=${encodeURIComponent(r.objectType)}&amp;id=${encodeURIComponent(r.objectId ?? '')}">${r.objectType}:${r.objectId}</a>` : '-'}</td>
          <td class="detail">${r.detail ? JSON.stringify(r.detail) : ''}</td></tr>`)}</tbody>
      </table>
      ${rows.length === 200 ? html`<p><a href="/audit?before=${rows.at(-1)!.id}">${bi('更早', 'Older')}</a></p>` : ''}`;
    return app.page(c, { zh: '审计日志', en: 'Audit log' }, body);
  });
}
