/**
 * Emergency alerts: the list, and a new alert from pasted or uploaded CAP 1.2 XML with its
 * coverage preview before anything is stored or sent (docs/ops-console.md §Emergency alerts).
 */
import { CAP_MAX_XML_CHARS } from '../../../protocols/cap.js';
import type { OpsApp } from '../app.js';
import { bi, cityTime, csrfField, html, notice, type Html } from '../html.js';
import { field, type RequestContext } from '../router.js';
import type { AlertService } from './alert-service.js';
import type { Coverage } from './coverage.js';
import { stateBadge, tierBadge } from './badges.js';

const XML_MAX = CAP_MAX_XML_CHARS;

function newAlertForm(c: RequestContext, values: { xml?: string; audience?: string; rebase?: boolean } = {}): Html {
  return html`<form method="post" action="/alerts/preview" class="card" id="alert-new">
    ${csrfField(c.csrf)}
    <h2>${bi('新建预警', 'New alert')}</h2>
    <p class="muted">${bi('粘贴或上传 CAP 1.2 XML（GB/T 35965.1）。发送前可预览覆盖范围。', 'Paste or upload CAP 1.2 XML (GB/T 35965.1). You see its coverage before sending.')}</p>
    <p><label for="cap-file">${bi('上传 XML 文件', 'Upload an XML file')}</label>
      <input type="file" id="cap-file" accept=".xml,application/xml,text/xml" data-fills="cap-xml"></p>
    <p><label for="cap-xml">${bi('CAP XML', 'CAP XML')}</label>
      <textarea id="cap-xml" name="xml" rows="14" required maxlength="${XML_MAX}" spellcheck="false">${values.xml ?? ''}</textarea></p>
    <p><label for="cap-audience">${bi('发送对象', 'Audience')}</label>
      <input id="cap-audience" name="audience" value="${values.audience ?? 'all'}" required maxlength="160" aria-describedby="cap-audience-help">
      <span id="cap-audience-help" class="muted">${bi('all、group:<分组> 或 pole:<灯杆编号>', 'all, group:<group> or pole:<pole id>')}</span></p>
    <p class="checks"><label><input type="checkbox" name="rebase" value="1"${values.rebase ? html` checked` : ''}> ${bi('按现在时间发送（重放示例）', 'As if sent now (replaying a sample)')}</label></p>
    <p><button type="submit" class="primary">${bi('预览覆盖范围', 'Preview coverage')}</button></p>
  </form>`;
}

export function coverageTable(cov: Coverage): Html {
  const label: Record<string, [string, string, string]> = {
    inside: ['b-ok', '覆盖', 'covered'], unchecked: ['b-ok', '无区域限制', 'no area limit'], outside: ['b-dim', '区域外', 'outside the area'],
    ignored: ['b-warn', '不显示', 'will not show'],
    unknown: ['b-warn', '位置未知', 'location unknown'], audience: ['b-dim', '不在发送对象内', 'not in the audience'],
  };
  return html`<p id="coverage-summary"><strong>${bi(`将显示于 ${cov.shown} 根灯杆`, `Will show on ${cov.shown} pole${cov.shown === 1 ? '' : 's'}`)}</strong>
      <span class="muted">(${bi(`已知 ${cov.poles.length} 根`, `of ${cov.poles.length} known`)})</span></p>
    <table class="grid" id="coverage-table"><caption class="sr-only">${bi('覆盖范围', 'Coverage')}</caption>
      <thead><tr><th scope="col">${bi('灯杆', 'Pole')}</th><th scope="col">${bi('覆盖', 'Coverage')}</th><th scope="col">${bi('原因', 'Why')}</th></tr></thead>
      <tbody>${cov.poles.map((p) => {
    const [cls, zh, en] = label[p.verdict]!;
    return html`<tr><td><a href="/poles/${encodeURIComponent(p.poleId)}">${p.poleId}</a></td><td><span class="badge ${cls}" data-verdict="${p.verdict}">${bi(zh, en)}</span></td><td>${p.reason ?? ''}</td></tr>`;
  })}</tbody></table>`;
}

