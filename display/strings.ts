/** Fixed UI labels in both languages (data text comes localized in the page model). */
import type { Language } from './page-model.js';

export const S = {
  back: { zh: '返回', en: 'Back' },
  home: { zh: '首页', en: 'Home' },
  switchLang: { zh: 'English', en: '中文' },
  touchCue: { zh: '触摸查询', en: 'Touch to explore' },
  noNotices: { zh: '暂无公告', en: 'No notices right now' },
  unavailable: { zh: '暂不可用', en: 'Unavailable' },
  idleTitle: { zh: '{n} 秒后返回首页', en: 'Returning to start in {n} s' },
  idleHint: { zh: '点击继续使用 · Tap to stay', en: 'Tap to stay · 点击继续使用' },
  notices: { zh: '公告', en: 'Notices' },
  services: { zh: '办事', en: 'Services' },
  transit: { zh: '公交', en: 'Transit' },
  charging: { zh: '充电', en: 'Charging' },
  feedback: { zh: '城市留言板', en: 'Messages to the city' },
  search: { zh: '拼音首字母搜索', en: 'Search by pinyin initials' },
  searchHint: { zh: '例如 hz = 护照', en: 'e.g. hz = 护照 passport' },
  noResults: { zh: '没有找到，试试其他字母', en: 'Nothing found — try other letters' },
  scanOnPhone: { zh: '手机扫码', en: 'Scan with your phone' },
  lamp: { zh: '路灯', en: 'Lamp' },
  chargers: { zh: '充电桩', en: 'EV charging' },
  pads: { zh: '手机充电', en: 'Phone charging' },
  on: { zh: '开启', en: 'On' },
  off: { zh: '关闭', en: 'Off' },
  free: { zh: '空闲', en: 'free' },
  emergency: { zh: '紧急通知', en: 'EMERGENCY' },
  reportProblem: { zh: '我要留言', en: 'Report a problem' },
  reportProblemSub: { zh: '设施损坏、路灯不亮、垃圾…', en: 'Broken seat, lamp out, litter…' },
  checkReply: { zh: '查询回复', en: 'Check a reply' },
  checkReplySub: { zh: '输入留言编号', en: 'Enter your ticket number' },
  chooseCategory: { zh: '请选择问题类别', en: 'Choose a category' },
  chooseProblem: { zh: '请选择具体问题', en: 'Choose the problem' },
  confirm: { zh: '确认提交', en: 'Submit' },
  edit: { zh: '返回修改', en: 'Change' },
  location: { zh: '位置', en: 'Location' },
  pole: { zh: '灯杆编号', en: 'Pole' },
  category: { zh: '类别', en: 'Category' },
  problem: { zh: '问题', en: 'Problem' },
  submitted: { zh: '留言已提交', en: 'Message sent' },
  yourTicket: { zh: '您的留言编号', en: 'Your ticket number' },
  keepTicket: { zh: '请记下编号，或扫码在手机上查看进度', en: 'Note the number, or scan to follow it on your phone' },
  enterTicket: { zh: '请输入 9 位留言编号', en: 'Enter the 9-digit ticket number' },
  query: { zh: '查询', en: 'Look up' },
  ticket: { zh: '留言编号', en: 'Ticket' },
  reply: { zh: '答复', en: 'Reply' },
  hotline: { zh: '市民热线 12345 · 报警 110 · 急救 120', en: 'City hotline 12345 · Police 110 · Ambulance 120' },
  price: { zh: '电价', en: 'Price' },
  scanToCharge: { zh: '扫码开始充电', en: 'Scan to start charging' },
  chargingUnavailable: { zh: '充电服务暂不可用', en: 'Charging is unavailable right now' },
  chargingUnavailableHint: { zh: '请稍后再试，或拨打 12345', en: 'Please try later, or call 12345' },
  servicesUnavailable: { zh: '办事指南数据暂不可用', en: 'Service directory not available yet' },
  transitUnavailable: { zh: '公交数据暂不可用', en: 'Transit data not available yet' },
  allPlaces: { zh: '全部', en: 'All' },
  updated: { zh: '更新于', en: 'Updated' },
  nearbyStops: { zh: '附近站点', en: 'Nearby stops' },
  elderMode: { zh: '长者模式', en: 'Large text' },
  elderModeSub: { zh: 'Large text', en: '长者模式' },
  elderTitle: { zh: '长者模式', en: 'Large-text mode' },
  standardMode: { zh: '普通模式', en: 'Standard' },
  allServices: { zh: '全部服务', en: 'All services' },
  prevPage: { zh: '上一页', en: 'Previous' },
  nextPage: { zh: '下一页', en: 'Next' },
  cityHotline: { zh: '市民热线', en: 'City hotline' },
  otherHotlines: { zh: '报警 110 · 急救 120', en: 'Police 110 · Ambulance 120' },
  timetableEstimate: { zh: '按时刻表估算', en: 'Timetable estimate' },
  liveStopped: { zh: '实时数据{when}，暂停更新', en: 'Live data {when}, not updating' },
} as const satisfies Record<string, Record<Language, string>>;

export type StringKey = keyof typeof S;

export function t(lang: Language, key: StringKey, vars: Record<string, string | number> = {}): string {
  return S[key][lang].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

/** The other language's text, for bilingual subtitles. */
export function other(lang: Language): Language {
  return lang === 'zh' ? 'en' : 'zh';
}
