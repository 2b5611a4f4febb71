/** One pole: health, alarms, telemetry, events, sections from other areas, a screenshot on demand (docs/ops-console.md §Fleet). */
import type { OpsApp } from '../app.js';
import type { RequestContext } from '../router.js';
import { html, bi, ago, cityTime, csrfField, notice, type Html } from '../html.js';
import { serveError } from '../errors.js';
import type { FleetStore, PoleRow } from './fleet-store.js';
import { deviceName, healthBadge, livenessBadge } from './badges.js';

export function poleHealth(app: OpsApp, store: FleetStore, poleId: string): Html {
  const p = store.pole(poleId);
  if (!p) return html`<p>${bi('没有这根灯杆的消息。', 'Nothing heard from this pole.')}</p>`;
  const now = app.now();
  return html`
    <dl class="kv" id="pole-facts">
      <dt>${bi('状态', 'State')}</dt><dd>${livenessBadge(p.liveness)} ${p.offlineReason ? html`<span class="muted">${p.offlineReason}</span>` : ''}</dd>
      <dt>${bi('最后联系', 'Last seen')}</dt><dd>${ago(p.lastSeen, now)}</dd>
      <dt>${bi('版本', 'Version')}</dt><dd>${p.software ?? '-'}</dd>
      <dt>${bi('地址', 'Address')}</dt><dd>${p.address ?? '-'}${p.lat !== null ? html` <span class="muted">(${p.lat.toFixed(5)}, ${p.lon!.toFixed(5)})</span>` : ''}</dd>
      <dt>${bi('分组', 'Groups')}</dt><dd>${p.groups.join(', ') || '-'}</dd>
      <dt>${bi('待发消息', 'Outbox depth')}</dt><dd>${p.outboxDepth ?? '-'}</dd>
      <dt>${bi('连接', 'Broker')}</dt><dd>${p.broker ?? '-'} · bdSeq ${p.bdSeq ?? '-'} · ${bi('心跳', 'heartbeat')} ${p.heartbeatSec ?? '-'} s</dd>
      <dt>${bi('上线时间', 'Birth')}</dt><dd>${cityTime(p.birthAt, true)}</dd>
    </dl>
    <h3>${bi('设备', 'Devices')}</h3>
    ${devicesTable(p)}`;
}

function devicesTable(p: PoleRow): Html {
  const entries = Object.entries(p.devices);
  if (!entries.length) return html`<p class="muted">-</p>`;
  return html`<table class="grid" id="pole-devices"><thead><tr><th scope="col">${bi('设备', 'Device')}</th><th scope="col">${bi('状态', 'Status')}</th><th scope="col">${bi('详情', 'Detail')}</th></tr></thead>
    <tbody>${entries.map(([d, h]) => html`<tr><th scope="row">${deviceName(d)}</th><td>${healthBadge(h.status)}</td><td>${String(h.detail ?? h.state ?? '')}</td></tr>`)}</tbody></table>`;
}

export function poleEvents(store: FleetStore, poleId: string): Html {
  const ev = store.events(poleId, 30);
  const tel = store.telemetry(poleId);
  return html`
    <h3>${bi('最近事件', 'Recent events')}</h3>
    ${ev.length ? html`<table class="grid" id="pole-events"><thead><tr><th scope="col">${bi('时间', 'Time')}</th><th scope="col">${bi('级别', 'Severity')}</th><th scope="col">${bi('代码', 'Code')}</th><th scope="col">${bi('说明', 'Message')}</th></tr></thead>
      <tbody>${ev.map((e) => html`<tr><td>${cityTime(e.at, true)}</td><td><span class="badge ${e.severity === 'alarm' || e.severity === 'security' ? 'b-error' : e.severity === 'warning' ? 'b-warn' : 'b-dim'}">${e.severity}</span></td><td><code>${e.code}</code></td><td>${e.message ?? ''}</td></tr>`)}</tbody></table>`
      : html`<p class="muted">${bi('没有事件。', 'No events.')}</p>`}
    <h3>${bi('最新遥测', 'Latest telemetry')}</h3>
    ${tel.length ? html`<table class="grid" id="pole-telemetry"><thead><tr><th scope="col">${bi('类别', 'Kind')}</th><th scope="col">${bi('时间', 'Time')}</th><th scope="col">${bi('数值', 'Values')}</th></tr></thead>
      <tbody>${tel.map((t) => html`<tr><th scope="row">${t.kind}</th><td>${cityTime(t.at, true)}</td><td class="detail">${Object.entries(t.values).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join('  ')}</td></tr>`)}</tbody></table>`
      : html`<p class="muted">${bi('还没有遥测。', 'No telemetry yet.')}</p>`}`;
}

export function poleSnapshot(store: FleetStore, poleId: string): Html {
  const s = store.snapshot(poleId);
  return s
    ? html`<figure class="snapshot"><img id="pole-snapshot" src="/poles/${encodeURIComponent(poleId)}/snapshot.png?at=${encodeURIComponent(s.at)}" width="240" height="400"
        alt="${poleId} 屏幕截图 screen snapshot ${s.at}"><figcaption>${cityTime(s.at, true)} · ${s.username}</figcaption></figure>`
    : html`<p class="muted">${bi('还没有截图。', 'No snapshot yet.')}</p>`;
}

export function polePage(app: OpsApp, store: FleetStore, c: RequestContext) {
  const id = c.params.id!;
  const p = store.pole(id);
  if (!p) throw serveError('SP_SERVE_NOT_FOUND', { pole: id }, { message: `no pole ${id} has been heard from` });
  const enc = encodeURIComponent(id);
  const sections = [...app.poleSections].sort((a, b) => a.order - b.order);
  const flash = c.url.searchParams.get('snapshot');
  const body = html`
    <p><a href="/fleet">← ${bi('灯杆总览', 'Fleet')}</a></p>
    ${flash === 'failed' ? notice('error', html`${bi('截图失败：', 'Snapshot failed: ')}${c.url.searchParams.get('code') ?? ''}`) : ''}
    <div class="cols">
      <section aria-labelledby="h-health"><h2 id="h-health">${bi('运行状况', 'Health')}</h2>
        <div data-live="pole:${id}" data-src="/poles/${enc}/health">${poleHealth(app, store, id)}</div>
      </section>
      <section aria-labelledby="h-screen"><h2 id="h-screen">${bi('屏幕', 'Screen')}</h2>
        <form method="post" action="/poles/${enc}/snapshot" id="snapshot-form">${csrfField(c.csrf)}
          <button type="submit" class="primary">${bi('立即截图', 'Take a screenshot')}</button>
          <span class="muted">${bi('（发送 screen.snapshot 命令，最多等 20 秒）', '(sends the screen.snapshot command; waits up to 20 s)')}</span></form>
        <div data-live="pole:${id}" data-src="/poles/${enc}/snapshot-fragment">${poleSnapshot(store, id)}</div>
      </section>
    </div>
    ${sections.map((s) => s.render(c, id))}
    <section aria-labelledby="h-events"><h2 id="h-events">${bi('事件与遥测', 'Events and telemetry')}</h2>
      <div data-live="pole:${id}" data-src="/poles/${enc}/events">${poleEvents(store, id)}</div>
    </section>`;
  const feeds = [`pole:${id}`, ...sections.flatMap((s) => s.feeds?.(id) ?? [])];
  return app.page(c, { zh: `灯杆 ${id}`, en: `Pole ${id}` }, body, { feeds });
}
