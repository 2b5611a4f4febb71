/** The citizens' messages area (docs/ops-console.md §Citizens' messages): its table, pages, and records from `poles/+/feedback`. */
import type { Area, OpsApp } from '../app.js';
import { DEFAULT_DEPARTMENTS } from './departments.js';
import { Inbox } from './inbox-service.js';
import { InboxStore } from './inbox-store.js';
import { inboxListRoutes } from './list-page.js';
import { messagePageRoutes } from './message-page.js';
import { INBOX_MIGRATIONS } from './migrations.js';

export const inboxArea: Area = {
  name: 'inbox',
  migrations: INBOX_MIGRATIONS,
  register(app: OpsApp) {
    const inbox = new Inbox({
      store: new InboxStore(app.db), departments: DEFAULT_DEPARTMENTS, prefix: app.prefix, key: () => app.key, logger: app.logger, now: () => app.now(),
      publish: (topic, body) => app.link.publish(topic, body, { retain: true }),
      audit: (e) => app.audit.record(e.actor, e.action, { type: 'message', id: e.target }, { role: e.role, detail: e.detail }),
    });
    inbox.on('changed', (poleId, ticket) => { app.live.changed('inbox'); app.live.changed(`message:${poleId}/${ticket}`); });
    app.link.on('batch', (batch) => {
      const records = batch.filter((m) => m.leaf === 'feedback' && m.body).map((m) => ({ poleId: m.poleId, body: m.body }));
      if (records.length) inbox.handleRecords(records);
    });
    app.nav.push({ href: '/inbox', zh: '市民留言', en: 'Citizens\' messages', order: 40 });
    inboxListRoutes(app, inbox);
    messagePageRoutes(app, inbox);
  },
};
