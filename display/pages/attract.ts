/** The attract loop: clock, the current notice, and the touch cue (issue 2 spine; issue 4 grows it). */
import type { CanvasRenderingContext2D } from 'canvas';
import { font } from '../fonts.js';
import { Palette } from '../palette.js';
import type { AttractPage } from '../page-model.js';
import { wrapText } from '../text/wrap.js';

const PRIORITY_LABEL = {
  emergency: { zh: '紧急', en: 'EMERGENCY' },
  high: { zh: '重要', en: 'IMPORTANT' },
  normal: { zh: '公告', en: 'NOTICE' },
  low: { zh: '资讯', en: 'INFO' },
} as const;

export function drawAttract(ctx: CanvasRenderingContext2D, m: AttractPage, w: number, h: number): void {
  const pad = Math.round(w * 0.05);
  ctx.fillStyle = Palette.background;
  ctx.fillRect(0, 0, w, h);
  ctx.textBaseline = 'top';

  // Header: time, date, place.
  ctx.fillStyle = Palette.text;
  ctx.font = font(48, 'bold');
  ctx.fillText(m.clock.time, pad, pad);
  ctx.font = font(22);
  ctx.fillStyle = Palette.textMuted;
  ctx.fillText(m.clock.date, pad + 150, pad + 6);
  ctx.fillText(m.location, pad + 150, pad + 36);

  // Notice card.
  const top = 120;
  const cardH = h - top - 130;
  ctx.fillStyle = Palette.surface;
  ctx.fillRect(pad, top, w - 2 * pad, cardH);
  const inner = pad + 20;
  const textW = w - 2 * inner;
  if (m.notice) {
    const n = m.notice;
    const label = PRIORITY_LABEL[n.priority][m.lang];
    ctx.font = font(20, 'bold');
    const lw = ctx.measureText(label).width + 20;
    ctx.fillStyle = n.priority === 'high' ? Palette.high : Palette.accent;
    ctx.fillRect(inner, top + 20, lw, 34);
    ctx.fillStyle = Palette.cueText;
    ctx.fillText(label, inner + 10, top + 24);
    if (m.rotation.count > 1) {
      ctx.fillStyle = Palette.textMuted;
      ctx.fillText(`${m.rotation.index}/${m.rotation.count}`, w - inner - 40, top + 24);
    }
    const title = (m.lang === 'en' && n.title.en) || n.title.zh;
    const body = (m.lang === 'en' && n.body.en) || n.body.zh;
    ctx.fillStyle = Palette.text;
    ctx.font = font(34, 'bold');
    let y = top + 74;
    for (const line of wrapText(ctx, title, textW, 3)) { ctx.fillText(line, inner, y); y += 46; }
    y += 12;
    ctx.font = font(26);
    const maxLines = Math.max(1, Math.floor((top + cardH - 20 - y) / 38));
    for (const line of wrapText(ctx, body, textW, maxLines)) { ctx.fillText(line, inner, y); y += 38; }
  } else {
    ctx.fillStyle = Palette.textMuted;
    ctx.font = font(28);
    ctx.fillText(m.lang === 'zh' ? '暂无公告' : 'No notices right now', inner, top + 40);
  }

  // Touch cue.
  const cueY = h - 110;
  ctx.fillStyle = Palette.cue;
  ctx.fillRect(pad, cueY, w - 2 * pad, 80);
  ctx.fillStyle = Palette.cueText;
  ctx.font = font(32, 'bold');
  ctx.textAlign = 'center';
  ctx.fillText('触摸查询  Touch to explore', w / 2, cueY + 20);
  ctx.textAlign = 'start';
}
