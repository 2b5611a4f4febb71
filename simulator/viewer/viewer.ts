/**
 * The web viewer's server side (docs/simulator.md §Web viewer): on the sim's HTTP server
 * and its `/api/ws` WebSocket it adds the live screen, touch input, the devices panel's status
 * feed, the event log and the ops routes. The page itself is static (simulator/web/).
 */
import type { WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { Pole } from '../../runtime/pole.js';
import type { SimInfo } from '../../ops/sim-discovery.js';
import type { SimLedBoard } from '../devices/led-board.js';
import type { SimTouchPanel } from '../devices/touch-panel.js';
import type { SimDevice } from '../devices/sim-device.js';
import type { EmbeddedBroker } from '../broker.js';
import { HttpError } from '../http/router.js';
import type { SimHttpServer } from '../http/server.js';
import { describeDevices } from '../http/api.js';
import { ScreenStream } from './screen-stream.js';
import { EventLog, type LogFilter } from './event-log.js';
import { UplinkMonitor } from './uplink-monitor.js';
import { registerOpsRoutes } from './ops-bridge.js';
import { parseTouch, pressPanel } from './touch-input.js';

export interface ViewerDeps {
  http: SimHttpServer;
  info: SimInfo;
  board: SimLedBoard;
  touch: SimTouchPanel;
  devices: Map<string, SimDevice>;
  /** The runtime now (it changes across a console `reboot`), or null with --hardware-only. */
  pole: () => Pole | null;
  broker: EmbeddedBroker | null;
  capDir: string;
  logger: Logger;
  width: number;
  height: number;
}

export interface Viewer {
  readonly log: EventLog;
  readonly screen: ScreenStream;
  /** Call for each fault injected (ApiDeps.onFault). */
  faultInjected(device: string, fault: string, args: Record<string, unknown>): void;
  stop(): Promise<void>;
}

const STATUS_MS = 1000;
/** How many log entries a viewer gets when it connects. */
const LOG_BACKFILL = 300;

export function startViewer(d: ViewerDeps): Viewer {
  const logger = d.logger.child({ service: 'sim-viewer' });
  const log = new EventLog();
  const screen = new ScreenStream({
    picture: () => d.board.panel.panelImage(),
    frameId: () => d.board.panel.lastFrameId,
    on: (e, cb) => d.board.on(e, cb),
    off: (e, cb) => d.board.off(e, cb),
  }, d.width, d.height);
  const monitor = new UplinkMonitor({ mqttUrl: d.info.mqttUrl, prefix: d.info.topicPrefix, poleId: d.info.poleId, log, logger });
  monitor.start();
  registerOpsRoutes(d.http.router, { info: d.info, capDir: d.capDir, log });

  d.http.router.add('GET', '/api/events', (_req, _body, url) => {
    const f: LogFilter = {};
    const kinds = url.searchParams.get('kind');
    if (kinds) f.kinds = kinds.split(',');
    const text = url.searchParams.get('q');
    if (text) f.text = text;
    const after = url.searchParams.get('after');
    if (after) f.afterSeq = Number(after);
    const limit = url.searchParams.get('limit');
    f.limit = limit ? Math.max(1, Math.min(log.capacity, Number(limit) || log.capacity)) : log.capacity;
    return { json: log.entries(f) };
  });

  const status = () => {
    const pole = d.pole();
    return {
      type: 'status',
      at: Date.now(),
      devices: describeDevices(d.devices),
      health: pole ? pole.health.snapshot() : monitor.birthHealth,
      page: pole?.page()?.page ?? null,
      viewer: { ...screen.stats, viewers: screen.viewerCount, opsClient: monitor.connected, uplinkMessages: monitor.received },
    };
  };
  const sendStatus = () => { if (screen.viewerCount) d.http.broadcast(status()); };
  const statusTimer = setInterval(sendStatus, STATUS_MS);
  statusTimer.unref();
  const unsubscribe = log.onEntry((entry) => d.http.broadcast({ type: 'log', entry }));

  d.http.onConnection((ws: WebSocket) => {
    ws.send(JSON.stringify({
      type: 'hello', session: `${d.info.pid}@${d.info.startedAt}`, poleId: d.info.poleId, width: d.width, height: d.height, topicPrefix: d.info.topicPrefix,
      embeddedBroker: d.broker !== null, runtime: d.pole() ? 'in-process' : 'external', log: log.entries({ limit: LOG_BACKFILL }),
    }));
    ws.send(JSON.stringify(status()));
    screen.add(ws);
    // Touches run one at a time in arrival order: a move never overtakes its down.
    let queue = Promise.resolve();
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let m: { type?: unknown; seq?: unknown; x?: unknown; y?: unknown; action?: unknown };
      try { m = JSON.parse(data.toString()) as typeof m; } catch { return; }
      if (m?.type !== 'touch') return;
      queue = queue.then(async () => {
        try {
          const t = parseTouch(m, d.width, d.height);
          const r = await pressPanel(d.touch, d.devices.get('touch'), t.action, t.x, t.y);
          ws.send(JSON.stringify({ type: 'touch', seq: m.seq, ok: true, action: r.action, x: t.x, y: t.y, raw: r.raw }));
        } catch (e) {
          const code = e instanceof HttpError ? e.code : 'SP_HTTP_INTERNAL';
          ws.send(JSON.stringify({ type: 'touch', seq: m.seq, ok: false, error: { code, message: (e as Error).message } }));
        }
      });
    });
  });

  return {
    log,
    screen,
    faultInjected(device, fault, args) {
      log.add('sim', 'fault', `${device}: ${fault}${Object.keys(args).length ? ` ${JSON.stringify(args)}` : ''}`, { device, fault, args }, 'warn');
      sendStatus();
    },
    async stop() {
      clearInterval(statusTimer);
      unsubscribe();
      screen.stop();
      await monitor.stop();
    },
  };
}
