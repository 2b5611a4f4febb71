/**
 * The attract loop (docs/screen.md §Behaviour): what a passer-by sees from a few metres — the time,
 * the weather, the notice of the moment (rotating in the scheduler's order), what the pole offers
 * right now (lamp, EV charging, phone charging) and a clear "触摸查询 Touch to explore" cue. Touching
 * anywhere wakes the UI, except the 长者模式 button beside the cue, which opens elder mode
 * (docs/screen.md §Elder mode).
 */
import { sc, type ScreenGeometry } from '../geometry.js';
import { font, typeSize } from '../fonts.js';
import type { AttractPage, Hit, NoticeView, PageContent, PoleStatusView, WeatherLine } from '../page-model.js';
import { Palette } from '../palette.js';
import { t } from '../strings.js';
import { icon } from '../draw/icons.js';
import type { Kit } from '../draw/kit.js';
import { badge, fillRound, text, textBlock } from '../draw/ui.js';

/**
 * The elder button's hit region runs to the screen's right and bottom edges; "wake" is everything
 * else, as two regions (above the cue row, and the cue row left of the button).
 */
export function attractHits(g: ScreenGeometry, _c: PageContent<AttractPage>): Hit[] {
  const L = attractLayout(g);
  const e = L.elder;
  return [
    { id: 'wake', rect: { x: 0, y: 0, w: g.width, h: e.y }, action: { type: 'wake' } },
    { id: 'wake:cue', rect: { x: 0, y: e.y, w: e.x, h: g.height - e.y }, action: { type: 'wake' } },
    { id: 'elder', rect: { x: e.x, y: e.y, w: g.width - e.x, h: g.height - e.y }, action: { type: 'elder' } },
  ];
}

export const PRIORITY_LABEL = {
  emergency: { zh: '紧急', en: 'URGENT' },
  high: { zh: '重要', en: 'IMPORTANT' },
  normal: { zh: '公告', en: 'NOTICE' },
  low: { zh: '资讯', en: 'INFO' },
} as const;

export function priorityColors(p: NoticeView['priority']): { bg: string; fg: string } {
  if (p === 'emergency') return { bg: Palette.fault, fg: Palette.faultText };
  if (p === 'high') return { bg: Palette.high, fg: Palette.highText };
  if (p === 'low') return { bg: Palette.idle, fg: Palette.idleText };
  return { bg: Palette.accent, fg: Palette.accentText };
}

/** Rows of the attract layout, top to bottom. */
export function attractLayout(g: ScreenGeometry) {
  const cueH = sc(g, 88);
  const cueY = g.height - g.pad - cueH;
  const statusH = sc(g, 84);
  const statusY = cueY - sc(g, 12) - statusH;
  const cardY = sc(g, 196);
  const elderW = sc(g, 168);
  const cueW = g.width - 2 * g.pad - elderW - sc(g, 12);
  return {
    weatherY: sc(g, 128), card: { x: g.pad, y: cardY, w: g.width - 2 * g.pad, h: statusY - sc(g, 12) - cardY }, statusY, statusH,
    cue: { x: g.pad, y: cueY, w: cueW, h: cueH }, elder: { x: g.width - g.pad - elderW, y: cueY, w: elderW, h: cueH },
  };
}

/** Condition and temperatures; a stale reading's age is drawn beside it, never cut off. */
export function weatherText(w: WeatherLine): string {
  const parts = [`${w.condition} ${Math.round(w.tempC)}°C`];
  if (w.range && !w.staleMark) parts.push(w.range);
  return parts.join('  ');
}

