/**
 * Page-model tests of the public screen (docs/screen.md): what is on each page, its hit regions,
 * navigation by tapping them, paging, idle reset, language switch, emergency takeover, and press
 * feedback — on the real ScreenService, Renderer and Wuhan sample data.
 */
import { describe, expect, it } from 'vitest';
import { screenFixture } from '../../simulator/screen-fixture.js';
import { checkTicket, makeTicket } from '../../protocols/feedback.js';
import { refreshLiveData } from '../../simulator/city-feed.js';
import { isoWithOffset } from '../../protocols/time.js';
import { diffFrames } from '../../display/frame-diff.js';
import type { FieldStatusProvider } from '../../runtime/screen/field-view.js';

const FIELD: FieldStatusProvider = {
  charging: () => ({
    price: { energyYuanPerKwh: 0.8, serviceYuanPerKwh: 0.4 },
    ports: [
      { id: '1', label: { zh: '1号桩', en: 'Port 1' }, connector: 'GB/T AC', status: 'Available', maxKw: 7, startUrl: 'https://charge.example/s/1' },
      { id: '2', label: { zh: '2号桩', en: 'Port 2' }, connector: 'GB/T AC', status: 'Charging', maxKw: 7, powerKw: 6.6, energyKwh: 3.2 },
    ],
  }),
  pads: () => [{ id: 'p1', state: 'free' }, { id: 'p2', state: 'fault' }],
  lamp: () => ({ on: true, levelPct: 70 }),
};

describe('attract loop and home', () => {
  it('shows time, place, weather, the notice, pole status; the whole screen wakes but the elder-mode button', async () => {
    const f = screenFixture();
    f.screen.start();
    f.addNotice('n1', { title: { zh: '澳门路停水通知' } });
    const a = f.page('attract');
    expect(a.clock.time).toBe('10:30');
    expect(a.location).toBe('武汉市江岸区澳门路');
    // The seeded sample observation is weeks old: past the 24 h limit, it is not shown at all.
    expect(a.weather).toBeNull();
    expect(a.notice).toMatchObject({ id: 'n1', title: '澳门路停水通知' });
    expect(a.status).toEqual({ lamp: null, charging: null, pads: null });
    expect(a.hits.map((h) => [h.id, h.action.type])).toEqual([['wake', 'wake'], ['wake:cue', 'wake'], ['elder', 'elder']]);
    expect(a.hits.reduce((s, h) => s + h.rect.w * h.rect.h, 0)).toBe(480 * 800);
    f.setField(FIELD);
    await f.flush();
    expect(f.page('attract').status).toEqual({ lamp: { on: true, levelPct: 70 }, charging: { free: 1, total: 2 }, pads: { free: 1, total: 2 } });
    f.screen.stop();
  });

  it('wakes to home with six tiles; 中/EN switches the language of everything', async () => {
    const f = screenFixture();
    f.screen.start();
    await f.tap('wake');
    const h = f.page('home');
    expect(h.hits.map((x) => x.id)).toEqual(['tile:notices', 'tile:services', 'tile:transit', 'tile:charging', 'tile:feedback', 'tile:lang', 'elder']);
    expect(h.tiles.map((x) => x.title)).toEqual(['公告', '办事', '公交', '充电', '留言', '中 / EN']);
    await f.tap('tile:lang');
    expect(f.page('home').lang).toBe('en');
    expect(f.page('home').tiles.map((x) => x.title)).toEqual(['Notices', 'Services', 'Transit', 'Charging', 'Messages', '中 / EN']);
    expect(f.page('home').clock.date).toBe('Fri 27 Nov');
    await f.tap('tile:transit');
    expect(f.page('transit').stops[0]!.name).toBe('Sanyang Rd / Aomen Rd');
    await f.tap('nav:lang');
    expect(f.page('transit').stops[0]!.name).toBe('三阳路澳门路');
    f.screen.stop();
  });
});

