/**
 * Page-model tests of the screen for everyone (docs/screen.md §Bilingual emergencies, §Elder mode,
 * §Data age): both languages of an alert within the 10 s cycle, elder mode reached and left, and
 * stale marks appearing exactly when data passes its age — on the real ScreenService, Renderer
 * and the Wuhan sample data.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenFixture } from '../../simulator/screen-fixture.js';
import { refreshLiveData } from '../../simulator/city-feed.js';
import { parseCap } from '../../protocols/cap.js';
import { decideCap } from '../../protocols/cap-notice.js';
import { isoWithOffset } from '../../protocols/time.js';
import { EMERGENCY_DWELL_MS } from '../../display/pages/emergency.js';
import type { EmergencyPage } from '../../display/page-model.js';

const ROOT = join(import.meta.dirname, '../..');
type Fixture = ReturnType<typeof screenFixture>;

/** A CAP sample as the pole maps it (protocols/cap-notice.ts), stored as the notice it becomes. */
function addCap(f: Fixture, file: string): { zh: { title: string; body: string }; en: { title: string; body: string } } {
  const parsed = parseCap(readFileSync(join(ROOT, 'docs/examples/cap', file), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.detail);
  const d = decideCap(parsed.alert, { language: 'zh', testMode: false, place: { lat: 30.6043, lon: 114.3012, areaCode: '420102' } }, { now: Date.parse(parsed.alert.sent) + 60_000, skewMs: 0 });
  if (d.action !== 'show') throw new Error(`${file}: ${d.action}`);
  const c = d.content;
  f.addNotice('cap-1', { priority: c.priority, title: c.title, body: c.body, durationSec: c.durationSec, issuedAt: isoWithOffset(f.now() - 1000), expiresAt: isoWithOffset(f.now() + 3600_000) });
  return { zh: { title: c.title.zh, body: c.body.zh }, en: { title: c.title.en!, body: c.body.en! } };
}

/** Every word (Latin) or character (CJK) of a text, for "is all of it on screen". */
const words = (s: string) => s.split(/\s+|(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])/u).map((w) => w.replace(/[，。、；：！？（）,.;:!?()]/g, '')).filter(Boolean);
/** What the screens show of one language, whitespace dropped (a line may break after a hyphen). */
const shown = (pages: EmergencyPage[], lang: 'zh' | 'en') =>
  pages.flatMap((p) => p.blocks.filter((b) => b.lang === lang).flatMap((b) => [...b.title, ...b.lines])).join('').replace(/\s+/g, '');

