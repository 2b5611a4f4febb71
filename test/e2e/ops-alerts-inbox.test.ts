/**
 * The console's emergency alerts and citizens' messages in headless Chromium against a running sim
 * (docs/ops-console.md §Emergency alerts, §Citizens' messages): a CAP alert needs a second
 * operator's approval, then takes over the pole's screen, is updated (approved again), then is cancelled; a message left by touch
 * on the pole appears in the inbox, is assigned and answered, the answer shows on the pole's ticket
 * page, and the citizen's rating comes back to the inbox.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { PageModel } from '../../display/page-model.js';
import { requireTool } from '../helpers/tools.js';
import { screenDriver } from '../helpers/screen-driver.js';
import { ROOT, startSimProcess, until, type SimProcess } from '../helpers/sim-process.js';
import { ADMIN, addUser, CHROMIUM_FLAGS, loginAs, startOpsConsole, type OpsConsole } from '../helpers/ops-console.js';

const SHOTS = join(ROOT, 'docs/screenshots');
/** Pages are photographed into docs/screenshots/ only with UPDATE_DOCS=1: a test run leaves the tree unchanged. */
const shot = async (page: { screenshot(o: { path: string; fullPage: boolean }): Promise<unknown> }, name: string): Promise<void> => {
  if (process.env.UPDATE_DOCS) await page.screenshot({ path: join(SHOTS, name), fullPage: true });
};
const EDITOR = { username: 'li.na', password: 'editor-password-1', role: 'editor' as const };
const APPROVER = { username: 'wang.wei', password: 'approver-password-1', role: 'approver' as const };