describe('notices', () => {
  it('lists notices by priority then newest, pages by button and swipe, and opens one', async () => {
    const f = screenFixture();
    f.screen.start();
    for (let i = 1; i <= 5; i++) f.addNotice(`n${i}`, { issuedAt: isoWithOffset(f.now() - (10 - i) * 60_000) });
    f.addNotice('hi', { priority: 'high', issuedAt: isoWithOffset(f.now() - 3600_000) });
    await f.tap('wake');
    await f.tap('tile:notices');
    const p1 = f.page('notices');
    expect(p1.items.map((x) => x.id)).toEqual(['ops:hi', 'ops:n5', 'ops:n4', 'ops:n3']);
    expect(p1.pager).toEqual({ index: 1, count: 2 });
    expect(p1.hits.map((x) => x.id)).toContain('nav:next');
    expect(p1.hits.map((x) => x.id)).not.toContain('nav:prev');
    await f.tap('nav:next');
    expect(f.page('notices').items.map((x) => x.id)).toEqual(['ops:n2', 'ops:n1']);
    f.screen.touch({ type: 'swipe', direction: 'right', x: 300, y: 400, dx: -200, dy: 0, t: 0 });
    await f.flush();
    expect(f.page('notices').pager.index).toBe(1);
    await f.tap('row:0');
    expect(f.page('notice').notice).toMatchObject({ id: 'ops:hi', priority: 'high', title: '通知hi' });
    expect(f.page('notice').lines).toEqual([{ text: '内容hi', kind: 'body' }, { text: '', kind: 'rule' }, { text: 'Notice hi', kind: 'title' }, { text: 'Body hi', kind: 'body' }]);
    await f.tap('nav:back');
    expect(f.page('notices').pager.index).toBe(1);
    f.screen.stop();
  });

  it('pages a long body, and falls back to the list when the notice is withdrawn while read', async () => {
    const f = screenFixture();
    f.screen.start();
    f.addNotice('long', { body: { zh: '请注意：'.repeat(10) + '澳门路因管网改造，'.repeat(60) } });
    await f.tap('wake');
    await f.tap('tile:notices');
    await f.tap('row:0');
    const d = f.page('notice');
    expect(d.pager.count).toBeGreaterThan(1);
    await f.tap('nav:next');
    expect(f.page('notice').pager.index).toBe(2);
    f.store.withdraw('ops', 'long', 2, f.now());
    f.screen.refresh();
    expect(f.page('notices').items).toEqual([]);
    f.screen.stop();
  });
});

describe('services directory', () => {
  it('lists categories, then places in a category nearest first', async () => {
    const f = screenFixture();
    f.screen.start();
    await f.tap('wake');
    await f.tap('tile:services');
    const s = f.page('services');
    expect(s.available).toBe(true);
    expect(s.categories.map((c) => c.id)).toEqual(['halls', 'exit-entry', 'id-hukou', 'social', 'housing', 'community']);
    await f.tap('cat:id-hukou');
    const l = f.page('service-list');
    expect(l.items.map((x) => x.id)).toEqual(['yiyuan-police', 'hukou-hall', 'dazhi-police']);
    expect(l.items[0]).toMatchObject({ distance: '730 m', open: '开放中' });
    f.screen.stop();
  });

  it('finds 护照 by typing "hz" on the pinyin keyboard, and shows a place with distance and QR', async () => {
    const f = screenFixture();
    f.screen.start();
    await f.tap('wake');
    await f.tap('tile:services');
    await f.tap('search');
    // 26 letters, backspace, clear; "all results" appears once there are results.
    expect(f.page('service-search').hits.filter((h) => h.id.startsWith('key:')).length).toBe(28);
    await f.tap('key:h');
    await f.tap('key:z');
    const s = f.page('service-search');
    expect(s.query).toBe('hz');
    expect(s.results.map((r) => r.id)).toEqual(['exit-entry-hall', 'exit-entry-jiangan']);
    await f.tap('key:backspace');
    expect(f.page('service-search').query).toBe('h');
    await f.tap('key:z');
    await f.tap('key:all');
    // The 护照 keyword ranks first; names whose initials contain h-z (户政, 汉住房) follow.
    const all = f.page('service-list');
    expect(all.title).toBe('搜索 “HZ”');
    expect(all.items.slice(0, 2).map((x) => x.id)).toEqual(['exit-entry-hall', 'exit-entry-jiangan']);
    expect(all.items.map((x) => x.id)).toContain('hukou-hall');
    await f.tap('row:0');
    const p = f.page('service');
    expect(p.place).toMatchObject({ name: '武汉市公安局出入境接待大厅', distance: '距此 410 m · 步行约 7 分钟', phone: '027-85395300' });
    expect(p.place.hours).toMatch(/^开放中 · 周一至周六/);
    expect(p.qr.payload).toBe('https://s.nia.gov.cn/');
    await f.tap('nav:back');
    await f.tap('nav:back');
    expect(f.page('service-search').query).toBe('hz');
    await f.tap('key:clear');
    await f.tap('key:s');
    await f.tap('key:b');
    expect(f.page('service-search').results[0]!.id).toBe('social-security');
    f.screen.stop();
  });

  it('says the directory is unavailable when no data set is stored', async () => {
    const f = screenFixture({ seed: false });
    f.screen.start();
    await f.tap('wake');
    await f.tap('tile:services');
    expect(f.page('services')).toMatchObject({ available: false, categories: [] });
    expect(f.page('services').hits.map((h) => h.id)).not.toContain('search');
    f.screen.stop();
  });
});

