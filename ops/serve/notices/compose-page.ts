/** The compose page: the form, the problems, and after "Preview" the pole's pixels in both languages (docs/ops-console.md §Notices). */
import type { OpsApp } from '../app.js';
import type { RequestContext } from '../router.js';
import { html, bi, csrfField, notice, type Html } from '../html.js';
import { hasRole } from '../auth/users.js';
import { MAX_DAYPARTS, type ComposeInput, type ComposeProblem } from './compose.js';

const DAYS: [string, string][] = [['一', 'Mon'], ['二', 'Tue'], ['三', 'Wed'], ['四', 'Thu'], ['五', 'Fri'], ['六', 'Sat'], ['日', 'Sun']];
const PRIORITIES: [string, string, string][] = [['normal', '普通', 'normal'], ['high', '重要', 'high'], ['low', '较低', 'low'], ['emergency', '紧急', 'emergency']];

export interface ComposeView {
  input: ComposeInput;
  problems?: ComposeProblem[];
  error?: Html;
  /** After a preview: the images (data: URLs) and the digest the send must carry. */
  preview?: { zh: string; en: string; digest: string; poles: number };
  status?: number;
}

export function composePage(app: OpsApp, c: RequestContext, groups: string[], v: ComposeView) {
  const i = v.input;
  const probs = v.problems ?? [];
  const invalid = (f: string) => (probs.some((p) => p.field === f) ? html` aria-invalid="true" aria-describedby="problems"` : '');
  const text = (name: string, label: Html, value: string, o: { area?: boolean; max: number; required?: boolean; lang?: string }) => html`<p>
    <label for="f-${name}">${label}</label>
    ${o.area ? html`<textarea id="f-${name}" name="${name}" rows="4" maxlength="${o.max}"${o.required ? html` required` : ''}${o.lang ? html` lang="${o.lang}"` : ''}${invalid(name)}>${value}</textarea>`
      : html`<input id="f-${name}" name="${name}" maxlength="${o.max}" value="${value}"${o.required ? html` required` : ''}${o.lang ? html` lang="${o.lang}"` : ''}${invalid(name)}>`}</p>`;
  const canEmergency = c.user ? hasRole(c.user, 'approver') : false;
  const body = html`
    ${v.error ?? ''}
    ${probs.length ? notice('error', html`<div id="problems"><strong>${bi('请改正：', 'Please correct:')}</strong><ul>${probs.map((p) => html`<li><a href="#f-${p.field}">${p.zh}</a> <span lang="en" class="en">${p.en}</span></li>`)}</ul></div>`) : ''}
    <form method="post" action="/notices/preview" id="compose" class="cols">
      ${csrfField(c.csrf)}
      <div>
        <fieldset><legend>${bi('内容', 'Content')}</legend>
          ${text('title_zh', bi('中文标题（必填）', 'Chinese title (required)'), i.titleZh, { max: 200, required: true, lang: 'zh-CN' })}
          ${text('body_zh', bi('中文正文（必填）', 'Chinese text (required)'), i.bodyZh, { area: true, max: 2000, required: true, lang: 'zh-CN' })}
          ${text('title_en', bi('英文标题', 'English title'), i.titleEn, { max: 200, lang: 'en' })}
          ${text('body_en', bi('英文正文', 'English text'), i.bodyEn, { area: true, max: 4000, lang: 'en' })}
        </fieldset>
        <fieldset><legend>${bi('显示', 'Display')}</legend>
          <p><label for="f-priority">${bi('优先级', 'Priority')}</label><select id="f-priority" name="priority"${invalid('priority')}>
            ${PRIORITIES.filter(([p]) => p !== 'emergency' || canEmergency || i.priority === 'emergency').map(([p, zh, en]) => html`<option value="${p}"${p === i.priority ? html` selected` : ''}>${zh} ${en}</option>`)}</select></p>
          <p><label for="f-duration">${bi('每次显示秒数', 'Seconds on screen per turn')}</label><input id="f-duration" name="duration" type="number" min="3" max="600" value="${i.durationSec}"></p>
          <p><label for="f-category">${bi('类别（可选）', 'Category (optional)')}</label><input id="f-category" name="category" maxlength="32" value="${i.category}"></p>
        </fieldset>
      </div>
      <div>
        <fieldset><legend>${bi('有效期（北京时间）', 'Validity (China Standard Time)')}</legend>
          <p><label for="f-valid_from">${bi('开始（空 = 立即）', 'From (empty = now)')}</label><input id="f-valid_from" name="valid_from" type="datetime-local" value="${i.validFrom}"${invalid('valid_from')}></p>
          <p><label for="f-expires_at">${bi('结束（空 = 直到撤回）', 'Until (empty = until withdrawn)')}</label><input id="f-expires_at" name="expires_at" type="datetime-local" value="${i.expiresAt}"${invalid('expires_at')}></p>
        </fieldset>
        <fieldset><legend>${bi('时段（可选：只在这些时间显示）', 'Dayparts (optional: shown only then)')}</legend>
          ${Array.from({ length: MAX_DAYPARTS }, (_, n) => {
            const d = i.dayparts[n] ?? { days: [], from: '', to: '' };
            return html`<fieldset class="checks"><legend>${bi(`时段 ${n + 1}`, `Daypart ${n + 1}`)}</legend>
              ${DAYS.map(([zh, en], k) => html`<label><input type="checkbox" name="dp${n}_days" value="${k + 1}"${d.days.includes(String(k + 1)) ? html` checked` : ''}> ${zh}<span class="sr-only"> ${en}</span></label>`)}
              <label for="f-dp${n}_from">${bi('从', 'from')}</label><input id="f-dp${n}_from" name="dp${n}_from" type="time" value="${d.from}"${invalid(`dp${n}_from`)}>
              <label for="f-dp${n}_to">${bi('到', 'to')}</label><input id="f-dp${n}_to" name="dp${n}_to" type="time" value="${d.to}">
            </fieldset>`;
          })}
          <p class="muted">${bi('不选星期 = 每天。', 'No day ticked = every day.')}</p>
        </fieldset>
        <fieldset><legend>${bi('发送对象', 'Audience')}</legend>
          <p class="checks"><label><input type="radio" name="audience" value="all"${i.audience === 'all' ? html` checked` : ''}> ${bi('全部灯杆', 'All poles')}</label>
            <label><input type="radio" name="audience" value="groups"${i.audience === 'groups' ? html` checked` : ''}> ${bi('分组', 'Groups')}</label>
            <label><input type="radio" name="audience" value="poles"${i.audience === 'poles' ? html` checked` : ''}> ${bi('指定灯杆', 'Poles')}</label></p>
          <p><label for="f-groups">${bi('分组（可多选）', 'Groups (several allowed)')}</label>
            <select id="f-groups" name="groups" multiple size="${Math.min(6, Math.max(2, groups.length))}"${invalid('groups')}>${groups.map((g) => html`<option value="${g}"${i.groups.includes(g) ? html` selected` : ''}>${g}</option>`)}</select></p>
          <p><label for="f-poles">${bi('灯杆编号（逗号或空格分隔）', 'Pole ids (comma or space separated)')}</label><input id="f-poles" name="poles" value="${i.poles}"${invalid('poles')}></p>
        </fieldset>
      </div>
      <p class="actions">
        <button type="submit" class="primary" id="preview-button">${bi('预览', 'Preview')}</button>
        ${v.preview ? html`<input type="hidden" name="digest" value="${v.preview.digest}">
          <button type="submit" class="primary" formaction="/notices" id="send-button">${bi(`签名并发送（${v.preview.poles} 根灯杆）`, `Sign and send (${v.preview.poles} poles)`)}</button>` : html`<span class="muted">${bi('发送前须先预览。', 'Preview before sending.')}</span>`}
      </p>
    </form>
    ${v.preview ? html`<section aria-labelledby="h-preview"><h2 id="h-preview">${bi('预览：灯杆屏幕上的样子（480×800）', 'Preview: what the pole\'s screen shows (480×800)')}</h2>
      <div class="previews">
        <figure><img id="preview-zh" src="${v.preview.zh}" width="240" height="400" alt="中文屏幕预览：${i.titleZh}"><figcaption>${bi('中文屏幕', 'Screen in Chinese')} · <a href="${v.preview.zh}" download="preview-zh.png">PNG</a></figcaption></figure>
        <figure><img id="preview-en" src="${v.preview.en}" width="240" height="400" alt="English screen preview: ${i.titleEn || i.titleZh}"><figcaption>${bi('英文屏幕', 'Screen in English')} · <a href="${v.preview.en}" download="preview-en.png">PNG</a></figcaption></figure>
      </div>
      <p class="muted">${bi('由灯杆自己的渲染程序绘制；修改任何内容后需重新预览。', 'Drawn by the pole\'s own renderer; change anything and you must preview again.')}</p></section>` : ''}`;
  return app.page(c, { zh: '新公告', en: 'New notice' }, body, { status: v.status ?? 200 });
}
