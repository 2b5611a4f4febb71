/**
 * `status` (docs/console.md §Commands): one screen — versions, uptime, each device's health, network,
 * MQTT, outbox depth, alarms. Guest level: it is what anyone at the cabinet may see.
 */
import { noticeOnScreen } from '../../../display/page-model.js';
import { networkInterfaces } from 'node:os';
import { statusStyle } from '../../../protocols/console/ansi.js';
import { formatFields, formatTable } from '../../../protocols/console/table.js';
import { formatCount, formatDuration, formatLocalTime } from '../../../protocols/console/units.js';
import { isoInZone } from '../../../protocols/time.js';
import type { Health } from '../../health.js';
import type { ConsoleEnv } from '../env.js';
import { redactUrl } from '../../config/secrets.js';
import { notConfigured } from './device-call.js';
import type { ConsoleModule } from './module.js';

/** Devices a pole may have; shown even when nothing reports on them. */
const EXPECTED: { name: string; device: string }[] = [
  { name: 'led', device: 'led' }, { name: 'touch', device: 'touch' }, { name: 'modem', device: 'modem' },
  { name: 'lamp', device: 'lamp' }, { name: 'charger', device: 'charger' }, { name: 'pads', device: 'pads' },
];

export function deviceHealth(env: ConsoleEnv): Record<string, Health> {
  const snap = env.health.snapshot();
  for (const { name, device } of EXPECTED) {
    if (snap[name]) continue;
    const why = device === 'led' ? 'no LED board configured (devices.led)' : notConfigured(env, device);
    snap[name] = { status: 'absent', detail: why ? `not fitted: ${why}` : 'configured, but its service is not in this build' };
  }
  return snap;
}

/** One line a technician can read for a health entry. */
export function healthLine(name: string, h: Health): string {
  if (h.detail) return h.detail;
  if (name === 'led' && h.caps && typeof h.caps === 'object') {
    const c = h.caps as { width: number; height: number; firmware: string };
    const presented = (h.presenter as { presented?: number } | undefined)?.presented ?? 0;
    return `board ready: ${c.width}x${c.height}, firmware ${c.firmware}, ${formatCount(presented, 'frame')} presented`;
  }
  if (name === 'mqtt') return `connected; ${formatCount(Number(h.outboxDepth ?? 0), 'record')} in the outbox`;
  if (name === 'console') return String(h.session ?? '');
  return typeof h.state === 'string' ? h.state : h.status;
}

function addresses(): { iface: string; address: string }[] {
  const out: { iface: string; address: string }[] = [];
  for (const [iface, list] of Object.entries(networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal && a.family === 'IPv4') out.push({ iface, address: a.address });
  }
  return out;
}

export const statusModule: ConsoleModule = {
  command: {
    name: 'status', level: 'guest', summary: 'one screen: versions, uptime, devices, network, MQTT, outbox, alarms',
    run(ctx) {
      const e = ctx.env;
      const now = e.now();
      const devices = deviceHealth(e);
      const alarms = Object.entries(devices).filter(([, h]) => h.status === 'down' || h.status === 'degraded').map(([name, h]) => ({ device: name, status: h.status, detail: healthLine(name, h) }));
      const net = addresses();
      const mqttConnected = e.mqtt.state === 'connected';
      const depth = e.outbox.depth();
      const active = e.notices.active(now);
      const page = e.page();
      const firmware = (devices.led?.caps as { firmware?: string } | undefined)?.firmware;
      const modem = devices.modem;
      const mqttLine = mqttConnected
        ? `connected to ${redactUrl(e.mqttUrl)} for ${formatDuration(now - e.mqtt.stats.connectedSince)}`
        : `${e.mqtt.state}: ${e.mqtt.stats.lastError ?? 'not connected yet'} (${redactUrl(e.mqttUrl)})`;
      const lines = [
        ...formatFields([
          ['Pole', `${e.poleId}${e.address ? ` · ${e.address}` : ''}`],
          ['Software', `smartpole ${e.softwareVersion} · Node ${process.versions.node}${firmware ? ` · LED firmware ${firmware}` : ''}`],
          ['Time', `${formatLocalTime(now, e.timeZone)} (${e.timeZone}) · up ${formatDuration(now - e.startedAt)}`],
          ['Network', `${net.length ? net.map((n) => `${n.iface} ${n.address}`).join(', ') : 'no IPv4 address'} · modem ${modem?.status === 'absent' ? 'not fitted' : `${modem?.state ?? modem?.status}`}`],
          ['MQTT', mqttLine, mqttConnected ? 'green' : 'red'],
          ['Outbox', `${formatCount(depth, 'record')} waiting${depth && !mqttConnected ? ' (kept on disk until MQTT is back; nothing is lost)' : ''}`],
          ['Notices', `${formatCount(active.length, 'active notice')}${noticeOnScreen(page) ? `; on screen: ${noticeOnScreen(page)!.title}` : ''}`],
          ['Alarms', alarms.length ? alarms.map((a) => `${a.device} ${a.status}`).join(', ') : 'none', alarms.length ? 'red' : 'green'],
        ], { paint: ctx.paint }),
        '',
        ...formatTable([{ title: 'DEVICE' }, { title: 'HEALTH', style: statusStyle }, { title: 'DETAIL', wrap: true }],
          Object.entries(devices).map(([name, h]) => [name, h.status, healthLine(name, h)]), { paint: ctx.paint }),
      ];
      return {
        result: {
          poleId: e.poleId, address: e.address, software: e.softwareVersion, node: process.versions.node,
          time: isoInZone(now, e.timeZone), timeZone: e.timeZone, uptimeSec: Math.round((now - e.startedAt) / 1000),
          network: net, mqtt: { state: e.mqtt.state, url: redactUrl(e.mqttUrl), connectedForSec: mqttConnected ? Math.round((now - e.mqtt.stats.connectedSince) / 1000) : null, lastError: e.mqtt.stats.lastError },
          outbox: { depth }, notices: { active: active.length, onScreen: noticeOnScreen(page)?.id ?? null },
          alarms, devices: Object.fromEntries(Object.entries(devices).map(([k, h]) => [k, { status: h.status, detail: healthLine(k, h) }])),
        },
        text: lines,
      };
    },
  },
};
