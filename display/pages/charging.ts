/**
 * Charging (docs/screen.md §Behaviour): EV ports with their OCPP status and price, a QR code to start
 * a session on the selected port, and the phone-charging pads. Until a charging service is wired
 * or while it is down, the page says plainly that charging is unavailable.
 */
import type { Rect } from '../../lib/frame.js';
import { sc, type ScreenGeometry } from '../geometry.js';
import { typeSize } from '../fonts.js';
import type { ChargingPage, Hit, PageContent } from '../page-model.js';
import { Palette } from '../palette.js';
import { t } from '../strings.js';
import { chromeHits, drawChrome } from '../draw/chrome.js';
import { icon } from '../draw/icons.js';
import type { Kit } from '../draw/kit.js';
import { contentBottom, grid } from '../draw/grid.js';
import { badge, fillRound, strokeRound, text, textBlock } from '../draw/ui.js';
import { drawQrCard } from './services.js';

/** Ports shown (two rows of two); a pole rarely has more, and they would not be legible. */
export const MAX_PORTS = 4;

export const TONE = {
  ok: { bg: Palette.ok, fg: Palette.okText },
  busy: { bg: Palette.busy, fg: Palette.busyText },
  fault: { bg: Palette.fault, fg: Palette.faultText },
  idle: { bg: Palette.idle, fg: Palette.idleText },
} as const;

function chargingLayout(g: ScreenGeometry, ports: number) {
  const portH = sc(g, 132);
  const tiles = grid(g, g.content.y, Math.min(MAX_PORTS, ports), 2, portH);
  const portsBottom = tiles.length ? tiles.at(-1)!.y + portH : g.content.y;
  const priceY = portsBottom + sc(g, 10);
  const padsH = sc(g, 76);
  const pads: Rect = { x: g.content.x, y: contentBottom(g) - padsH, w: g.content.w, h: padsH };
  const qrTop = priceY + sc(g, 42);
  const qrCard: Rect = { x: g.content.x, y: qrTop, w: g.content.w, h: pads.y - g.gap - qrTop };
  const side = Math.min(qrCard.h - sc(g, 24), sc(g, 220));
  return { tiles, priceY, qrCard, qrBox: { x: qrCard.x + sc(g, 12), y: qrCard.y + (qrCard.h - side) / 2, w: side, h: side }, pads };
}

export function chargingHits(g: ScreenGeometry, c: PageContent<ChargingPage>): Hit[] {
  const L = chargingLayout(g, c.ports?.length ?? 0);
  const ports = (c.ports ?? []).slice(0, MAX_PORTS);
  return [...ports.map((p, i) => ({ id: `port:${p.id}`, rect: L.tiles[i]!, action: { type: 'select-port' as const, id: p.id } })), ...chromeHits(g)];
}

export function drawCharging(k: Kit, m: ChargingPage): void {
  const { ctx, g, tm } = k;
  drawChrome(k, m, 'charging');
  const L = chargingLayout(g, m.ports?.length ?? 0);
  if (!m.ports) {
    const r = { x: g.content.x, y: g.content.y + sc(g, 30), w: g.content.w, h: sc(g, 300) };
    fillRound(ctx, r, sc(g, 20), Palette.surface);
    icon(ctx, 'charging', r.x + r.w / 2, r.y + sc(g, 84), sc(g, 80), Palette.line);
    text(ctx, tm, t(m.lang, 'chargingUnavailable'), r.x, r.y + sc(g, 160), r.w, { size: typeSize(g, 'title'), color: Palette.text, weight: 'bold', align: 'center' });
    text(ctx, tm, t(m.lang, 'chargingUnavailableHint'), r.x, r.y + sc(g, 206), r.w, { size: typeSize(g, 'small'), color: Palette.textMuted, align: 'center' });
  } else {
    m.ports.slice(0, MAX_PORTS).forEach((p, i) => {
      const r = L.tiles[i]!;
      const sel = m.selected?.id === p.id;
      fillRound(ctx, r, sc(g, 16), sel ? Palette.surfaceRaised : Palette.surface);
      if (sel) strokeRound(ctx, r, sc(g, 16), Palette.accent, sc(g, 3));
      text(ctx, tm, p.label, r.x + sc(g, 16), r.y + sc(g, 12), r.w - sc(g, 32), { size: typeSize(g, 'body'), color: Palette.text, weight: 'bold' });
      badge(ctx, tm, p.statusText, r.x + sc(g, 16), r.y + sc(g, 50), { size: typeSize(g, 'small'), ...{ fg: TONE[p.tone].fg, bg: TONE[p.tone].bg } });
      text(ctx, tm, p.detail, r.x + sc(g, 16), r.y + r.h - sc(g, 38), r.w - sc(g, 32), { size: typeSize(g, 'small'), color: Palette.textMuted });
    });
    if (m.price) text(ctx, tm, m.price, g.content.x, L.priceY, g.content.w, { size: typeSize(g, 'small'), color: Palette.text });
    if (m.selected?.qr) {
      drawQrCard(k, L.qrCard, L.qrBox, m.selected.qr, t(m.lang, 'scanToCharge'), m.selected.hint);
    } else if (m.selected) {
      fillRound(ctx, L.qrCard, sc(g, 18), Palette.surface);
      textBlock(ctx, tm, m.selected.hint, { x: L.qrCard.x + sc(g, 24), y: L.qrCard.y + sc(g, 24), w: L.qrCard.w - sc(g, 48), h: L.qrCard.h - sc(g, 48) }, { size: typeSize(g, 'body'), color: Palette.text, align: 'center' });
    }
  }
  // Phone-charging pads.
  const pr = L.pads;
  fillRound(ctx, pr, sc(g, 16), Palette.surface);
  icon(ctx, 'phone', pr.x + sc(g, 28), pr.y + pr.h / 2, sc(g, 30), Palette.accent);
  const lx = pr.x + sc(g, 52);
  const lw = text(ctx, tm, t(m.lang, 'pads'), lx, pr.y + (pr.h - typeSize(g, 'body') * 1.3) / 2, sc(g, 130), { size: typeSize(g, 'body'), color: Palette.text, weight: 'bold' });
  let x = lx + lw + sc(g, 14);
  if (!m.pads) {
    badge(ctx, tm, t(m.lang, 'unavailable'), x, pr.y + (pr.h - sc(g, 31)) / 2, { size: typeSize(g, 'small'), fg: TONE.idle.fg, bg: TONE.idle.bg });
    return;
  }
  for (const pad of m.pads) {
    if (x > pr.x + pr.w - sc(g, 60)) break;
    x += badge(ctx, tm, pad.text, x, pr.y + (pr.h - sc(g, 31)) / 2, { size: typeSize(g, 'small'), fg: TONE[pad.tone].fg, bg: TONE[pad.tone].bg }) + sc(g, 8);
  }
}
