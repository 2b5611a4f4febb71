/** The fleet page: summary, filters, the table and the map, live (docs/ops-console.md §Fleet). */
import type { OpsApp } from '../app.js';
import type { RequestContext } from '../router.js';
import { html, bi, ago, type Html } from '../html.js';
import type { FleetFilter, FleetStore, Liveness, PoleRow } from './fleet-store.js';
import { livenessBadge, deviceName } from './badges.js';
import { fleetMap } from './map.js';

/** Rows per page of the fleet table (the map always shows every pole of the filter). */
export const PAGE_SIZE = 200;

export function pageOf(c: RequestContext): number {
  const n = Number(c.url.searchParams.get('page') ?? 1);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, 10_000) : 1;
}

export function filterOf(c: RequestContext): FleetFilter {
  const s = c.url.searchParams;
  const l = s.get('state');
  return {
    group: s.get('group') || undefined, q: s.get('q')?.slice(0, 64) || undefined, alarms: s.get('alarms') === '1',
    liveness: l === 'online' || l === 'stale' || l === 'offline' ? (l as Liveness) : undefined,
  };
}

function rowHtml(p: PoleRow, now: number): Html {
  return html`<tr data-pole="${p.poleId}">
    <th scope="row"><a href="/poles/${encodeURIComponent(p.poleId)}">${p.poleId}</a><div class="muted">${p.address ?? ''}</div></th>
    <td>${livenessBadge(p.liveness)}${p.liveness === 'offline' && p.offlineReason ? html`<div class="muted">${p.offlineReason}</div>` : ''}</td>
    <td>${ago(p.lastSeen, now)}</td>
    <td>${p.software ?? '-'}</td>
    <td>${p.alarms.length ? p.alarms.map((a) => html`<span class="badge ${a.status === 'down' ? 'b-error' : 'b-warn'}" title="${a.detail}">${deviceName(a.device)}</span> `) : html`<span class="muted">${bi('无', 'none')}</span>`}</td>
    <td class="num">${p.outboxDepth ?? '-'}</td>
    <td>${p.groups.join(', ')}</td>
  </tr>`;
}

export function fleetRows(store: FleetStore, f: FleetFilter, now: number, page = 1): Html {
  const rows = store.rows(f).slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  if (!rows.length) return html`<tr><td colspan="7">${bi('没有符合条件的灯杆。', 'No pole matches.')}</td></tr>`;
  return html`${rows.map((p) => rowHtml(p, now))}`;
}

export function fleetSummary(store: FleetStore, f: FleetFilter): Html {
  const rows = store.rows({ group: f.group });
  const n = (l: Liveness) => rows.filter((p) => p.liveness === l).length;
  const stat = (zh: string, en: string, v: number, id: string) => html`<div class="stat" id="${id}"><b>${v}</b>${bi(zh, en)}</div>`;
  return html`${stat('灯杆', 'poles', rows.length, 'n-poles')}${stat('在线', 'online', n('online'), 'n-online')}${stat('失联', 'stale', n('stale'), 'n-stale')}
    ${stat('离线', 'offline', n('offline'), 'n-offline')}${stat('有告警', 'with alarms', rows.filter((p) => p.alarms.length).length, 'n-alarms')}`;
}

export function fleetPage(app: OpsApp, store: FleetStore, c: RequestContext) {
  const f = filterOf(c);
  const page = pageOf(c);
  const qs = c.url.search;
  const total = store.rows(f).length;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const pageLink = (n: number) => { const u = new URLSearchParams(c.url.searchParams); u.set('page', String(n)); return `/fleet?${u.toString()}`; };
  const pager = pages > 1 ? html`<nav class="pager" aria-label="分页 Pages"><p>
    ${page > 1 ? html`<a href="${pageLink(page - 1)}" rel="prev">← ${bi('上一页', 'Previous')}</a>` : ''}
    ${bi(`第 ${page} / ${pages} 页（共 ${total} 根）`, `page ${page} of ${pages} (${total} poles)`)}
    ${page < pages ? html`<a href="${pageLink(page + 1)}" rel="next">${bi('下一页', 'Next')} →</a>` : ''}</p></nav>` : '';
  const groups = store.groups();
  const now = app.now();
  const opt = (v: string, cur: string | undefined, label: Html | string) => html`<option value="${v}"${v === (cur ?? '') ? html` selected` : ''}>${label}</option>`;
  const body = html`
    <div class="summary" data-live="fleet" data-src="/fleet/summary${qs}">${fleetSummary(store, f)}</div>
    <form method="get" action="/fleet" class="filters" role="search">
      <p><label for="f-group">${bi('分组 / 区', 'Group / district')}</label>
        <select id="f-group" name="group">${opt('', f.group, '全部 all')}${groups.map((g) => opt(g, f.group, g))}</select></p>
      <p><label for="f-state">${bi('状态', 'State')}</label>
        <select id="f-state" name="state">${opt('', f.liveness, '全部 all')}${opt('online', f.liveness, '在线 online')}${opt('stale', f.liveness, '失联 stale')}${opt('offline', f.liveness, '离线 offline')}</select></p>
      <p><label for="f-q">${bi('编号或地址', 'Id or address')}</label><input id="f-q" name="q" value="${f.q ?? ''}" maxlength="64"></p>
      <p class="checks"><label><input type="checkbox" name="alarms" value="1"${f.alarms ? html` checked` : ''}> ${bi('只看告警', 'alarms only')}</label></p>
      <p><button type="submit">${bi('筛选', 'Filter')}</button> <a href="/fleet">${bi('清除', 'Clear')}</a></p>
    </form>
    <div class="cols">
      <div>
        <table class="grid" id="fleet-table">
          <caption class="sr-only">${bi('灯杆', 'Poles')}</caption>
          <thead><tr><th scope="col">${bi('灯杆', 'Pole')}</th><th scope="col">${bi('状态', 'State')}</th><th scope="col">${bi('最后联系', 'Last seen')}</th>
            <th scope="col">${bi('版本', 'Version')}</th><th scope="col">${bi('告警', 'Alarms')}</th><th scope="col" class="num">${bi('待发', 'Outbox')}</th><th scope="col">${bi('分组', 'Groups')}</th></tr></thead>
          <tbody data-live="fleet" data-src="/fleet/rows${qs}">${fleetRows(store, f, now, page)}</tbody>
        </table>
        ${pager}
        <p class="muted">${bi('失联：在线但超过 3 个心跳周期没有消息。', 'Stale: online, but nothing heard for 3 heartbeat intervals.')}</p>
      </div>
      <div>
        <h2>${bi('地图', 'Map')}</h2>
        <div data-live="fleet" data-src="/fleet/map${qs}">${fleetMap(store.rows(f))}</div>
        <p class="legend"><span>● ${bi('在线', 'online')}</span><span>▲ ${bi('失联', 'stale')}</span><span>■ ${bi('离线', 'offline')}</span><span>• ${bi('红点：告警', 'red dot: alarm')}</span></p>
      </div>
    </div>`;
  return app.page(c, { zh: '灯杆总览', en: 'Fleet' }, body, { feeds: ['fleet'] });
}
