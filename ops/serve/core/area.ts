/**
 * The core area: login and logout, the live feed endpoint, the console's own status, users
 * (administrators) and the audit log (docs/ops-console.md §Users, §Audit).
 */
import type { Area, OpsApp } from '../app.js';
import { CORE_MIGRATIONS } from './migrations.js';
import { loginPage, loginRoutes } from './login.js';
import { usersRoutes } from './users-page.js';
import { auditRoutes } from './audit-page.js';
import { accountRoutes } from './account-page.js';

export const coreArea: Area = {
  name: 'core',
  migrations: CORE_MIGRATIONS,
  register(app: OpsApp) {
    app.router.get('/', 'editor', () => ({ redirect: '/fleet' }));
    app.router.get('/login', 'public', (c) => loginPage(app, c));
    loginRoutes(app);
    app.router.get('/live', 'editor', (c) => {
      const feeds = (c.url.searchParams.get('feeds') ?? '').split(',').filter((f) => f && f.length <= 200);
      app.live.attach(c.res, feeds);
      return { taken: true };
    });
    app.router.get('/api/status', 'editor', () => ({ json: { mqtt: app.link.state, broker: app.link.broker, kid: app.key.kid, liveClients: app.live.size } }));
    usersRoutes(app);
    auditRoutes(app);
    accountRoutes(app);
    app.link.on('state', () => app.live.changed('status'));
  },
};