export function drawAttract(k: Kit, m: AttractPage): void {
  const { ctx, g, tm } = k;
  const L = attractLayout(g);
  ctx.fillStyle = Palette.background;
  ctx.fillRect(0, 0, g.width, g.height);

  // Time, date, place.
  const clockW = text(ctx, tm, m.clock.time, g.pad, sc(g, 14), sc(g, 230), { size: typeSize(g, 'clock'), color: Palette.text, weight: 'bold' });
  const rx = g.pad + clockW + sc(g, 22);
  const rw = g.width - rx - g.pad;
  text(ctx, tm, m.clock.date, rx, sc(g, 30), rw, { size: typeSize(g, 'body'), color: Palette.text, weight: 'bold' });
  icon(ctx, 'pin', rx + sc(g, 11), sc(g, 80), sc(g, 22), Palette.accent);
  text(ctx, tm, m.location, rx + sc(g, 28), sc(g, 66), rw - sc(g, 28), { size: typeSize(g, 'small'), color: Palette.textMuted });

  // Weather line.
  if (m.weather) {
    const w = m.weather;
    icon(ctx, w.icon, g.pad + sc(g, 20), L.weatherY + sc(g, 20), sc(g, 38), Palette.cue);
    let x = g.pad + sc(g, 52);
    const room = g.width - x - g.pad - (w.staleMark ? tm.width(font(typeSize(g, 'small'), 'bold'), w.staleMark) + sc(g, 32) : sc(g, 110));
    const used = text(ctx, tm, weatherText(w), x, L.weatherY + sc(g, 4), room, { size: typeSize(g, 'body'), color: Palette.text });
    x += used + sc(g, 12);
    if (w.staleMark) badge(ctx, tm, w.staleMark, x, L.weatherY + sc(g, 2), { size: typeSize(g, 'small'), fg: Palette.cueText, bg: Palette.cue });
    else if (w.aqi) badge(ctx, tm, `${w.aqi.label} ${w.aqi.value}`, x, L.weatherY + sc(g, 2), { size: typeSize(g, 'small'), fg: Palette.okText, bg: Palette.ok });
  }

  // Notice card.
  const c = L.card;
  fillRound(ctx, c, sc(g, 20), Palette.surface);
  const inner = { x: c.x + sc(g, 22), w: c.w - sc(g, 44) };
  if (m.notice) {
    const n = m.notice;
    const col = priorityColors(n.priority);
    badge(ctx, tm, PRIORITY_LABEL[n.priority][m.lang], inner.x, c.y + sc(g, 22), { size: typeSize(g, 'small'), fg: col.fg, bg: col.bg });
    drawRotationDots(k, m.rotation.index, m.rotation.count, c.x + c.w - sc(g, 22), c.y + sc(g, 38));
    let y = c.y + sc(g, 76);
    y += textBlock(ctx, tm, n.title, { x: inner.x, y, w: inner.w, h: sc(g, 150) }, { size: typeSize(g, 'h1'), color: Palette.text, weight: 'bold', maxLines: 3, lineHeight: sc(g, 48) });
    if (n.otherTitle) {
      y += sc(g, 8);
      y += textBlock(ctx, tm, n.otherTitle, { x: inner.x, y, w: inner.w, h: sc(g, 60) }, { size: typeSize(g, 'small'), color: Palette.textMuted, weight: 'bold', maxLines: 2, lineHeight: sc(g, 27) });
    }
    y += sc(g, 18);
    textBlock(ctx, tm, n.body, { x: inner.x, y, w: inner.w, h: c.y + c.h - sc(g, 22) - y }, { size: typeSize(g, 'body'), color: Palette.textMuted, lineHeight: sc(g, 36) });
  } else {
    icon(ctx, 'notices', c.x + c.w / 2, c.y + c.h / 2 - sc(g, 30), sc(g, 64), Palette.line);
    text(ctx, tm, t(m.lang, 'noNotices'), c.x, c.y + c.h / 2 + sc(g, 20), c.w, { size: typeSize(g, 'title'), color: Palette.textMuted, align: 'center' });
  }

  drawStatus(k, m.status, m.lang, L.statusY, L.statusH);

  // The cue.
  const q = L.cue;
  fillRound(ctx, q, sc(g, 22), Palette.cue);
  icon(ctx, 'touch', q.x + sc(g, 52), q.y + q.h / 2 + sc(g, 2), sc(g, 48), Palette.cueText);
  const tx = q.x + sc(g, 96);
  const second = m.lang === 'zh' ? 'en' : 'zh';
  text(ctx, tm, t(m.lang, 'touchCue'), tx, q.y + sc(g, 10), q.w - sc(g, 106), { size: typeSize(g, 'h2'), color: Palette.cueText, weight: 'bold' });
  text(ctx, tm, t(second, 'touchCue'), tx, q.y + sc(g, 52), q.w - sc(g, 106), { size: typeSize(g, 'small'), color: Palette.cueText });
  drawElderButton(k, L.elder, m.lang);
}

