/** The simulator's JSON API; docs/simulator.md §HTTP API documents each route. */
import type { Pole } from '../../runtime/pole.js';
import type { SimInfo } from '../../ops/sim-discovery.js';
import type { EmbeddedBroker } from '../broker.js';
import type { SimLedBoard } from '../devices/led-board.js';
import type { SimTouchPanel } from '../devices/touch-panel.js';
import { parseTouch, pressPanel } from '../viewer/touch-input.js';
import type { SimDevice } from '../devices/sim-device.js';
import { HttpError } from './router.js';
import type { SimOnbonCard } from '../devices/onbon-card.js';
import { signPng } from '../devices/onbon-card-faults.js';
import type { SimHttpServer } from './server.js';

export interface ApiDeps {
  http: SimHttpServer;
  info: SimInfo;
  board: SimLedBoard;
  /** The Onbon notice sign's card, when fitted. */
  sign?: SimOnbonCard | null;
  touch: SimTouchPanel;
  devices: Map<string, SimDevice>;
  pole: Pole | null;
  broker: EmbeddedBroker | null;
  serial: 'pty' | 'in-process';
  /** The panel's resolution (--screen): where /api/touch may press. */
  width: number;
  height: number;
  /** Told of every fault injected through /api/faults (the web viewer's event log). */
  onFault?: (device: string, fault: string, args: Record<string, unknown>) => void;
}

/** What GET /api/devices answers; the web viewer's devices panel gets the same over its WebSocket. */
export function describeDevices(devices: Map<string, SimDevice>): unknown[] {
  return [...devices.values()].map((dev) => ({
    name: dev.name, kind: dev.kind,
    path: dev.pair?.hostPath ?? null, devicePath: dev.pair?.devicePath ?? null, plugged: dev.pair?.plugged ?? null,
    state: dev.state(),
    faults: Object.fromEntries(Object.entries(dev.faults).map(([k, f]) => [k, f.describe])),
  }));
}

export function registerApi(d: ApiDeps): void {
  const r = d.http.router;
  r.add('GET', '/api/sim', () => ({
    json: {
      poleId: d.info.poleId, mqttUrl: d.info.mqttUrl, httpUrl: d.info.httpUrl, topicPrefix: d.info.topicPrefix,
      keyFile: d.info.keyFile, dataDir: d.info.dataDir, ptyDir: d.info.ptyDir, serial: d.serial,
      embeddedBroker: d.broker ? { running: d.broker.running, port: d.broker.port } : null,
      runtime: d.pole ? 'in-process' : 'external', pid: d.info.pid, startedAt: d.info.startedAt,
    },
  }));
  r.add('GET', '/api/screen.png', () => ({ body: d.board.screenPng(), type: 'image/png' }));
  // The viewer asks once a second; the picture changes only when a page turns or an area is written.
  let signCache: { key: string; png: Buffer } | null = null;
  r.add('GET', '/api/sign.png', () => {
    if (!d.sign) throw new HttpError(404, 'SP_SIM_NO_DEVICE', 'no simulated Onbon sign (started with sign: false)');
    const b = d.sign.brightness;
    const level = b.mode === 'manual' ? b.level : 15;
    const shown = d.sign.shown();
    const key = `${level}:${Buffer.from(shown.pixels).toString('base64')}`;
    if (signCache?.key !== key) signCache = { key, png: signPng(shown, level) };
    return { body: signCache.png, type: 'image/png' };
  });
  r.add('GET', '/api/page', () => {
    if (!d.pole) throw new HttpError(409, 'SP_SIM_NO_RUNTIME', 'the runtime runs outside this simulator (--hardware-only)');
    return { json: d.pole.page() };
  });
  r.add('POST', '/api/touch', async (_req, body) => {
    const { action, x, y } = parseTouch(body as Record<string, unknown> | undefined, d.width, d.height);
    const r = await pressPanel(d.touch, d.devices.get('touch'), action, x, y);
    return { json: { ok: true, action: r.action, x, y, raw: r.raw, packets: r.packets } };
  });
  r.add('GET', '/api/health', () => {
    if (!d.pole) throw new HttpError(409, 'SP_SIM_NO_RUNTIME', 'the runtime runs outside this simulator (--hardware-only)');
    return { json: d.pole.health.snapshot() };
  });
  r.add('GET', '/api/devices', () => ({ json: describeDevices(d.devices) }));
  r.add('POST', '/api/faults', async (_req, body) => {
    const b = body as { device?: unknown; fault?: unknown; args?: unknown } | undefined;
    if (typeof b?.device !== 'string' || typeof b.fault !== 'string') throw new HttpError(400, 'SP_SIM_BAD_REQUEST', 'body must be {"device": "...", "fault": "...", "args": {...}}');
    const dev = d.devices.get(b.device);
    if (!dev) throw new HttpError(404, 'SP_SIM_NO_DEVICE', `no simulated device "${b.device}" (have: ${[...d.devices.keys()].join(', ')})`);
    const f = dev.faults[b.fault];
    if (!f) throw new HttpError(404, 'SP_SIM_NO_FAULT', `device "${b.device}" has no fault "${b.fault}" (has: ${Object.keys(dev.faults).join(', ')})`);
    const args = (b.args as Record<string, unknown>) ?? {};
    await f.run(args);
    d.onFault?.(b.device, b.fault, args);
    d.http.broadcast({ type: 'fault', device: b.device, fault: b.fault });
    return { json: { ok: true, device: b.device, fault: b.fault, state: dev.state() } };
  });
}
