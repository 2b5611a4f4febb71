/** The emergency alerts area (docs/ops-console.md §Emergency alerts): tables, pages, and births + receipts from the uplink. */
import type { Area, OpsApp } from '../app.js';
import { AlertDelivery } from './alert-delivery.js';
import { AlertService } from './alert-service.js';
import { AlertStore } from './alert-store.js';
import { alertPageRoutes } from './alert-page.js';
import { alertListRoutes } from './list-page.js';
import { ALERT_MIGRATIONS } from './migrations.js';

export const alertsArea: Area = {
  name: 'alerts',
  migrations: ALERT_MIGRATIONS,
  register(app: OpsApp) {
    const delivery = new AlertDelivery(app.db);
    const alerts = new AlertService({
      store: new AlertStore(app.db), prefix: app.prefix, key: () => app.key, logger: app.logger, now: () => app.now(),
      publish: (topic, body) => app.link.publish(topic, body, { retain: true }),
      poles: () => delivery.poles(),
      audit: (e) => app.audit.record(e.actor, e.action, { type: 'alert', id: e.target }, { role: e.role, detail: e.detail }),
    });
    alerts.on('changed', (id) => { app.live.changed('alerts'); app.live.changed(`alert:${id}`); });
    app.link.on('batch', (batch) => {
      const changed = app.db.transaction(() => delivery.take(batch))();
      for (const id of changed) app.live.changed(`alert:${id}`);
    });
    app.nav.push({ href: '/alerts', zh: '应急预警', en: 'Emergency alerts', order: 30 });
    alertListRoutes(app, alerts);
    alertPageRoutes(app, alerts, delivery);
  },
};
