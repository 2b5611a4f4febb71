/**
 * The fleet area (docs/ops-console.md §Fleet): keeps the poles' state from the link, serves the
 * fleet and pole pages, the map and screenshots on demand (`screen.snapshot`).
 */
import type { Area, OpsApp } from '../app.js';
import { FLEET_MIGRATIONS } from './migrations.js';
import { FleetStore } from './fleet-store.js';
import { fleetPage, fleetRows, fleetSummary, filterOf, pageOf } from './fleet-page.js';
import { fleetMap } from './map.js';
import { poleEvents, poleHealth, polePage, poleSnapshot } from './pole-page.js';
import { runPoleCommand } from './commands.js';
import { checkLevels } from '../../commands/notice.js';
import { serveError } from '../errors.js';

/** The fleet store of a running console (other areas read members of a target from it). */
export const fleetStores = new WeakMap<OpsApp, FleetStore>();

export const fleetArea: Area = {
  name: 'fleet',
  migrations: FLEET_MIGRATIONS,
  register(app: OpsApp) {
    const store = new FleetStore(app.db, app.now);
    fleetStores.set(app, store);
    app.link.on('batch', (batch) => {
      const changed = app.db.transaction(() => store.apply(batch))();
      if (!changed.size) return;
      app.live.changed('fleet');
      for (const p of changed) app.live.changed(`pole:${p}`);
    });
    // Staleness changes with time alone: re-draw when the number of stale poles changes.
    let stale = store.staleCount();
    const tick = setInterval(() => {
      const n = store.staleCount();
      if (n !== stale) { stale = n; app.live.changed('fleet'); }
    }, 5000);
    tick.unref();

    app.nav.push({ href: '/fleet', zh: '灯杆总览', en: 'Fleet', order: 10 });
    app.router.get('/fleet', 'editor', (c) => fleetPage(app, store, c));
    app.router.get('/fleet/rows', 'editor', (c) => ({ html: fleetRows(store, filterOf(c), app.now(), pageOf(c)).s }));
    app.router.get('/fleet/summary', 'editor', (c) => ({ html: fleetSummary(store, filterOf(c)).s }));
    app.router.get('/fleet/map', 'editor', (c) => ({ html: fleetMap(store.rows(filterOf(c))).s }));
    app.router.get('/api/fleet', 'editor', (c) => ({ json: store.rows(filterOf(c)) }));
    app.router.get('/poles/:id', 'editor', (c) => polePage(app, store, c));
    app.router.get('/poles/:id/health', 'editor', (c) => ({ html: poleHealth(app, store, c.params.id!).s }));
    app.router.get('/poles/:id/events', 'editor', (c) => ({ html: poleEvents(store, c.params.id!).s }));
    app.router.get('/poles/:id/snapshot-fragment', 'editor', (c) => ({ html: poleSnapshot(store, c.params.id!).s }));
    app.router.get('/poles/:id/snapshot.png', 'editor', (c) => {
      const s = store.snapshot(c.params.id!);
      if (!s) throw serveError('SP_SERVE_NOT_FOUND', { pole: c.params.id });
      return { body: s.png, type: 'image/png' };
    });
    app.router.post('/poles/:id/snapshot', 'editor', async (c) => {
      const id = checkPole(c.params.id!);
      const enc = encodeURIComponent(id);
      app.audit.record(c.user!.username, 'pole.snapshot', { type: 'pole', id });
      try {
        const r = await runPoleCommand(app, id, 'screen.snapshot', {}, 20_000);
        const result = r.result as { png?: unknown } | undefined;
        if (r.ok !== true || typeof result?.png !== 'string') {
          const code = String((r.error as { code?: unknown } | undefined)?.code ?? 'SP_SERVE_BAD_REQUEST');
          return { redirect: `/poles/${enc}?snapshot=failed&code=${encodeURIComponent(code)}` };
        }
        store.saveSnapshot(id, Buffer.from(result.png, 'base64'), c.user!.username);
        app.live.changed(`pole:${id}`);
        return { redirect: `/poles/${enc}#h-screen` };
      } catch (e) {
        const code = (e as { code?: string }).code ?? 'SP_SERVE_INTERNAL';
        if (code === 'SP_SERVE_MQTT_DOWN' || code === 'SP_SERVE_POLE_NO_ANSWER') return { redirect: `/poles/${enc}?snapshot=failed&code=${code}` };
        throw e;
      }
    });
    return { close: () => clearInterval(tick) };
  },
};

function checkPole(id: string): string {
  try { return checkLevels('pole', id); } catch { throw serveError('SP_SERVE_BAD_REQUEST', { pole: id }, { message: 'not a pole id' }); }
}