/** 长者模式: large text (attract loop and home). */
export function drawElderButton(k: Kit, r: { x: number; y: number; w: number; h: number }, lang: AttractPage['lang']): void {
  const { ctx, g, tm } = k;
  fillRound(ctx, r, sc(g, 22), Palette.accent);
  const top = r.y + Math.round((r.h - sc(g, 68)) / 2);
  text(ctx, tm, t(lang, 'elderMode'), r.x, top, r.w, { size: typeSize(g, 'h2'), color: Palette.accentText, weight: 'bold', align: 'center' });
  text(ctx, tm, t(lang, 'elderModeSub'), r.x, top + sc(g, 42), r.w, { size: typeSize(g, 'small'), color: Palette.accentText, align: 'center' });
}

function drawRotationDots(k: Kit, index: number, count: number, right: number, cy: number): void {
  if (count <= 1) return;
  const { ctx, g } = k;
  const shown = Math.min(count, 8);
  const step = sc(g, 18);
  for (let i = 0; i < shown; i++) {
    ctx.beginPath();
    ctx.fillStyle = i === (index - 1) % shown ? Palette.text : Palette.line;
    ctx.arc(right - (shown - 1 - i) * step - sc(g, 6), cy, sc(g, i === (index - 1) % shown ? 6 : 5), 0, Math.PI * 2);
    ctx.fill();
  }
}

function drawStatus(k: Kit, s: PoleStatusView, lang: AttractPage['lang'], y: number, h: number): void {
  const { ctx, g, tm } = k;
  const items: { icon: 'lamp' | 'charging' | 'phone'; label: string; value: string; ok: boolean | null }[] = [
    { icon: 'lamp', label: t(lang, 'lamp'), value: s.lamp ? (s.lamp.on ? `${t(lang, 'on')} ${s.lamp.levelPct}%` : t(lang, 'off')) : t(lang, 'unavailable'), ok: s.lamp ? s.lamp.on : null },
    { icon: 'charging', label: t(lang, 'chargers'), value: s.charging ? `${s.charging.free}/${s.charging.total} ${t(lang, 'free')}` : t(lang, 'unavailable'), ok: s.charging ? s.charging.free > 0 : null },
    { icon: 'phone', label: t(lang, 'pads'), value: s.pads ? `${s.pads.free}/${s.pads.total} ${t(lang, 'free')}` : t(lang, 'unavailable'), ok: s.pads ? s.pads.free > 0 : null },
  ];
  const gap = sc(g, 10);
  const w = Math.floor((g.width - 2 * g.pad - 2 * gap) / 3);
  items.forEach((it, i) => {
    const x = g.pad + i * (w + gap);
    fillRound(ctx, { x, y, w, h }, sc(g, 16), Palette.surface);
    const color = it.ok === null ? Palette.line : it.ok ? Palette.ok : Palette.cue;
    icon(ctx, it.icon, x + sc(g, 24), y + sc(g, 26), sc(g, 28), color);
    text(ctx, tm, it.label, x + sc(g, 44), y + sc(g, 10), w - sc(g, 50), { size: typeSize(g, 'small'), color: Palette.textMuted });
    text(ctx, tm, it.value, x + sc(g, 12), y + sc(g, 46), w - sc(g, 20), { size: typeSize(g, 'small'), color: Palette.text, weight: 'bold' });
  });
}
