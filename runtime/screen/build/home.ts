/** Builders for the attract loop, the emergency takeover and the home page. */
import type { AttractPage, EmergencyPage, HomePage, Language, NoticeView, PoleStatusView, WeatherLine } from '../../../display/page-model.js';
import { t } from '../../../display/strings.js';
import { EMERGENCY_DWELL_MS, emergencyScreens, type AlertText } from '../../../display/pages/emergency.js';
import type { StoredNotice } from '../../notices/notice-store.js';
import { FRESHNESS, ageMark, freshness } from '../freshness.js';
import type { BuildContext, Fields } from './context.js';
import { loc } from './context.js';

/** The notice's title in the language other than `lang`, if it has one (bilingual notices show both). */
export function otherTitle(n: StoredNotice, lang: Language): string | null {
  const t = n.payload.title;
  return lang === 'zh' ? t.en ?? null : t.en ? t.zh : null;
}

export function noticeView(n: StoredNotice, lang: Language): NoticeView {
  return { id: n.id, priority: n.payload.priority, title: loc(n.payload.title, lang), body: loc(n.payload.body, lang), otherTitle: otherTitle(n, lang) };
}

export function weatherLine(c: BuildContext): WeatherLine | null {
  const w = c.data.get('weather')?.data;
  if (!w) return null;
  const observed = Date.parse(w.observedAt);
  const age = freshness(FRESHNESS.weather, observed, c.now);
  if (age === 'dropped') return null;
  const lang = c.session.lang;
  const icon = w.condition === 'sunny' ? 'sun' : ['rain', 'thunderstorm', 'snow'].includes(w.condition) ? 'rain' : 'cloud';
  return {
    icon,
    condition: loc(w.text, lang),
    tempC: w.tempC,
    range: w.lowC !== undefined && w.highC !== undefined ? `${Math.round(w.lowC)}~${Math.round(w.highC)}°C` : null,
    aqi: w.aqi ? { value: w.aqi.value, label: lang === 'zh' ? `空气${loc(w.aqi.level, lang)}` : `AQI ${loc(w.aqi.level, lang)}` } : null,
    wind: w.wind ? loc(w.wind, lang) : null,
    staleMark: age === 'stale' ? ageMark(observed, c.now, c.timeZone, lang) : null,
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

/**
 * Every language the alert carries, the session's first; its screens turn every
 * EMERGENCY_DWELL_MS from the moment it could first take over (docs/screen.md §Bilingual emergencies).
 */
export function buildEmergency(c: BuildContext, n: StoredNotice): Fields<EmergencyPage> {
  const lang = c.session.lang;
  const { title, body } = n.payload;
  const zh: AlertText = { lang: 'zh', title: title.zh, body: body.zh };
  const en: AlertText | null = title.en || body.en ? { lang: 'en', title: title.en ?? title.zh, body: body.en ?? '' } : null;
  const parts = en ? (lang === 'en' ? [en, zh] : [zh, en]) : [zh];
  const { step, screens } = emergencyScreens(c.g, c.tm, parts);
  const since = Math.max(n.receivedAt, n.validFrom);
  const index = Math.floor(Math.max(0, c.now - since) / EMERGENCY_DWELL_MS) % screens.length;
  return {
    page: 'emergency', notice: noticeView(n, lang), rotation: { index: c.rotation.index, count: c.rotation.count },
    blocks: screens[index]!, step, cycle: { index: index + 1, count: screens.length },
  };
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
