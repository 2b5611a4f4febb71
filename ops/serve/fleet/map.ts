/**
 * The fleet map, drawn locally as SVG from the poles' coordinates (no online tiles; docs/ops-console.md
 * §Fleet): an equirectangular projection scaled by cos(latitude), fitted to the poles with a margin,
 * a scale bar, and each pole a link to its page whose shape says its state (circle online, triangle
 * stale, square offline) so colour is not the only cue.
 */
import { html, raw, type Html } from '../html.js';
import type { PoleRow } from './fleet-store.js';

const W = 720;
const H = 440;
const PAD = 36;

export function fleetMap(poles: readonly PoleRow[]): Html {
  const placed = poles.filter((p) => p.lat !== null && p.lon !== null);
  if (!placed.length) return html`<p class="muted">${'没有坐标的灯杆无法上图。'} <span lang="en">No pole has coordinates yet (they come with its birth: config pole.location).</span></p>`;
  const lat0 = placed.reduce((a, p) => a + p.lat!, 0) / placed.length;
  const k = Math.cos((lat0 * Math.PI) / 180);
  const xs = placed.map((p) => p.lon! * k);
  const ys = placed.map((p) => p.lat!);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const span = Math.max(maxX - minX, maxY - minY, 0.002); // at least ~200 m across
  const scale = Math.min((W - 2 * PAD) / Math.max(maxX - minX, span * 0.3), (H - 2 * PAD) / Math.max(maxY - minY, span * 0.3));
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const px = (p: PoleRow) => W / 2 + (p.lon! * k - cx) * scale;
  const py = (p: PoleRow) => H / 2 - (p.lat! - cy) * scale;
  // Scale bar: a round distance near a fifth of the width. One degree of latitude ≈ 111.32 km.
  const metresPerPx = 111_320 / scale;
  const target = (W / 5) * metresPerPx;
  const nice = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000].find((m) => m >= target * 0.5) ?? 50_000;
  const barPx = nice / metresPerPx;
  const label = nice >= 1000 ? `${nice / 1000} km` : `${nice} m`;
  const showLabels = placed.length <= 40;
  const marks = placed.map((p) => {
    const x = px(p).toFixed(1);
    const y = py(p).toFixed(1);
    const state = p.liveness === 'online' ? '在线 online' : p.liveness === 'stale' ? '失联 stale' : '离线 offline';
    const shape = p.liveness === 'online' ? raw(`<circle class="pole online" cx="${x}" cy="${y}" r="7"/>`)
      : p.liveness === 'stale' ? raw(`<path class="pole stale" d="M${x} ${(+y - 8).toFixed(1)} l7 13 h-14 z"/>`)
        : raw(`<rect class="pole offline" x="${(+x - 6).toFixed(1)}" y="${(+y - 6).toFixed(1)}" width="12" height="12"/>`);
    const alarm = p.alarms.length ? raw(`<circle cx="${(+x + 8).toFixed(1)}" cy="${(+y - 8).toFixed(1)}" r="4" fill="#b02121"/>`) : '';
    return html`<a href="/poles/${encodeURIComponent(p.poleId)}" aria-label="${p.poleId} ${state}${p.alarms.length ? ' 告警 alarm' : ''}"><title>${p.poleId} · ${state}${p.address ? ` · ${p.address}` : ''}</title>${shape}${alarm}${showLabels ? html`<text x="${(+x + 10).toFixed(1)}" y="${(+y + 4).toFixed(1)}">${p.poleId}</text>` : ''}</a>`;
  });
  return html`<svg class="map" id="fleet-map" viewBox="0 0 ${W} ${H}" role="group" aria-label="灯杆地图 Map of the poles (${placed.length})">
    <rect x="0" y="0" width="${W}" height="${H}" fill="#e9eef3"/>
    ${marks}
    <g transform="translate(${PAD} ${H - 16})"><rect x="0" y="-4" width="${barPx.toFixed(1)}" height="4" fill="#14202e"/><text x="0" y="-8">${label}</text></g>
    <text x="${W - 8}" y="16" text-anchor="end">N ↑</text>
  </svg>`;
}