describe('ops console: emergency alerts and citizens\' messages', () => {
  let sim: SimProcess;
  let ops: OpsConsole;
  let browser: Browser;
  let editor: Page;
  let approver: Page;
  const pageErrors: string[] = [];
  const { page: poleModel, tapId, boardShows, leaveMessage } = screenDriver(() => sim);

  beforeAll(async () => {
    requireTool('chromium');
    sim = await startSimProcess();
    await until(async () => (await sim.api<Record<string, { state?: string }>>('/api/health')).mqtt?.state === 'connected', 60_000, 'pole online');
    ops = await startOpsConsole(['--data-dir', sim.dataDir]);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS, timeout: 60_000 });
    const admin = await loginAs(browser, ops.url, ADMIN);
    await addUser(admin, ops.url, EDITOR);
    await addUser(admin, ops.url, APPROVER);
    await admin.context().close();
    editor = await loginAs(browser, ops.url, EDITOR);
    approver = await loginAs(browser, ops.url, APPROVER);
    for (const p of [editor, approver]) {
      p.on('pageerror', (e) => pageErrors.push(e.message));
      p.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
    }
    mkdirSync(SHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    const opsCode = await ops?.stop();
    const simCode = await sim?.stop();
    expect(pageErrors).toEqual([]);
    expect(opsCode).toBe(0);
    expect(simCode).toBe(0);
  });

  it('a CAP alert needs a second operator, takes over the pole\'s screen, and is cancelled', async () => {
    const xml = readFileSync(join(ROOT, 'docs/examples/cap/wuhan-rainstorm-orange.xml'), 'utf8');
    // The pole's birth (with its place) reaches the console first: the coverage preview needs it.
    await editor.goto(`${ops.url}/fleet`);
    await expect.poll(() => editor.locator('body').innerText(), { timeout: 30_000 }).toContain('WH-JA-0001');

    await editor.goto(`${ops.url}/alerts`);
    await editor.fill('#cap-xml', xml);
    await editor.check('input[name=rebase]');
    await shot(editor, 'ops-alerts.png');
    await editor.click('#alert-new button[type=submit]');
    await editor.locator('#coverage-table [data-verdict=inside]').waitFor();
    expect(await editor.locator('#coverage-table [data-verdict=inside]').count()).toBe(1);
    expect(await editor.locator('#coverage-table').innerText()).toContain('WH-JA-0001');
    expect(await editor.locator('[data-tier]').first().getAttribute('data-tier')).toBe('emergency');
    await shot(editor, 'ops-alert-preview.png');
    await editor.click('#alert-save button[value=send]');
    await editor.waitForURL(/\/alerts\/cap-/);
    const alertUrl = editor.url();
    expect(await editor.locator('#alert-state [data-state]').getAttribute('data-state')).toBe('awaiting-approval');
    // The editor cannot approve; the pole shows nothing yet.
    expect(await editor.locator('#form-approve').count()).toBe(0);
    expect((await poleModel()).page).not.toBe('emergency');

    await approver.goto(alertUrl);
    await shot(approver, 'ops-alert-approval.png');
    await approver.click('#form-approve button');
    await approver.waitForURL(alertUrl);
    expect(await approver.locator('#alert-state [data-state]').getAttribute('data-state')).toBe('sent');

    const shown = await boardShows((m: PageModel) => m.page === 'emergency', 'the emergency page', 30_000);
    expect(shown.page === 'emergency' && shown.notice.title).toBe('武汉市气象台发布暴雨橙色预警信号');
    // The delivery board fills live with the pole's receipt.
    await expect.poll(() => approver.locator('#alert-board tr[data-pole=WH-JA-0001]').getAttribute('data-status'), { timeout: 30_000 }).toMatch(/accepted|displayed/);
    await shot(approver, 'ops-alert-sent.png');

    // Update from the alert's page: an emergency Update needs the second operator again.
    await editor.goto(alertUrl);
    await editor.click('#update summary');
    await editor.fill('#u-zh-headline', '武汉市气象台更新暴雨橙色预警信号');
    await editor.click('#form-update button');
    await editor.waitForURL(alertUrl);
    expect(await editor.locator('#alert-state [data-state]').getAttribute('data-state')).toBe('awaiting-approval');
    await approver.goto(alertUrl);
    await approver.click('#form-approve button');
    await approver.waitForURL(alertUrl);
    expect(await approver.locator('#alert-state [data-state]').getAttribute('data-state')).toBe('updated');
    await boardShows((m: PageModel) => m.page === 'emergency' && m.notice.title === '武汉市气象台更新暴雨橙色预警信号', 'the updated alert', 30_000);

    await editor.goto(alertUrl);
    await editor.click('#form-cancel button');
    await editor.waitForURL(alertUrl);
    expect(await editor.locator('#alert-state [data-state]').getAttribute('data-state')).toBe('cancelled');
    await until(async () => (await poleModel()).page !== 'emergency', 30_000, 'the emergency page to go');
    const api = await (await editor.request.get(`${alertUrl.replace('/alerts/', '/api/alerts/')}`)).json() as { revisions: { msgType: string; submittedBy: string; approvedBy?: string; sentBy: string }[] };
    expect(api.revisions.map((r) => [r.msgType, r.submittedBy, r.approvedBy ?? null, r.sentBy])).toEqual([['Alert', 'li.na', 'wang.wei', 'approval'], ['Update', 'li.na', 'wang.wei', 'approval'], ['Cancel', 'li.na', null, 'single']]);

    // Every step is in the audit log.
    await approver.goto(`${ops.url}/audit?type=alert`);
    const audit = await approver.locator('#audit-table').innerText();
    for (const a of ['alert.draft', 'alert.submit', 'alert.approve', 'alert.cancel']) expect(audit).toContain(a);
  }, 180_000);

  it('a citizen\'s message left by touch appears in the inbox, is answered on the pole, and its rating comes back', async () => {
    await tapId('wake', (m) => m.page === 'home', 'home').catch(() => undefined);
    if ((await poleModel()).page !== 'home') await tapId('nav:home', (m) => m.page === 'home', 'home');
    const ticket = await leaveMessage();
    expect(ticket).toMatch(/^\d{9}$/);

    await editor.goto(`${ops.url}/inbox`);
    const row = editor.locator(`#inbox-table tr[data-ticket="${ticket}"]`);
    await row.waitFor({ timeout: 30_000 });
    expect(await row.innerText()).toContain('路灯不亮');
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('received');
    await shot(editor, 'ops-inbox.png');
    await row.locator('a').first().click();
    await editor.waitForURL(new RegExp(`/inbox/WH-JA-0001/${ticket}$`));
    expect(await editor.locator('#department').inputValue()).toBe('street-lighting');
    await editor.click('#form-assign button');
    await editor.waitForURL(new RegExp(`/inbox/WH-JA-0001/${ticket}$`));
    expect(await editor.locator('#message-state [data-status]').getAttribute('data-status')).toBe('in-progress');
    await editor.fill('#reply-zh', '澳门路路灯已于今日修复，感谢您的反馈。');
    await editor.fill('#reply-en', 'The street light on Aomen Road was repaired today. Thank you.');
    await editor.click('#form-reply button');
    await editor.waitForURL(new RegExp(`/inbox/WH-JA-0001/${ticket}$`));
    expect(await editor.locator('#message-state [data-status]').getAttribute('data-status')).toBe('replied');

    // On the pole: look the ticket up, read the answer, rate it.
    await tapId('nav:home', (m) => m.page === 'home', 'home');
    await tapId('tile:feedback', (m) => m.page === 'feedback', 'the message board');
    await tapId('lookup', (m) => m.page === 'ticket-lookup', 'the keypad');
    for (const [i, d] of [...ticket].entries()) await tapId(`key:${d}`, (m) => m.page === 'ticket-lookup' && m.input.length === i + 1, `digit ${i + 1}`);
    const r = await tapId('key:submit', (m) => m.page === 'ticket-result', 'the ticket status');
    expect(r.page === 'ticket-result' && r.reply).toContain('澳门路路灯已于今日修复');
    await tapId('rate:satisfied', (m) => m.page === 'ticket-result' && m.rating?.chosen === 'satisfied', 'the rating taken');

    // The rating reaches the open message page live, and the department figures.
    await expect.poll(() => editor.locator('#message-rating [data-rating]').getAttribute('data-rating', { timeout: 1000 }).catch(() => null), { timeout: 30_000 }).toBe('satisfied');
    await shot(editor, 'ops-inbox-message.png');
    await editor.goto(`${ops.url}/inbox/figures`);
    const fig = editor.locator('#inbox-figures tr[data-department=street-lighting]');
    expect(await fig.innerText()).toMatch(/1\s+1/);
    expect(await fig.locator('[data-average]').getAttribute('data-average')).toBe('3');
    await shot(editor, 'ops-inbox-figures.png');
  }, 180_000);
});