describe('transit', () => {
  it('shows nearby stops nearest first, live arrivals when fresh and the timetable when not', async () => {
    const f = screenFixture();
    f.screen.start();
    await f.tap('wake');
    await f.tap('tile:transit');
    const stale = f.page('transit');
    expect(stale.stops.map((s) => s.id)).toEqual(['sanyang-aomen', 'metro-sanyang']);
    expect(stale.stops[0]!.lines[0]).toMatchObject({ line: '402路', toward: '开往 汉口火车站', next: '约 8 分钟一班', live: false });
    expect(stale.stops[1]!.kind).toBe('metro');
    refreshLiveData(f.datasets, f.now());
    await f.flush();
    const live = f.page('transit');
    expect(live.stops[0]!.lines[0]).toMatchObject({ live: true });
    expect(live.stops[0]!.lines[0]!.next).toMatch(/^(\d+ 分钟|即将进站)/);
    expect(live.updated).toBe('实时到站 · 更新于 10:30');
    await f.tap('stop:sanyang-aomen');
    expect(f.page('transit-stop').stop.lines).toHaveLength(4);
    f.set(f.now() + 13 * 3600_000); // 23:30: after the last bus, and the feed is stale
    f.advance(0);
    expect(f.page().page).toBe('attract'); // 13 hours without touch
    await f.tap('wake');
    await f.tap('tile:transit');
    await f.tap('stop:sanyang-aomen');
    expect(f.page('transit-stop').stop.lines[0]!.next).toBe('已收班 · 首班 06:00');
    f.screen.stop();
  });
});

describe('charging', () => {
  it('is clearly unavailable without a charging service, and shows ports, price and a start QR with one', async () => {
    const f = screenFixture();
    f.screen.start();
    await f.tap('wake');
    await f.tap('tile:charging');
    expect(f.page('charging')).toMatchObject({ ports: null, selected: null, pads: null });
    f.setField(FIELD);
    await f.flush();
    const c = f.page('charging');
    expect(c.ports!.map((p) => [p.id, p.statusText, p.tone])).toEqual([['1', '空闲可用', 'ok'], ['2', '充电中', 'busy']]);
    expect(c.price).toBe('电价 ¥1.20/kWh（电费 0.80 + 服务费 0.40）');
    expect(c.selected).toMatchObject({ id: '1', qr: 'https://charge.example/s/1' });
    expect(c.pads!.map((p) => p.tone)).toEqual(['ok', 'fault']);
    await f.tap('port:2');
    expect(f.page('charging').selected).toMatchObject({ id: '2', qr: null });
    f.setField({ charging: () => { throw new Error('bus down'); }, pads: () => null, lamp: () => null });
    await f.flush();
    expect(f.page('charging').ports).toBeNull();
    f.screen.stop();
  });
});

