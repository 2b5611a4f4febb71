/**
 * A scripted visit through every page of the public screen, by tapping hit regions as a visitor
 * would (screen fixture). After each step the fixture shows the named page; the screenshot script
 * saves it, and the page audit test checks its touch targets and text sizes.
 */
import { isoWithOffset } from '../protocols/time.js';
import type { FieldStatusProvider } from '../runtime/screen/field-view.js';
import { refreshLiveData } from './city-feed.js';
import type { screenFixture } from './screen-fixture.js';

type Fixture = ReturnType<typeof screenFixture>;

/**
 * Illustrative charging data for a wired charging service (the field-bus services provide the real
 * one).
 */
export const DEMO_FIELD: FieldStatusProvider = {
  charging: () => ({
    price: { energyYuanPerKwh: 0.8, serviceYuanPerKwh: 0.4 },
    ports: [
      { id: '1', label: { zh: '1号桩', en: 'Port 1' }, connector: 'GB/T AC', status: 'Available', maxKw: 7, startUrl: 'https://charge.wuhan.example/s/WH-JA-0001-1' },
      { id: '2', label: { zh: '2号桩', en: 'Port 2' }, connector: 'GB/T AC', status: 'Charging', maxKw: 7, powerKw: 6.6, energyKwh: 12.4 },
    ],
  }),
  pads: () => [{ id: 'p1', state: 'free' }, { id: 'p2', state: 'in-use', powerW: 12 }, { id: 'p3', state: 'free' }],
  lamp: () => ({ on: true, levelPct: 80 }),
};

/** Notices a Jiang'an pole might carry on an ordinary day. */
export function addSampleNotices(f: Fixture): void {
  const t = f.now();
  f.addNotice('n-water', {
    priority: 'high', issuedAt: isoWithOffset(t - 3600_000), expiresAt: isoWithOffset(t + 3 * 86400_000),
    title: { zh: '澳门路沿线11月30日停水通知', en: 'Water off along Aomen Road on 30 November' },
    body: { zh: '因供水管网改造，11月30日9:00至17:00澳门路（三阳路至京汉大道段）沿线停水，请提前储水。如有疑问请拨打 027-85855195。', en: 'Because of water main works, supply along Aomen Road (Sanyang Rd to Jinghan Ave) is off on 30 November, 9:00–17:00. Please store water in advance.' },
  });
  f.addNotice('n-works', {
    issuedAt: isoWithOffset(t - 7200_000),
    title: { zh: '澳门路段夜间施工通告', en: 'Night works on Aomen Road' },
    body: { zh: '11月28日至12月5日每晚22:00至次日6:00，澳门路（三阳路至京汉大道段）进行管网改造，请绕行并注意安全。', en: 'From 28 November to 5 December, 22:00–6:00 nightly, pipe works on Aomen Road. Please use another route.' },
  });
  f.addNotice('n-flu', {
    issuedAt: isoWithOffset(t - 86400_000),
    title: { zh: '流感高发季节，请注意个人防护', en: 'Flu season: protect yourself' },
    body: { zh: '近期流感进入高发期。请勤洗手、常通风，出现发热症状请及时就医。社区卫生服务中心为60岁以上老人提供免费流感疫苗接种。', en: 'Flu cases are rising. Wash hands often and keep rooms aired; see a doctor if you have a fever.' },
  });
  f.addNotice('n-library', {
    priority: 'low', issuedAt: isoWithOffset(t - 2 * 86400_000),
    title: { zh: '江岸区图书馆周末亲子阅读活动', en: 'Family reading weekend at Jiang\'an Library' },
    body: { zh: '本周六、日上午10:00，江岸区图书馆三楼少儿阅览室，免费参加，欢迎家长带孩子参与。', en: 'Saturday and Sunday 10:00, children\'s reading room, 3rd floor. Free.' },
  });
  f.addNotice('n-metro', {
    issuedAt: isoWithOffset(t - 3 * 86400_000),
    title: { zh: '地铁7号线三阳路站C出口临时封闭', en: 'Metro Line 7 Sanyang Road exit C temporarily closed' },
    body: { zh: '因出入口改造，三阳路站C出口自12月1日起临时封闭约两个月，请乘客改由A、B出口进出站。', en: 'Exit C is closed for about two months from 1 December; please use exits A and B.' },
  });
}

