/** Builders for the attract loop, the emergency takeover and the home page. */
import type { AttractPage, EmergencyPage, HomePage, Language, NoticeView, PoleStatusView, WeatherLine } from '../../../display/page-model.js';
import { t } from '../../../display/strings.js';
import type { StoredNotice } from '../../notices/notice-store.js';
import type { BuildContext, Fields } from './context.js';
import { loc } from './context.js';

/** Weather older than this is marked "not updated" rather than shown as current. */
const WEATHER_FRESH_MS = 3 * 3600_000;

export function noticeView(n: StoredNotice, lang: Language): NoticeView {
  return { id: n.id, priority: n.payload.priority, title: loc(n.payload.title, lang), body: loc(n.payload.body, lang) };
}

export function weatherLine(c: BuildContext): WeatherLine | null {
  const w = c.data.get('weather')?.data;
  if (!w) return null;
  const lang = c.session.lang;
  const icon = w.condition === 'sunny' ? 'sun' : ['rain', 'thunderstorm', 'snow'].includes(w.condition) ? 'rain' : 'cloud';
  return {
    icon,
    condition: loc(w.text, lang),
    tempC: w.tempC,
    range: w.lowC !== undefined && w.highC !== undefined ? `${Math.round(w.lowC)}~${Math.round(w.highC)}°C` : null,
    aqi: w.aqi ? { value: w.aqi.value, label: lang === 'zh' ? `空气${loc(w.aqi.level, lang)}` : `AQI ${loc(w.aqi.level, lang)}` } : null,
    wind: w.wind ? loc(w.wind, lang) : null,
    stale: c.now - Date.parse(w.observedAt) > WEATHER_FRESH_MS,
  };
}

/** Availability for the attract loop; each part null when its provider is missing or down. */
export function poleStatus(c: BuildContext): PoleStatusView {
  const f = c.field;
  const safe = <T>(g: () => T): T | null => { try { return g(); } catch { return null; } };
  const ch = f ? safe(() => f.charging()) : null;
  const pads = f ? safe(() => f.pads()) : null;
  const lamp = f ? safe(() => f.lamp()) : null;
  return {
    lamp: lamp ? { on: lamp.on, levelPct: Math.round(lamp.levelPct) } : null,
    charging: ch ? { free: ch.ports.filter((p) => p.status === 'Available').length, total: ch.ports.length } : null,
    pads: pads ? { free: pads.filter((p) => p.state === 'free').length, total: pads.length } : null,
  };
}

export function buildAttract(c: BuildContext): Fields<AttractPage> {
  const r = c.rotation;
  return {
    page: 'attract', location: c.pole.address, weather: weatherLine(c),
    notice: r.notice ? noticeView(r.notice, c.session.lang) : null,
    rotation: { index: r.index, count: r.count }, status: poleStatus(c),
  };
}

export function buildEmergency(c: BuildContext, n: StoredNotice): Fields<EmergencyPage> {
  return { page: 'emergency', notice: noticeView(n, c.session.lang), rotation: { index: c.rotation.index, count: c.rotation.count } };
}

export function buildHome(c: BuildContext): Fields<HomePage> {
  const lang = c.session.lang;
  const other: Language = lang === 'zh' ? 'en' : 'zh';
  const tile = (id: string, key: 'notices' | 'services' | 'transit' | 'charging') => ({ id, title: t(lang, key), subtitle: t(other, key) });
  return {
    page: 'home', location: c.pole.address, weather: weatherLine(c),
    tiles: [
      tile('notices', 'notices'), tile('services', 'services'), tile('transit', 'transit'), tile('charging', 'charging'),
      { id: 'feedback', title: lang === 'zh' ? '留言' : 'Messages', subtitle: lang === 'zh' ? 'Messages to the city' : '城市留言板' },
      { id: 'lang', title: '中 / EN', subtitle: lang === 'zh' ? 'Switch to English' : '切换到中文' },
    ],
    hotline: t(lang, 'hotline'),
  };
}