describe('messages to the city', () => {
  it('reports a problem in three touches, stores it with its outbox record, and returns a ticket', async () => {
    const f = screenFixture();
    f.screen.start();
    await f.tap('wake');
    await f.tap('tile:feedback');
    await f.tap('report');
    expect(f.page('feedback-category').categories.map((c) => c.id)).toEqual(['facilities', 'lighting', 'sanitation', 'roads', 'other']);
    await f.tap('cat:facilities');
    expect(f.page('feedback-problem').problems[0]).toEqual({ id: 'broken-seat', name: '座椅损坏' });
    await f.tap('problem:broken-seat');
    expect(f.page('feedback-confirm')).toMatchObject({ category: '设施损坏', problem: '座椅损坏', poleId: 'WH-JA-0001', location: '武汉市江岸区澳门路 · 11/27 10:30' });
    await f.tap('submit');
    const done = f.page('feedback-done');
    expect(checkTicket(done.ticket)).toEqual({ ok: true });
    expect(done.ticketDisplay).toBe(`${done.ticket.slice(0, 3)} ${done.ticket.slice(3, 6)} ${done.ticket.slice(6)}`);
    expect(done.qr).toBe(`https://www.wuhan.gov.cn/hdjl/ticket?no=${done.ticket}&pole=WH-JA-0001`);
    expect(done.hits.map((h) => h.id)).not.toContain('nav:back');
    const rec = f.outbox.next(0, 50).find((r) => r.cls === 'feedback')!;
    expect(JSON.parse(rec.payload.toString())).toMatchObject({ type: 'feedback', ticket: done.ticket, problem: 'broken-seat' });
    expect(f.fstore.get(done.ticket)).toMatchObject({ category: 'facilities' });
    f.screen.stop();
  });

  it('looks a ticket up on the keypad: checks the digits, then shows status and reply', async () => {
    const f = screenFixture();
    f.screen.start();
    const { ticket } = f.feedback.submit({ category: 'lighting', problem: 'lamp-out', lang: 'zh' });
    await f.tap('wake');
    await f.tap('tile:feedback');
    await f.tap('lookup');
    const typo = ticket.slice(0, 8) + ((Number(ticket[8]) + 1) % 10);
    for (const d of typo) await f.tap(`key:${d}`);
    await f.tap('key:9'); // a tenth digit is ignored
    expect(f.page('ticket-lookup').input).toBe(typo);
    await f.tap('key:submit');
    expect(f.page('ticket-lookup').error).toBe('编号有误，请核对后重新输入');
    await f.tap('key:backspace');
    await f.tap(`key:${ticket[8]}`);
    expect(f.page('ticket-lookup').error).toBeNull();
    await f.tap('key:submit');
    expect(f.page('ticket-result')).toMatchObject({ found: true, status: '已提交，等待受理', summary: '路灯照明 · 11/27 10:30' });
    expect(JSON.stringify(f.page('ticket-result'))).not.toContain('路灯不亮');
    f.fstore.putReply({ ticket, issuer: 'wh-12345', version: 1, status: 'resolved', reply: { zh: '已修复。' }, receivedAt: f.now() });
    await f.tap('nav:back');
    await f.tap('key:submit');
    expect(f.page('ticket-result')).toMatchObject({ status: '已办结', tone: 'ok', reply: '已修复。' });
    f.screen.stop();
  });

  it('the ticket page follows 受理 → 办理中 → 已回复 as it happens, shows the department, and rates once with large targets', async () => {
    const f = screenFixture();
    f.screen.start();
    const { ticket } = f.feedback.submit({ category: 'lighting', problem: 'lamp-out', lang: 'zh' });
    f.fstore.putReply({ ticket, issuer: 'wh-12345', version: 1, status: 'received', reply: null, receivedAt: f.now() + 60_000 });
    await f.tap('wake');
    await f.tap('tile:feedback');
    await f.tap('lookup');
    for (const d of ticket) await f.tap(`key:${d}`);
    await f.tap('key:submit');
    let p = f.page('ticket-result');
    expect(p).toMatchObject({ status: '已受理', rating: null, department: null });
    expect(p.steps!.map((s) => [s.label, s.reached, s.current])).toEqual([['受理', true, true], ['办理中', false, false], ['已回复', false, false]]);
    expect(p.hits.filter((h) => h.id.startsWith('rate:'))).toEqual([]);
    // Ops moves it on while the citizen looks: the page follows within one tick.
    f.fstore.putReply({ ticket, issuer: 'wh-12345', version: 2, status: 'in-progress', reply: null, department: { zh: '江岸区城管局', en: "Jiang'an City Management" }, receivedAt: f.now() });
    f.advance(500);
    expect(f.page('ticket-result')).toMatchObject({ status: '办理中', department: '江岸区城管局', rating: null });
    f.fstore.putReply({ ticket, issuer: 'wh-12345', version: 3, status: 'replied', reply: { zh: '路灯已修复。', en: 'The lamp is repaired.' }, receivedAt: f.now() });
    f.advance(500);
    p = f.page('ticket-result');
    expect(p).toMatchObject({ status: '已回复', tone: 'ok', reply: '路灯已修复。', rating: { chosen: null, prompt: '您对这次答复满意吗？' } });
    expect(p.steps!.every((s) => s.reached)).toBe(true);
    const buttons = p.hits.filter((h) => h.id.startsWith('rate:'));
    expect(buttons.map((h) => h.id)).toEqual(['rate:satisfied', 'rate:basically-satisfied', 'rate:dissatisfied']);
    // Each at least 15 mm (the elder-mode minimum) at 0.5 mm pitch.
    for (const b of buttons) expect(Math.min(b.rect.w, b.rect.h) * 0.5).toBeGreaterThanOrEqual(15);
    await f.tap('nav:lang');
    expect(f.page('ticket-result')).toMatchObject({ reply: 'The lamp is repaired.', department: "Jiang'an City Management", status: 'Replied' });
    await f.tap('nav:lang');
    await f.tap('rate:dissatisfied');
    p = f.page('ticket-result');
    expect(p.rating).toMatchObject({ chosen: 'dissatisfied', prompt: '感谢您的评价：不满意' });
    expect(p.hits.filter((h) => h.id.startsWith('rate:'))).toEqual([]);
    const sent = f.outbox.next(0, 100).map((r) => JSON.parse(r.payload.toString()) as { type: string; rating?: string }).filter((x) => x.type === 'rating');
    expect(sent).toMatchObject([{ ticket, rating: 'dissatisfied', reply: { version: 3, status: 'replied' } }]);
    // A long answer is paged with the footer's ◀ ▶, every character on some page.
    const long = '经现场核查，该路段路灯因电缆老化导致线路故障，我局已安排维修人员更换电缆并恢复照明，同时对周边路灯进行了全面排查。'.repeat(4);
    f.fstore.putReply({ ticket, issuer: 'wh-12345', version: 4, status: 'resolved', reply: { zh: long }, receivedAt: f.now() });
    f.advance(500);
    p = f.page('ticket-result');
    expect(p.pager.count).toBeGreaterThan(1);
    const shown = [p.replyLines.join('')];
    while (f.page('ticket-result').pager.index < p.pager.count) {
      await f.tap('nav:next');
      shown.push(f.page('ticket-result').replyLines.join(''));
    }
    expect(shown.join('')).toBe(long);
    expect(f.page('ticket-result').rating).toMatchObject({ chosen: 'dissatisfied' });
    f.screen.stop();
  });

  it('limits lookups per screen: 5 unknown tickets in a row pause the keypad for 60 s, with a coded event', async () => {
    const f = screenFixture();
    f.screen.start();
    const { ticket } = f.feedback.submit({ category: 'lighting', problem: 'lamp-out', lang: 'zh' });
    await f.tap('wake');
    await f.tap('tile:feedback');
    await f.tap('lookup');
    const unknown = ['00000000', '11111111', '22222222', '33333333', '44444444'].map(makeTicket).filter((t) => t !== ticket);
    const typeAndSubmit = async (t: string) => {
      for (let i = 0; i < 9; i++) await f.tap('key:backspace');
      for (const d of t) await f.tap(`key:${d}`);
      await f.tap('key:submit');
    };
    for (const t of unknown) {
      await typeAndSubmit(t);
      expect(f.page('ticket-result')).toMatchObject({ found: false });
      await f.tap('nav:back');
      f.advance(1_000);
    }
    await typeAndSubmit(ticket); // even a real ticket waits out the pause
    expect(f.page('ticket-lookup').error).toBe('未查到的编号过多，请 59 秒后再试，或拨打 12345');
    const ev = f.outbox.next(0, 100).map((r) => JSON.parse(r.payload.toString()) as { type: string; code?: string; severity?: string }).filter((e) => e.code === 'SP_TICKET_RATE_LIMIT');
    expect(ev).toEqual([expect.objectContaining({ type: 'event', severity: 'security', block: 'lockout' })]);
    for (const ms of [20_000, 20_000, 19_000]) { // a visitor still at the keypad (no idle reset)
      f.advance(ms);
      await f.tap('key:backspace');
      await f.tap(`key:${ticket[8]}`);
    }
    await f.tap('key:submit');
    expect(f.page('ticket-result')).toMatchObject({ found: true, summary: '路灯照明 · 11/27 10:30' });
    f.screen.stop();
  });
});