describe('bilingual emergencies', () => {
  it('a CAP alert with zh-CN and en-US blocks shows both languages at once, the session language first', async () => {
    const f = screenFixture();
    f.screen.start();
    const text = addCap(f, 'wuhan-rainstorm-red-update.xml');
    const e = f.page('emergency');
    expect(e.blocks.map((b) => b.lang)).toEqual(['zh', 'en']);
    // Description and instruction in two languages: two screens of 5 s at 24 px, both languages on each.
    expect(e.cycle).toEqual({ index: 1, count: 2 });
    expect(e.step).toBe(2);
    f.advance(EMERGENCY_DWELL_MS);
    const e2 = f.page('emergency');
    expect(e2.cycle.index).toBe(2);
    expect(e2.blocks.map((b) => b.lang)).toEqual(['zh', 'en']);
    // Every word of both languages has been on screen within the 10 s cycle.
    for (const lang of ['zh', 'en'] as const) {
      const all = shown([e, e2], lang);
      for (const w of words(`${text[lang].title} ${text[lang].body}`)) expect(all, `${lang} "${w}"`).toContain(w);
    }
    f.screen.stop();
    // A pole whose screen starts in English puts English first.
    const g = screenFixture({ language: 'en' });
    g.screen.start();
    addCap(g, 'wuhan-rainstorm-red-update.xml');
    expect(g.page('emergency').blocks.map((b) => b.lang)).toEqual(['en', 'zh']);
    g.screen.stop();
  });

  it('a long alert turns its screens every 5 s: both languages on every screen, every word of both within 10 s', async () => {
    const f = screenFixture();
    f.screen.start();
    const zhBody = '武汉市气象台发布暴雨红色预警信号，未来3小时江岸区降雨量将达100毫米以上。请立即停止户外活动，远离江滩、地下通道和低洼地带，听从现场工作人员指挥。学校停课，非必要单位停工，地铁部分出入口临时关闭。';
    const enBody = 'Over 100 mm of rain is expected in Jiang\'an within 3 hours. Stop all outdoor activity now and keep away from the riverside, underpasses and low ground; follow the instructions of staff on site. Schools are closed, non-essential work stops, and some metro entrances are closed.';
    f.addNotice('long', {
      priority: 'emergency', issuedAt: isoWithOffset(f.now()), expiresAt: isoWithOffset(f.now() + 3600_000),
      title: { zh: '暴雨红色预警：请立即远离江滩和低洼地带', en: 'Red rainstorm warning: leave the riverside and low-lying areas now' },
      body: { zh: zhBody, en: enBody },
    });
    const first = f.page('emergency');
    expect(first.cycle).toEqual({ index: 1, count: 2 });
    expect(first.step).toBeGreaterThanOrEqual(2);
    const pages: EmergencyPage[] = [first];
    // The page turns on the tick after 5 s, and comes back after 10 s.
    f.advance(EMERGENCY_DWELL_MS - 1);
    expect(f.page('emergency').cycle.index).toBe(1);
    f.advance(1);
    pages.push(f.page('emergency'));
    expect(pages[1]!.cycle.index).toBe(2);
    f.advance(EMERGENCY_DWELL_MS);
    expect(f.page('emergency').cycle.index).toBe(1);
    for (const p of pages) {
      expect(p.blocks.map((b) => b.lang)).toEqual(['zh', 'en']);
      expect(p.blocks.every((b) => b.title.length > 0 && b.lines.length > 0)).toBe(true);
    }
    for (const [lang, body] of [['zh', zhBody], ['en', enBody]] as const) {
      const all = shown(pages, lang);
      for (const w of words(body)) expect(all, `${lang} "${w}"`).toContain(w);
    }
    f.screen.stop();
  });

  it('a bilingual notice carries both languages: the attract card and the notice page', async () => {
    const f = screenFixture();
    f.screen.start();
    f.addNotice('water', { title: { zh: '澳门路停水通知', en: 'Water off on Aomen Road' }, body: { zh: '11月30日9:00至17:00停水。', en: 'No water on 30 November, 9:00–17:00.' } });
    f.addNotice('zh-only', { priority: 'low', issuedAt: isoWithOffset(f.now() - 3600_000), title: { zh: '社区活动' }, body: { zh: '周六上午。' } });
    expect(f.page('attract').notice).toMatchObject({ title: '澳门路停水通知', otherTitle: 'Water off on Aomen Road' });
    await f.tap('wake');
    await f.tap('tile:notices');
    expect(f.page('notices').items.map((x) => [x.title, x.otherTitle])).toEqual([['澳门路停水通知', 'Water off on Aomen Road'], ['社区活动', null]]);
    await f.tap('row:0');
    expect(f.page('notice').lines).toEqual([
      { text: '11月30日9:00至17:00停水。', kind: 'body' },
      { text: '', kind: 'rule' },
      { text: 'Water off on Aomen Road', kind: 'title' },
      { text: 'No water on 30 November, 9:00–17:00.', kind: 'body' },
    ]);
    await f.tap('nav:back');
    await f.tap('row:1');
    expect(f.page('notice').lines).toEqual([{ text: '周六上午。', kind: 'body' }]);
    f.screen.stop();
  });
});

