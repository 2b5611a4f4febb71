/** State badges with text beside the colour (docs/ops-console.md §Pages: colour is never the only cue). */
import { html, bi, type Html } from '../html.js';
import type { Liveness } from './fleet-store.js';

export function livenessBadge(l: Liveness): Html {
  return l === 'online' ? html`<span class="badge b-ok">${bi('在线', 'online')}</span>`
    : l === 'stale' ? html`<span class="badge b-stale">${bi('失联', 'stale')}</span>`
      : html`<span class="badge b-error">${bi('离线', 'offline')}</span>`;
}

const DEVICE_NAMES: Record<string, [string, string]> = {
  led: ['LED 屏', 'LED screen'], lamp: ['路灯', 'lamp'], charger: ['充电桩', 'charger'], modem: ['5G 模块', 'modem'], mqtt: ['MQTT', 'MQTT'],
  touch: ['触摸屏', 'touch'], pads: ['充电板', 'charge pads'], meter: ['电表', 'meter'], storage: ['存储', 'storage'], fieldbus: ['现场总线', 'field bus'],
};

export function deviceName(d: string): Html {
  const n = DEVICE_NAMES[d];
  return n ? bi(n[0], n[1]) : html`${d}`;
}

export function healthBadge(status: string): Html {
  return status === 'ok' ? html`<span class="badge b-ok">${bi('正常', 'ok')}</span>`
    : status === 'degraded' ? html`<span class="badge b-warn">${bi('降级', 'degraded')}</span>`
      : status === 'down' ? html`<span class="badge b-error">${bi('故障', 'down')}</span>`
        : html`<span class="badge b-dim">${status === 'absent' ? bi('未安装', 'absent') : status}</span>`;
}
