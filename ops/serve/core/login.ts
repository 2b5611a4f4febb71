/** Login and logout (docs/ops-console.md §Users): scrypt check, lockout, session cookie, audit. */
import type { OpsApp } from '../app.js';
import type { Reply, RequestContext } from '../router.js';
import { html, bi, csrfField, notice } from '../html.js';
import { sessionCookie, SESSION_COOKIE } from '../auth/sessions.js';
import { serveError } from '../errors.js';

/** Only a path of this console (never `//host` or a scheme): an open redirect would help phishing. */
export function safeNext(next: string | null | undefined): string {
  return next && /^\/(?![/\\])[^\s]*$/.test(next) && !next.startsWith('/login') ? next : '/';
}

export function loginPage(app: OpsApp, c: RequestContext, error?: { code: string; retryAfterMs?: number | undefined }, status = 200): Reply {
  if (c.user && !error) return { redirect: safeNext(c.url.searchParams.get('next')) };
  const next = safeNext(c.form.next ?? c.url.searchParams.get('next'));
  const noUsers = app.users.count() === 0;
  const msg = error?.code === 'SP_SERVE_LOCKED'
    ? notice('error', html`${bi('登录失败次数过多，账户已临时锁定。', 'Too many failed logins: the account is locked.')}
        ${bi(`请 ${Math.ceil((error.retryAfterMs ?? 0) / 60_000)} 分钟后再试。`, `Try again in ${Math.ceil((error.retryAfterMs ?? 0) / 60_000)} min.`)} (${error.code})`)
    : error ? notice('error', html`${bi('用户名或密码错误。', 'Wrong user name or password.')} (${error.code})`) : '';
  const body = html`
    ${noUsers ? notice('info', html`${bi('还没有用户。请用 --init-admin 创建第一个管理员（见文档）。', 'No users yet. Create the first administrator with --init-admin (see docs/ops-console.md).')}`) : ''}
    ${msg}
    <form method="post" action="/login" class="card narrow" id="login-form">
      ${csrfField(c.csrf)}
      <input type="hidden" name="next" value="${next}">
      <p><label for="username">${bi('用户名', 'User name')}</label>
        <input id="username" name="username" autocomplete="username" required maxlength="64" autofocus value="${c.form.username ?? ''}"></p>
      <p><label for="password">${bi('密码', 'Password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"></p>
      <p><button type="submit" class="primary">${bi('登录', 'Log in')}</button></p>
    </form>`;
  return app.page(c, { zh: '登录', en: 'Log in' }, body, { status });
}

export function loginRoutes(app: OpsApp): void {
  app.router.post('/login', 'public', async (c) => {
    const username = (c.form.username ?? '').trim().slice(0, 64);
    const password = c.form.password ?? '';
    if (!username || !password) throw serveError('SP_SERVE_BAD_REQUEST', { field: username ? 'password' : 'username' });
    const r = await app.users.login(username, password.slice(0, 1024));
    if (!r.ok) {
      app.audit.record(r.username, r.code === 'SP_SERVE_LOCKED' ? 'login.locked' : 'login.failed', { type: 'user', id: r.username }, { ip: c.ip });
      app.logger.warn({ code: r.code, user: r.username, ip: c.ip }, 'ops serve: login refused');
      return loginPage(app, c, { code: r.code, retryAfterMs: r.retryAfterMs }, r.code === 'SP_SERVE_LOCKED' ? 429 : 401);
    }
    const { token } = app.sessions.create(r.user.id, c.ip);
    app.audit.record(r.user.username, 'login', { type: 'user', id: r.user.username }, { ip: c.ip });
    const secure = c.req.headers['x-forwarded-proto'] === 'https' || (c.res.socket as { encrypted?: boolean } | null)?.encrypted === true;
    return {
      redirect: safeNext(c.form.next),
      headers: { 'set-cookie': [sessionCookie(token, secure, 12 * 3600), 'sp_ops_pre=; Path=/; Max-Age=0'].join('\n') },
    };
  });
  app.router.post('/logout', 'editor', (c) => {
    if (c.session) app.sessions.end(c.session.tokenHash);
    app.audit.record(c.user!.username, 'logout', { type: 'user', id: c.user!.username });
    return { redirect: '/login', headers: { 'set-cookie': `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0` } };
  });
}
