/** Each user's own account: change the password (the current one is asked again; docs/ops-console.md §Users). */
import type { OpsApp } from '../app.js';
import { html, bi, csrfField, notice } from '../html.js';
import { MIN_PASSWORD_LENGTH, verifyPassword } from '../auth/passwords.js';
import { sessionCookie } from '../auth/sessions.js';
import { serveError } from '../errors.js';
import { ROLE_NAMES } from '../auth/users.js';

export function accountRoutes(app: OpsApp): void {
  app.router.get('/account', 'editor', (c) => {
    const u = c.user!;
    const done = c.url.searchParams.get('changed') === '1';
    const body = html`
      ${done ? notice('ok', bi('密码已修改，其他会话已退出。', 'Password changed; your other sessions were logged out.')) : ''}
      <dl class="kv card narrow"><dt>${bi('用户名', 'User name')}</dt><dd>${u.username}</dd><dt>${bi('角色', 'Role')}</dt><dd>${ROLE_NAMES[u.role].zh} <span lang="en">${ROLE_NAMES[u.role].en}</span></dd>
        <dt>${bi('部门', 'Department')}</dt><dd>${u.department ?? '-'}</dd></dl>
      <h2>${bi('修改密码', 'Change password')}</h2>
      <form method="post" action="/account/password" class="card narrow" id="password-form">${csrfField(c.csrf)}
        <p><label for="pw-current">${bi('当前密码', 'Current password')}</label><input id="pw-current" name="current" type="password" autocomplete="current-password" required></p>
        <p><label for="pw-new">${bi(`新密码（至少 ${MIN_PASSWORD_LENGTH} 位）`, `New password (${MIN_PASSWORD_LENGTH} characters or more)`)}</label><input id="pw-new" name="password" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}"></p>
        <p><button type="submit" class="primary">${bi('修改', 'Change')}</button></p>
      </form>`;
    return app.page(c, { zh: '我的账户', en: 'My account' }, body);
  });
  app.router.post('/account/password', 'editor', async (c) => {
    const u = c.user!;
    const hash = app.db.prepare('SELECT password_hash FROM users WHERE id = ?').pluck().get(u.id) as string;
    if (!(await verifyPassword(c.form.current ?? '', hash))) {
      app.audit.record(u.username, 'user.password.failed', { type: 'user', id: u.username });
      throw serveError('SP_SERVE_LOGIN_FAILED', undefined, { message: 'the current password is wrong' });
    }
    await app.users.setPassword(u.id, c.form.password ?? '');
    app.sessions.endAllFor(u.id);
    const { token } = app.sessions.create(u.id, c.ip);
    app.audit.record(u.username, 'user.password.own', { type: 'user', id: u.username });
    const secure = c.req.headers['x-forwarded-proto'] === 'https';
    return { redirect: '/account?changed=1', headers: { 'set-cookie': sessionCookie(token, secure, 12 * 3600) } };
  });
}
