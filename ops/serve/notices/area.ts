/**
 * The notices area (docs/ops-console.md §Notices): compose, preview with the pole's renderer,
 * send signed, the live delivery board, withdraw; the pole page's "active notices" section.
 */
import type { Area, OpsApp } from '../app.js';
import type { RequestContext } from '../router.js';
import { html, bi, notice } from '../html.js';
import { serveError } from '../errors.js';
import { hasRole } from '../auth/users.js';
import { NOTICE_MIGRATIONS } from './migrations.js';
import { DeliveryStore } from './delivery-store.js';
import { NoticeLog } from './notice-log.js';
import { compose, composeInput, EMPTY_INPUT, type ComposeInput } from './compose.js';
import { composePage } from './compose-page.js';
import { boardFragment, boardPage, noticeRows, noticesListPage, stateBadge } from './board-page.js';
import { NoticePreviewer, type PreviewLanguage } from './preview.js';
import { polesOf, sendNotice, withdrawNotice, type NoticeDeps } from './send.js';
import { fleetStores } from '../fleet/area.js';
import { completeNotice } from '../../sign.js';

/** Delivery boards of a running console (the alerts area tracks CAP alerts in the same store). */
export const deliveryStores = new WeakMap<OpsApp, DeliveryStore>();

export const noticesArea: Area = {
  name: 'notices',
  migrations: NOTICE_MIGRATIONS,
  register(app: OpsApp) {
    const fleet = fleetStores.get(app);
    if (!fleet) throw new Error('the notices area needs the fleet area before it (ops/serve/areas.ts)');
    const deliveries = new DeliveryStore(app.db, app.now);
    deliveryStores.set(app, deliveries);
    const log = new NoticeLog(app.db);
    const previewer = new NoticePreviewer();
    const d: NoticeDeps = { app, fleet, deliveries, log };

    app.link.on('batch', (batch) => {
      const changed = app.db.transaction(() => deliveries.apply(batch))();
      for (const id of changed) app.live.changed(`notice:${id}`);
      if (changed.size) app.live.changed('notices');
      for (const m of batch) if (m.leaf === 'receipts') app.live.changed(`pole:${m.poleId}`);
    });

    const previewUrls = async (input: ComposeInput, c: RequestContext) => {
      const r = compose(input);
      if (!r.ok) return { problems: r.problems };
      if (r.value.draft.priority === 'emergency' && !hasRole(c.user!, 'approver')) throw serveError('SP_SERVE_FORBIDDEN', { priority: 'emergency' }, { message: 'only approvers and administrators send emergency-priority notices' });
      const payload = completeNotice(r.value.draft, app.now());
      const png = async (lang: PreviewLanguage) => `data:image/png;base64,${(await previewer.render(payload, lang, app.now())).toString('base64')}`;
      const [zh, en] = [await png('zh'), await png('en')];
      return { composed: r.value, preview: { zh, en, digest: r.value.digest, poles: polesOf(r.value.targets, fleet).length } };
    };

    app.nav.push({ href: '/notices', zh: '公告', en: 'Notices', order: 20 });
    app.router.get('/notices', 'editor', (c) => noticesListPage(app, log, deliveries, c));
    app.router.get('/notices/rows', 'editor', () => ({ html: noticeRows(log.list(), deliveries).s }));
    app.router.get('/notices/new', 'editor', (c) => composePage(app, c, fleet.groups(), { input: EMPTY_INPUT }));
    app.router.post('/notices/preview', 'editor', async (c) => {
      const input = composeInput(c.form, c.formAll);
      const r = await previewUrls(input, c);
      return 'problems' in r ? composePage(app, c, fleet.groups(), { input, problems: r.problems!, status: 400 }) : composePage(app, c, fleet.groups(), { input, preview: r.preview });
    });
    app.router.post('/notices', 'editor', async (c) => {
      const input = composeInput(c.form, c.formAll);
      const r = compose(input);
      if (!r.ok) return composePage(app, c, fleet.groups(), { input, problems: r.problems, status: 400 });
      if (r.value.digest !== c.form.digest) {
        const again = await previewUrls(input, c);
        return composePage(app, c, fleet.groups(), {
          input, ...('preview' in again && again.preview ? { preview: again.preview } : {}), status: 409,
          error: notice('error', bi('内容在预览后有改动：请看新的预览后再发送。', 'The notice changed after the preview: check the new preview, then send.')),
        });
      }
      if (r.value.draft.priority === 'emergency' && !hasRole(c.user!, 'approver')) throw serveError('SP_SERVE_FORBIDDEN', { priority: 'emergency' });
      try {
        const sent = await sendNotice(d, r.value.draft, r.value.targets, c.user!.username);
        return { redirect: `/notices/${encodeURIComponent(sent.id)}` };
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code !== 'SP_SERVE_MQTT_DOWN' && code !== 'SP_SERVE_BAD_REQUEST') throw e;
        return composePage(app, c, fleet.groups(), { input, status: code === 'SP_SERVE_MQTT_DOWN' ? 503 : 400, error: notice('error', html`${bi('没有发出：', 'Not sent: ')}<code>${code}</code> ${(e as Error).message}`) });
      }
    });
    const get = (c: RequestContext) => {
      const n = log.get(c.params.id!);
      if (!n) throw serveError('SP_SERVE_NOT_FOUND', { notice: c.params.id });
      return n;
    };
    app.router.get('/notices/:id', 'editor', (c) => boardPage(app, deliveries, c, get(c)));
    app.router.get('/notices/:id/board', 'editor', (c) => ({ html: boardFragment(deliveries, get(c).id, app.now()).s }));
    app.router.get('/api/notices/:id/board', 'editor', (c) => ({ json: { counts: deliveries.counts(get(c).id), poles: deliveries.rows(get(c).id) } }));
    for (const lang of ['zh', 'en'] as const) {
      app.router.get(`/notices/:id/preview-${lang}.png`, 'editor', async (c) => ({ body: await previewer.render(get(c).payload, lang, app.now()), type: 'image/png', headers: { 'cache-control': 'private, max-age=3600' } }));
    }
    app.router.post('/notices/:id/withdraw', 'editor', async (c) => {
      const n = get(c);
      if (n.state !== 'sent') return { redirect: `/notices/${encodeURIComponent(n.id)}` };
      await withdrawNotice(d, n, (c.form.reason ?? '').trim().slice(0, 200) || null, c.user!.username);
      return { redirect: `/notices/${encodeURIComponent(n.id)}` };
    });

    app.poleSections.push({
      order: 10,
      render: (_c, poleId) => html`<section aria-labelledby="h-active"><h2 id="h-active">${bi('在显示的公告', 'Notices in force')}</h2>
        <div data-live="pole:${poleId}" data-src="/poles/${encodeURIComponent(poleId)}/notices">${activeNotices(poleId)}</div></section>`,
    });
    const activeNotices = (poleId: string) => {
      const rows = deliveries.activeOn(poleId).map((r) => ({ ...r, n: log.get(r.msgId) })).filter((r) => r.n && r.n.state === 'sent');
      return rows.length
        ? html`<ul id="pole-notices">${rows.map((r) => html`<li><a href="/notices/${encodeURIComponent(r.msgId)}">${r.n!.payload.title.zh}</a> ${stateBadge(r.status)}</li>`)}</ul>`
        : html`<p class="muted">${bi('这根灯杆上没有本控制台发送的公告。', 'No notice from this console is in force on this pole.')}</p>`;
    };
    app.router.get('/poles/:id/notices', 'editor', (c) => ({ html: activeNotices(c.params.id!).s }));
  },
};
