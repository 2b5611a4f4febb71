/** User administration (administrators; docs/ops-console.md §Users): add, change role, disable, reset password, unlock. */
import type { OpsApp } from '../app.js';
import { field } from '../router.js';
import { html, bi, csrfField } from '../html.js';
import { ROLES, ROLE_NAMES, type Role } from '../auth/users.js';
import { serveError } from '../errors.js';

function role(v: string): Role {
  if (!(ROLES as readonly string[]).includes(v)) throw serveError('SP_SERVE_BAD_REQUEST', { field: 'role' });
  return v as Role;
}

export function usersRoutes(app: OpsApp): void {
  app.nav.push({ href: '/users', zh: '用户', en: 'Users', order: 95, role: 'administrator' });
  app.router.get('/users', 'administrator', (c) => {
    const now = app.now();
    const rows = app.db.prepare('SELECT id, username, display_name, role, department, disabled, locked_until FROM users ORDER BY username').all() as
      { id: number; username: string; display_name: string; role: Role; department: string | null; disabled: number; locked_until: number }[];
    const roleOptions = (cur?: Role) => ROLES.map((r) => html`<option value="${r}"${r === cur ? html` selected` : ''}>${ROLE_NAMES[r].zh} ${ROLE_NAMES[r].en}</option>`);
    const body = html`
      <table class="grid" id="users-table">
        <caption class="sr-only">${bi('用户', 'Users')}</caption>
        <thead><tr><th scope="col">${bi('用户名', 'User name')}</th><th scope="col">${bi('姓名', 'Name')}</th><th scope="col">${bi('部门', 'Department')}</th>
          <th scope="col">${bi('角色', 'Role')}</th><th scope="col">${bi('状态', 'State')}</th><th scope="col">${bi('操作', 'Actions')}</th></tr></thead>
        <tbody>${rows.map((u) => html`<tr>
          <td>${u.username}</td><td>${u.display_name}</td><td>${u.department ?? '-'}</td>
          <td><form method="post" action="/users/${u.id}/role" class="inline">${csrfField(c.csrf)}
            <label class="sr-only" for="role-${u.id}">${bi('角色', 'Role')}</label><select id="role-${u.id}" name="role">${roleOptions(u.role)}</select>
            <button type="submit">${bi('改', 'Set')}</button></form></td>
          <td>${u.disabled ? bi('已停用', 'disabled') : u.locked_until > now ? bi('已锁定', 'locked') : bi('正常', 'active')}</td>
          <td class="actions">
            ${u.locked_until > now ? html`<form method="post" action="/users/${u.id}/unlock" class="inline">${csrfField(c.csrf)}<button type="submit">${bi('解锁', 'Unlock')}</button></form>` : ''}
            <form method="post" action="/users/${u.id}/${u.disabled ? 'enable' : 'disable'}" class="inline">${csrfField(c.csrf)}<button type="submit">${u.disabled ? bi('启用', 'Enable') : bi('停用', 'Disable')}</button></form>
            <form method="post" action="/users/${u.id}/password" class="inline">${csrfField(c.csrf)}
              <label class="sr-only" for="pw-${u.id}">${bi('新密码', 'New password')}</label><input id="pw-${u.id}" name="password" type="password" autocomplete="new-password" minlength="12" placeholder="新密码 New password">
              <button type="submit">${bi('重设密码', 'Reset password')}</button></form>
          </td></tr>`)}</tbody>
      </table>
      <h2>${bi('添加用户', 'Add a user')}</h2>
      <form method="post" action="/users" class="card narrow" id="add-user">${csrfField(c.csrf)}
        <p><label for="nu-username">${bi('用户名', 'User name')}</label><input id="nu-username" name="username" required maxlength="64" pattern="[A-Za-z0-9._@-]{2,64}"></p>
        <p><label for="nu-name">${bi('姓名', 'Name')}</label><input id="nu-name" name="displayName" maxlength="64"></p>
        <p><label for="nu-dept">${bi('部门', 'Department')}</label><input id="nu-dept" name="department" maxlength="64"></p>
        <p><label for="nu-role">${bi('角色', 'Role')}</label><select id="nu-role" name="role">${roleOptions('editor')}</select></p>
        <p><label for="nu-pw">${bi('初始密码（至少 12 位）', 'Initial password (12 characters or more)')}</label><input id="nu-pw" name="password" type="password" autocomplete="new-password" required minlength="12"></p>
        <p><button type="submit" class="primary">${bi('添加', 'Add')}</button></p>
      </form>`;
    return app.page(c, { zh: '用户', en: 'Users' }, body);
  });
  app.router.post('/users', 'administrator', async (c) => {
    const u = await app.users.create({
      username: field(c, 'username', { max: 64 }), displayName: field(c, 'displayName', { max: 64, optional: true }) || undefined,
      department: field(c, 'department', { max: 64, optional: true }) || null, role: role(field(c, 'role')), password: c.form.password ?? '',
    });
    app.audit.record(c.user!.username, 'user.create', { type: 'user', id: u.username }, { role: u.role });
    return { redirect: '/users' };
  });
  const target = (id: string) => {
    const u = app.users.byId(Number(id));
    if (!u) throw serveError('SP_SERVE_NOT_FOUND', { user: id });
    return u;
  };
  app.router.post('/users/:id/role', 'administrator', (c) => {
    const u = target(c.params.id!);
    const r = role(field(c, 'role'));
    app.users.setRole(u.id, r);
    app.audit.record(c.user!.username, 'user.role', { type: 'user', id: u.username }, { from: u.role, to: r });
    return { redirect: '/users' };
  });
  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    app.router.post(`/users/:id/${verb}`, 'administrator', (c) => {
      const u = target(c.params.id!);
      if (u.id === c.user!.id) throw serveError('SP_SERVE_BAD_REQUEST', undefined, { message: 'you cannot disable yourself' });
      app.users.setDisabled(u.id, disabled);
      if (disabled) app.sessions.endAllFor(u.id);
      app.audit.record(c.user!.username, `user.${verb}`, { type: 'user', id: u.username });
      return { redirect: '/users' };
    });
  }
  app.router.post('/users/:id/unlock', 'administrator', (c) => {
    const u = target(c.params.id!);
    app.users.unlock(u.id);
    app.audit.record(c.user!.username, 'user.unlock', { type: 'user', id: u.username });
    return { redirect: '/users' };
  });
  app.router.post('/users/:id/password', 'administrator', async (c) => {
    const u = target(c.params.id!);
    await app.users.setPassword(u.id, c.form.password ?? '');
    app.sessions.endAllFor(u.id);
    app.audit.record(c.user!.username, 'user.password', { type: 'user', id: u.username });
    return { redirect: '/users' };
  });
}
