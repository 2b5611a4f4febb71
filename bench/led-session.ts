/**
 * The scripted 50-change UI session of the LED-link figures, rendered by the real Renderer:
 * notice rotations, clock ticks, language switches, an emergency alert coming and going.
 */
import type { PageModel } from '../display/page-model.js';

const NOTICES = [
  { title: { zh: '江岸区停水通知', en: 'Water supply interruption' }, body: { zh: '因管道检修，11月30日9:00至17:00澳门路沿线停水，请提前储水。', en: 'Pipe repairs: no water on Aomen Rd, 30 Nov 9:00–17:00. Please store water in advance.' } },
  { title: { zh: '江滩公园开放时间调整', en: 'Riverside park opening hours' }, body: { zh: '冬季开放时间为每日6:00至22:00，夜间请注意安全，照看好老人和儿童。', en: 'Winter hours 6:00–22:00 daily. Take care at night and keep an eye on children.' } },
  { title: { zh: '地铁2号线临时调整', en: 'Metro Line 2 service change' }, body: { zh: '本周六23:00后循礼门站至江汉路站暂停运营，请换乘公交。'.repeat(2), en: 'After 23:00 on Saturday, Xunlimen–Jianghan Rd is closed; please use buses.'.repeat(2) } },
  { title: { zh: '垃圾分类宣传周', en: 'Waste sorting week' }, body: { zh: '可回收物、有害垃圾、厨余垃圾、其他垃圾，请分类投放。', en: 'Recyclables, hazardous, kitchen, other: please sort your waste.' } },
] as const;

export function sessionModels(): PageModel[] {
  const out: PageModel[] = [];
  let notice = 0;
  let lang: 'zh' | 'en' = 'zh';
  let minute = 0;
  let emergency = false;
  for (let i = 0; i < 51; i++) {
    if (i > 0) {
      switch (i % 8) {
        case 0: notice = (notice + 1) % NOTICES.length; break;
        case 3: lang = lang === 'zh' ? 'en' : 'zh'; break;
        case 6: emergency = !emergency; break;
        default: minute++;
      }
    }
    const clock = { time: `14:${String(minute % 60).padStart(2, '0')}`, date: '11月26日 星期四' };
    const n = NOTICES[notice]!;
    const base = { lang, clock, hits: [], pressed: null, idle: null };
    out.push(emergency
      ? {
        ...base, page: 'emergency', notice: { id: 'alert', priority: 'emergency', title: '暴雨红色预警', body: '请立即停止户外活动，远离低洼地带和地下通道。' }, rotation: { index: 1, count: 1 }, step: 0, cycle: { index: 1, count: 1 },
        blocks: [{ lang: 'zh', title: ['暴雨红色预警'], lines: ['请立即停止户外活动，', '远离低洼地带和地下通道。'] }, { lang: 'en', title: ['Red rainstorm warning'], lines: ['Stop outdoor activities now;', 'keep away from low ground', 'and underpasses.'] }],
      }
      : {
        ...base, page: 'attract', location: '武汉市江岸区澳门路', weather: null, status: { lamp: null, charging: null, pads: null },
        notice: { id: `n${notice}`, priority: notice === 2 ? 'high' : 'normal', title: n.title[lang], body: n.body[lang] }, rotation: { index: notice + 1, count: NOTICES.length },
      });
  }
  return out;
}