/** Visits every page; yields a name after each step, with that page on screen. */
export async function* tour(f: Fixture): AsyncGenerator<string> {
  const t = f.now();
  refreshLiveData(f.datasets, t);
  addSampleNotices(f);
  f.setField(DEMO_FIELD);
  f.screen.reset();
  await f.flush();
  const lang = f.screen.session.lang;
  yield 'attract';
  await f.tap('wake'); yield 'home';
  await f.tap('tile:notices'); yield 'notices';
  await f.tap('row:0'); yield 'notice';
  await f.tap('nav:home'); await f.tap('tile:services'); yield 'services';
  await f.tap('search');
  for (const k of ['h', 'z']) await f.tap(`key:${k}`);
  yield 'search-hz';
  await f.tap('row:0'); yield 'service';
  await f.tap('nav:back'); await f.tap('key:all'); yield 'service-list';
  await f.tap('nav:home'); await f.tap('tile:transit'); yield 'transit';
  await f.tap('stop:sanyang-aomen'); yield 'transit-stop';
  await f.tap('nav:home'); await f.tap('tile:charging'); yield 'charging';
  f.setField(null); await f.flush(); yield 'charging-unavailable';
  f.setField(DEMO_FIELD);
  await f.tap('nav:home'); await f.tap('tile:feedback'); yield 'feedback';
  await f.tap('report'); yield 'feedback-category';
  await f.tap('cat:lighting'); yield 'feedback-problem';
  await f.tap('problem:lamp-out'); yield 'feedback-confirm';
  await f.tap('submit'); yield 'feedback-done';
  const ticket = f.page('feedback-done').ticket;
  // The city's side: received the same evening, then the department's answer the next day.
  f.fstore.putReply({ ticket, issuer: 'wh-12345', version: 1, status: 'received', reply: null, receivedAt: t + 3600_000 });
  f.fstore.putReply({
    ticket, issuer: 'wh-12345', version: 2, status: 'replied', receivedAt: t + 86400_000,
    department: { zh: '江岸区城管局', en: 'Jiang\'an City Management' },
    reply: { zh: '您好，澳门路该路灯已于11月28日修复，感谢您的反馈！', en: 'The lamp on Aomen Road was repaired on 28 November. Thank you!' },
  });
  await f.tap('nav:home'); await f.tap('tile:feedback'); await f.tap('lookup');
  for (const d of ticket.slice(0, 6)) await f.tap(`key:${d}`);
  yield 'ticket-lookup';
  for (const d of ticket.slice(6)) await f.tap(`key:${d}`);
  await f.tap('key:submit'); yield 'ticket-result';
  await f.tap('rate:satisfied'); yield 'ticket-rated';
  await f.tap('nav:home'); await f.tap('tile:lang'); yield `home-${lang === 'zh' ? 'en' : 'zh'}`;
  await f.tap('tile:services'); await f.tap('cat:exit-entry'); yield 'service-list-2';
  f.advance(26_000); yield 'idle-countdown';
  const h = f.page().hits.find((x) => x.id === 'row:0')!;
  f.screen.touch({ type: 'down', x: h.rect.x + 40, y: h.rect.y + 30, t: 0 });
  await f.flush(); yield 'pressed';
  f.screen.touch({ type: 'up', x: h.rect.x + 40, y: h.rect.y + 30, t: 0, cancelled: false });
  f.screen.reset();
  f.screen.showCalibration({ x: 430, y: 50, index: 2, count: 5 });
  await f.flush(); yield 'calibration';
  f.screen.showCalibration(null);
  // Elder mode (适老化): one tap from the attract loop; a service reached without the keyboard.
  await f.flush();
  await f.tap('elder'); yield 'elder-home';
  await f.tap('elder:all'); yield 'elder-services';
  await f.tap('row:1'); yield 'elder-places';
  await f.tap('row:0'); yield 'elder-place';
  await f.tap('nav:standard');
  f.screen.reset();
  // The live transit feed stopped 20 minutes ago (modem down): timetable, and the page says so.
  f.advance(20 * 60_000);
  await f.tap('wake'); await f.tap('tile:transit'); yield 'transit-stale';
  f.screen.reset();
  await f.flush();
  f.addNotice('e-flood', {
    priority: 'emergency', issuedAt: isoWithOffset(t), expiresAt: isoWithOffset(t + 6 * 3600_000),
    title: { zh: '暴雨红色预警：请立即远离江滩和低洼地带', en: 'Red rainstorm warning: leave the riverside and low-lying areas now' },
    body: { zh: '武汉市气象台发布暴雨红色预警信号，未来3小时江岸区降雨量将达100毫米以上。请立即停止户外活动，远离江滩、地下通道和低洼地带，听从现场工作人员指挥。', en: 'Over 100 mm of rain is expected in Jiang\'an within 3 hours. Stop outdoor activities and keep away from the riverside and underpasses.' },
  });
  await f.flush(); yield 'emergency';
}