describe('idle timeout and emergency', () => {
  it('warns with a visible countdown, extends on touch, then resets and forgets what was typed', async () => {
    const f = screenFixture({ idleTimeoutSec: 45, idleWarningSec: 20 });
    f.screen.start();
    await f.tap('wake');
    await f.tap('tile:lang');
    await f.tap('tile:services');
    await f.tap('search');
    await f.tap('key:h');
    f.advance(24_000);
    expect(f.page('service-search').idle).toBeNull();
    f.advance(2_000);
    expect(f.page('service-search').idle).toEqual({ secondsLeft: 19 });
    expect(f.page().hits.at(-1)!.id).toBe('idle:extend');
    await f.tap('idle:extend');
    expect(f.page('service-search')).toMatchObject({ idle: null, query: 'h' });
    f.advance(44_000);
    expect(f.page('service-search').idle).toEqual({ secondsLeft: 1 });
    f.advance(1_000);
    expect(f.page('attract').lang).toBe('zh');
    await f.tap('wake');
    await f.tap('tile:services');
    await f.tap('search');
    expect(f.page('service-search').query).toBe('');
    expect(f.screen.stats.idleResets).toBe(1);
    f.screen.stop();
  });

  it('an emergency pre-empts every page, ignores touch, and hands back to the attract loop', async () => {
    const f = screenFixture();
    f.screen.start();
    await f.tap('wake');
    await f.tap('tile:feedback');
    await f.tap('lookup');
    await f.tap('key:1');
    f.addNotice('e1', { priority: 'emergency', title: { zh: '暴雨红色预警' } });
    const e = f.page('emergency');
    expect(e.notice.title).toBe('暴雨红色预警');
    expect(e.hits).toEqual([]);
    f.screen.touch({ type: 'down', x: 240, y: 400, t: 0 });
    f.screen.touch({ type: 'tap', x: 240, y: 400, t: 0 });
    await f.flush();
    expect(f.page().page).toBe('emergency');
    // A finger that came down on the alert and lifts after it is withdrawn does not wake the UI.
    f.screen.touch({ type: 'down', x: 240, y: 400, t: 0 });
    f.store.withdraw('ops', 'e1', 2, f.now());
    f.screen.refresh();
    expect(f.page().page).toBe('attract');
    f.screen.touch({ type: 'up', x: 240, y: 400, t: 0, cancelled: false });
    f.screen.touch({ type: 'tap', x: 240, y: 400, t: 0 });
    await f.flush();
    expect(f.page().page).toBe('attract');
    await f.tap('wake');
    await f.tap('tile:feedback');
    await f.tap('lookup');
    expect(f.page('ticket-lookup').input).toBe('');
    f.screen.stop();
  });
});

