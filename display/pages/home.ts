/**
 * Home (docs/screen.md §Behaviour): six large tiles — 公告 Notices, 办事 Services, 公交 Transit, 充电 Charging,
 * 留言 Messages to the city, 中/EN — under a header with the time, weather and place, and the
 * city hotlines at the bottom (always a way to reach a person) beside the 长者模式 button
 * (docs/screen.md §Elder mode).
 */
import type { Rect } from '../../lib/frame.js';
import { sc, type ScreenGeometry } from '../geometry.js';
import { font, typeSize } from '../fonts.js';
import type { Hit, HomePage, PageContent, UiAction } from '../page-model.js';
import { Palette } from '../palette.js';
import { icon, type IconName } from '../draw/icons.js';
import type { Kit } from '../draw/kit.js';
import { grid } from '../draw/grid.js';
import { fillRound, text } from '../draw/ui.js';
import { drawElderButton } from './attract.js';

export const HOME_TILES: { id: string; icon: IconName; color: string; action: UiAction }[] = [
  { id: 'notices', icon: 'notices', color: Palette.tileNotices, action: { type: 'go', to: 'notices' } },
  { id: 'services', icon: 'services', color: Palette.tileServices, action: { type: 'go', to: 'services' } },
  { id: 'transit', icon: 'transit', color: Palette.tileTransit, action: { type: 'go', to: 'transit' } },
  { id: 'charging', icon: 'charging', color: Palette.tileCharging, action: { type: 'go', to: 'charging' } },
  { id: 'feedback', icon: 'messages', color: Palette.tileMessages, action: { type: 'go', to: 'feedback' } },
  { id: 'lang', icon: 'language', color: Palette.tileLanguage, action: { type: 'lang' } },
];

export function homeLayout(g: ScreenGeometry): { band: Rect; tiles: Rect[]; hotline: Rect; elder: Rect } {
  const bandH = sc(g, 184);
  const hotH = sc(g, 92);
  const top = bandH + sc(g, 16);
  const bottom = g.height - hotH - sc(g, 12);
  const h = Math.floor((bottom - top - 2 * g.gap) / 3);
  const elderW = sc(g, 168);
  const hotline = { x: 0, y: g.height - hotH, w: g.width, h: hotH };
  return { band: { x: 0, y: 0, w: g.width, h: bandH }, tiles: grid(g, top, 6, 2, h), hotline, elder: { x: g.width - g.pad - elderW, y: hotline.y + sc(g, 6), w: elderW, h: hotH - sc(g, 12) } };
}

export function homeHits(g: ScreenGeometry, _c: PageContent<HomePage>): Hit[] {
  const { tiles, elder } = homeLayout(g);
  return [
    ...HOME_TILES.map((tile, i) => ({ id: `tile:${tile.id}`, rect: tiles[i]!, action: tile.action })),
    { id: 'elder', rect: elder, action: { type: 'elder' } },
  ];
}

export function drawHome(k: Kit, m: HomePage): void {
  const { ctx, g, tm } = k;
  const L = homeLayout(g);
  ctx.fillStyle = Palette.background;
  ctx.fillRect(0, 0, g.width, g.height);

  // Header band: time + date on the left, weather on the right, place beneath.
  ctx.fillStyle = Palette.surface;
  ctx.fillRect(L.band.x, L.band.y, L.band.w, L.band.h);
  ctx.fillStyle = Palette.accent;
  ctx.fillRect(0, L.band.h - sc(g, 3), g.width, sc(g, 3));
  text(ctx, tm, m.clock.time, g.pad, sc(g, 14), sc(g, 200), { size: typeSize(g, 'display') + sc(g, 12), color: Palette.text, weight: 'bold' });
  text(ctx, tm, m.clock.date, g.pad, sc(g, 88), sc(g, 220), { size: typeSize(g, 'body'), color: Palette.text });
  if (m.weather) {
    const x = sc(g, 250);
    icon(ctx, m.weather.icon, x + sc(g, 24), sc(g, 44), sc(g, 44), Palette.cue);
    text(ctx, tm, `${Math.round(m.weather.tempC)}°C`, x + sc(g, 56), sc(g, 18), g.width - x - sc(g, 56) - g.pad, { size: typeSize(g, 'h1'), color: Palette.text, weight: 'bold' });
    // A stale reading says its age first, so it is never the part cut off.
    const w = m.weather;
    const line = w.staleMark ? `${w.staleMark}  ${w.condition}` : [w.condition, w.range, w.aqi ? `${w.aqi.label} ${w.aqi.value}` : null].filter(Boolean).join('  ');
    text(ctx, tm, line, x, sc(g, 84), g.width - x - g.pad, { size: typeSize(g, 'small'), color: w.staleMark ? Palette.cue : Palette.textMuted, weight: w.staleMark ? 'bold' : 'normal' });
  }
  icon(ctx, 'pin', g.pad + sc(g, 11), sc(g, 140), sc(g, 24), Palette.accent);
  text(ctx, tm, m.location, g.pad + sc(g, 30), sc(g, 126), g.width - 2 * g.pad - sc(g, 30), { size: typeSize(g, 'small'), color: Palette.textMuted });

  // Tiles.
  HOME_TILES.forEach((tile, i) => {
    const r = L.tiles[i]!;
    const content = m.tiles.find((x) => x.id === tile.id);
    fillRound(ctx, r, sc(g, 20), Palette.surface);
    ctx.fillStyle = tile.color;
    ctx.beginPath();
    ctx.arc(r.x + sc(g, 48), r.y + sc(g, 48), sc(g, 30), 0, Math.PI * 2);
    ctx.fill();
    icon(ctx, tile.icon, r.x + sc(g, 48), r.y + sc(g, 48), sc(g, 34), Palette.background);
    if (content) {
      text(ctx, tm, content.title, r.x + sc(g, 18), r.y + r.h - sc(g, 76), r.w - sc(g, 30), { size: typeSize(g, 'h2'), color: Palette.text, weight: 'bold' });
      text(ctx, tm, content.subtitle, r.x + sc(g, 18), r.y + r.h - sc(g, 36), r.w - sc(g, 30), { size: typeSize(g, 'small'), color: Palette.textMuted });
    }
  });

  // Hotlines, beside the elder-mode button.
  ctx.fillStyle = Palette.surface;
  ctx.fillRect(L.hotline.x, L.hotline.y, L.hotline.w, L.hotline.h);
  icon(ctx, 'phone', g.pad + sc(g, 14), L.hotline.y + L.hotline.h / 2, sc(g, 28), Palette.accent);
  const hx = g.pad + sc(g, 36);
  const hw = L.elder.x - sc(g, 10) - hx;
  // The city hotline on its own line, the others after it, as many to a line as fit (at most 3 lines).
  const size = typeSize(g, 'small');
  const [first = '', ...rest] = m.hotline.split(' · ');
  const lines = [first];
  for (const part of rest) {
    const joined = lines.length > 1 ? `${lines.at(-1)} · ${part}` : null;
    if (joined && tm.width(font(size), joined) <= hw) lines[lines.length - 1] = joined;
    else lines.push(part);
  }
  const lh = Math.min(sc(g, 32), Math.floor((L.hotline.h - sc(g, 8)) / lines.length));
  const top = L.hotline.y + Math.round((L.hotline.h - (lines.length - 1) * lh - size * 1.3) / 2);
  lines.slice(0, 3).forEach((l, i) => text(ctx, tm, l, hx, top + i * lh, hw, { size, color: Palette.text, weight: i === 0 ? 'bold' : 'normal' }));
  drawElderButton(k, L.elder, m.lang);
}