export function alertListRoutes(app: OpsApp, alerts: AlertService): void {
  const listBody = () => {
    const rows = alerts.list(200);
    return html`${rows.length ? '' : html`<tr><td colspan="4">${bi('暂无预警', 'No alerts yet')}</td></tr>`}
      ${rows.map((a) => html`<tr><td><a href="/alerts/${encodeURIComponent(a.id)}">${a.headline}</a></td><td>${stateBadge(a.state)}</td>
        <td><code>${a.audience}</code></td><td><time datetime="${new Date(a.updatedAt).toISOString()}">${cityTime(new Date(a.updatedAt).toISOString())}</time></td></tr>`)}`;
  };
  app.router.get('/alerts/rows', 'editor', () => ({ html: listBody().s }));
  app.router.get('/alerts', 'editor', (c) => app.page(c, { zh: '应急预警', en: 'Emergency alerts' }, html`
    <div class="cols">
      <section aria-labelledby="alerts-h"><h2 id="alerts-h">${bi('预警列表', 'Alerts')}</h2>
        <table class="grid" id="alerts-table"><caption class="sr-only">${bi('预警列表', 'Alerts')}</caption>
          <thead><tr><th scope="col">${bi('标题', 'Headline')}</th><th scope="col">${bi('状态', 'State')}</th><th scope="col">${bi('对象', 'Audience')}</th><th scope="col">${bi('更新', 'Updated')}</th></tr></thead>
          <tbody data-live="alerts" data-src="/alerts/rows">${listBody()}</tbody></table></section>
      ${newAlertForm(c)}
    </div>`, { feeds: ['alerts'], scripts: ['alerts.js'] }));

  app.router.post('/alerts/preview', 'editor', (c) => {
    const xml = field(c, 'xml', { max: XML_MAX });
    const audience = field(c, 'audience', { max: 160, optional: true }) || 'all';
    const rebase = c.form.rebase === '1';
    let p;
    try {
      p = alerts.preview(xml, audience, rebase);
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'SP_SERVE_INTERNAL';
      if (!code.startsWith('SP_ALERT_')) throw e;
      return app.page(c, { zh: '应急预警', en: 'Emergency alerts' }, html`${notice('error', html`${(e as Error).message} (${code})`)}${newAlertForm(c, { xml, audience, rebase })}`, { status: 400, scripts: ['alerts.js'] });
    }
    return app.page(c, { zh: '预警预览', en: 'Alert preview' }, html`
      <section class="card" aria-labelledby="pv-h"><h2 id="pv-h">${p.headline}</h2>
        <dl class="kv"><dt>${bi('预警编号', 'Chain id')}</dt><dd><code>${p.chainId}</code></dd>
          <dt>${bi('级别', 'Tier')}</dt><dd>${tierBadge(p.tier)}</dd><dt>${bi('发送对象', 'Audience')}</dt><dd><code>${audience}</code></dd></dl>
        ${p.tier === 'emergency' ? notice('info', bi('紧急预警会接管屏幕，发送须由第二位审批人批准（管理员可越权发送）。', 'An emergency alert takes over the screen: sending it needs a second operator\'s approval (an administrator may override).')) : ''}
      </section>
      <section aria-labelledby="cov-h"><h2 id="cov-h">${bi('覆盖范围', 'Coverage')}</h2>${coverageTable(p.coverage)}</section>
      <form method="post" action="/alerts" class="card" id="alert-save">
        ${csrfField(c.csrf)}
        <input type="hidden" name="xml" value="${xml}"><input type="hidden" name="audience" value="${audience}">
        ${rebase ? html`<input type="hidden" name="rebase" value="1">` : ''}
        <button type="submit" name="then" value="send" class="primary">${bi(p.tier === 'emergency' ? '提交审批' : '发送', p.tier === 'emergency' ? 'Submit for approval' : 'Send')}</button>
        <button type="submit" name="then" value="draft">${bi('存为草稿', 'Save as draft')}</button>
        <a class="button" href="/alerts">${bi('取消', 'Back')}</a>
      </form>`);
  }, { maxBody: 1024 * 1024 });

  app.router.post('/alerts', 'editor', async (c) => {
    const who = c.user!;
    const chain = alerts.draft(field(c, 'xml', { max: XML_MAX }), field(c, 'audience', { max: 160, optional: true }) || 'all', who, c.form.rebase === '1');
    if (c.form.then === 'send') await alerts.send(chain.id, who);
    return { redirect: `/alerts/${encodeURIComponent(chain.id)}` };
  }, { maxBody: 1024 * 1024 });
}