describe('elder mode', () => {
  it('opens in one tap from the attract loop and from home: hotline, then the four configured services, then all', async () => {
    const f = screenFixture();
    f.screen.start();
    await f.tap('elder');
    const h = f.page('elder-home');
    expect(h.hotline.number).toBe('12345');
    expect(h.services.map((s) => s.id)).toEqual(['social', 'id-hukou', 'community', 'halls']);
    expect(h.hits.map((x) => x.id)).toEqual([
      'elder:svc:social', 'elder:svc:id-hukou', 'elder:svc:community', 'elder:svc:halls', 'elder:all', 'nav:home', 'nav:standard', 'nav:lang',
    ]);
    // The hotline card comes first, above every control.
    const top = Math.min(...h.hits.map((x) => x.rect.y));
    expect(top).toBeGreaterThan(f.renderer.geometry.height * 0.3);
    await f.tap('nav:standard');
    expect(f.page('home').page).toBe('home');
    await f.tap('elder');
    expect(f.page().page).toBe('elder-home');
    f.screen.stop();
  });

  it('reaches any place through short lists (no keyboard), with back and home inside elder mode', async () => {
    const f = screenFixture();
    f.screen.start();
    await f.tap('elder');
    await f.tap('elder:all');
    const all = f.page('elder-services');
    expect(all.categories.map((c) => c.id)).toEqual(['halls', 'exit-entry', 'id-hukou', 'social']);
    expect(all.pager).toEqual({ index: 1, count: 2 });
    expect(all.hits.some((x) => x.id.startsWith('key:'))).toBe(false);
    await f.tap('nav:next');
    expect(f.page('elder-services').categories.map((c) => c.id)).toEqual(['housing', 'community']);
    await f.tap('nav:prev');
    await f.tap('row:1');
    const places = f.page('elder-places');
    expect(places.title).toBe('出入境（护照、通行证）');
    expect(places.items.map((p) => p.id)).toEqual(['exit-entry-hall', 'exit-entry-jiangan']);
    await f.tap('row:0');
    const p = f.page('elder-place');
    expect(p.place).toMatchObject({ id: 'exit-entry-hall', name: '武汉市公安局出入境接待大厅', phone: '027-85395300' });
    expect(p.qr.payload).toMatch(/^https:\/\//);
    await f.tap('nav:back');
    expect(f.page().page).toBe('elder-places');
    await f.tap('nav:home');
    expect(f.page().page).toBe('elder-home');
    await f.tap('elder:svc:social');
    expect(f.page('elder-places').title).toBe('社保与医保');
    await f.tap('nav:lang');
    expect(f.page('elder-places').title).toBe('Social and medical insurance');
    f.screen.stop();
  });

  it('falls back to the standard mode on idle reset', async () => {
    const f = screenFixture();
    f.screen.start();
    await f.tap('elder');
    await f.tap('elder:svc:id-hukou');
    f.advance(26_000);
    expect(f.page('elder-places').idle).toEqual({ secondsLeft: 19 });
    f.advance(19_000);
    expect(f.page().page).toBe('attract');
    await f.tap('wake');
    expect(f.page().page).toBe('home');
    await f.tap('nav:home').catch(() => undefined);
    expect(f.screen.stats.idleResets).toBe(1);
    f.screen.stop();
  });
});

describe('data age', () => {
  it('weather: unmarked for 3 h, then "更新于 HH:MM" on the attract loop and home, gone after 24 h', async () => {
    const f = screenFixture();
    f.screen.start();
    refreshLiveData(f.datasets, f.now()); // observed 10:30
    await f.flush();
    expect(f.page('attract').weather).toMatchObject({ staleMark: null });
    f.advance(3 * 3600_000);
    expect(f.page('attract').weather).toMatchObject({ staleMark: null });
    f.advance(60_000);
    expect(f.page('attract').weather).toMatchObject({ staleMark: '更新于 10:30' });
    await f.tap('wake');
    expect(f.page('home').weather).toMatchObject({ staleMark: '更新于 10:30' });
    f.screen.reset();
    f.advance(21 * 3600_000 - 2 * 60_000); // the next day, 10:29: the date is part of the mark
    expect(f.page('attract').weather).toMatchObject({ staleMark: '更新于 11/27 10:30' });
    f.advance(2 * 60_000);
    expect(f.page('attract').weather).toBeNull();
    f.screen.stop();
  });

  it('transit: live arrivals for 5 min; a second later every line is a timetable estimate and the page says when live data stopped', async () => {
    const f = screenFixture();
    f.screen.start();
    refreshLiveData(f.datasets, f.now()); // predicted at 10:30
    f.advance(5 * 60_000);
    await f.tap('wake');
    await f.tap('tile:transit');
    const live = f.page('transit');
    expect(live.staleMark).toBeNull();
    expect(live.updated).toBe('实时到站 · 更新于 10:30');
    expect(live.stops.flatMap((s) => s.lines).some((l) => l.live)).toBe(true);
    f.screen.reset();
    f.advance(1000);
    await f.tap('wake');
    await f.tap('tile:transit');
    const stale = f.page('transit');
    expect(stale.staleMark).toBe('实时数据更新于 10:30，暂停更新');
    expect(stale.updated).toBe('按时刻表估算');
    expect(stale.stops.flatMap((s) => s.lines).every((l) => !l.live && !/分钟$|即将进站/.test(l.next))).toBe(true);
    await f.tap('stop:sanyang-aomen');
    expect(f.page('transit-stop').staleMark).toBe('实时数据更新于 10:30，暂停更新');
    await f.tap('nav:lang');
    expect(f.page('transit-stop').staleMark).toBe('Live data updated 10:30, not updating');
    f.screen.stop();
  });
});