describe('press feedback', () => {
  it('lights the pressed control in the next frame, changing pixels only inside it; sliding off cancels', async () => {
    const f = screenFixture();
    f.screen.start();
    await f.tap('wake');
    const tile = f.page('home').hits.find((h) => h.id === 'tile:transit')!;
    const before = f.sink.shown.at(-1)!.frame;
    f.screen.touch({ type: 'down', x: tile.rect.x + 20, y: tile.rect.y + 20, t: 0 });
    await f.flush();
    expect(f.page('home').pressed).toBe('tile:transit');
    const pressed = f.sink.shown.at(-1)!.frame;
    const rects = diffFrames(before, pressed, { tile: 1 });
    expect(rects.length).toBeGreaterThan(0);
    for (const r of rects) {
      expect(r.x).toBeGreaterThanOrEqual(tile.rect.x);
      expect(r.y).toBeGreaterThanOrEqual(tile.rect.y);
      expect(r.x + r.w).toBeLessThanOrEqual(tile.rect.x + tile.rect.w);
      expect(r.y + r.h).toBeLessThanOrEqual(tile.rect.y + tile.rect.h);
    }
    f.screen.touch({ type: 'move', x: 5, y: 5, t: 0 });
    await f.flush();
    expect(f.page('home').pressed).toBeNull();
    f.screen.touch({ type: 'up', x: 5, y: 5, t: 0, cancelled: false });
    await f.flush();
    expect(f.page().page).toBe('home');
    f.screen.stop();
  });
});
