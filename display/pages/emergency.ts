/** Emergency takeover: full screen, high contrast, pre-empts everything (issue 4 §3). */
import type { CanvasRenderingContext2D } from 'canvas';
import { font } from '../fonts.js';
import { Palette } from '../palette.js';
import type { EmergencyPage } from '../page-model.js';
import { wrapText } from '../text/wrap.js';

export function drawEmergency(ctx: CanvasRenderingContext2D, m: EmergencyPage, w: number, h: number): void {
  const pad = Math.round(w * 0.06);
  ctx.fillStyle = Palette.emergencyBg;
  ctx.fillRect(0, 0, w, h);
  ctx.textBaseline = 'top';
  ctx.fillStyle = Palette.emergencyText;
  ctx.font = font(44, 'bold');
  ctx.fillText(m.lang === 'zh' ? '⚠ 紧急通知' : '⚠ EMERGENCY', pad, pad);
  ctx.font = font(22);
  ctx.fillText(`${m.clock.date} ${m.clock.time}`, pad, pad + 60);
  ctx.fillRect(pad, pad + 100, w - 2 * pad, 4);
  const title = (m.lang === 'en' && m.notice.title.en) || m.notice.title.zh;
  const body = (m.lang === 'en' && m.notice.body.en) || m.notice.body.zh;
  let y = pad + 130;
  ctx.font = font(40, 'bold');
  for (const line of wrapText(ctx, title, w - 2 * pad, 4)) { ctx.fillText(line, pad, y); y += 54; }
  y += 16;
  ctx.font = font(30);
  const maxLines = Math.max(1, Math.floor((h - pad - y) / 44));
  for (const line of wrapText(ctx, body, w - 2 * pad, maxLines)) { ctx.fillText(line, pad, y); y += 44; }
}
