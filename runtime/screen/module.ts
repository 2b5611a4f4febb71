/**
 * The public screen area (docs/screen.md, docs/architecture.md §Flow 1, §Flow 4): the renderer,
 * the ScreenService (notice rotation, touch UI, page models, frames to the sink) and the touch
 * panel on its serial port. Owns the `touch` health entry, the `screen.*` commands and the
 * console's view of the touch panel. `refresh` is the handler for "what may show changed".
 */
import type { PageModel } from '../../display/page-model.js';
import { Renderer } from '../../display/renderer.js';
import { SerialLink } from '../../device/serial/serial-link.js';
import { TouchPanel } from '../../device/touch/touch-panel.js';
import { defaultCalibration, type Calibration } from '../../protocols/touch/calibration.js';
import type { Config } from '../config/schema.js';
import type { TouchConsolePort } from '../console/device-ports.js';
import type { CityDataModule } from '../data/module.js';
import type { Health } from '../health.js';
import type { ModuleBase } from '../module.js';
import type { NoticeStore } from '../notices/notice-store.js';
import type { Reporter } from '../uplink/reporter.js';
import { registerScreenCommands } from './commands.js';
import type { FieldStatusProvider } from './field-view.js';
import { ScreenService, type FrameSink } from './screen-service.js';
import { touchConsolePort } from './touch-console-port.js';
import { touchHealth } from './touch-health.js';

export interface ScreenModule {
  /** Emits `page` with every page model it presents. */
  readonly service: ScreenService;
  readonly renderer: Renderer;
  /** The touch panel; null when none is configured. */
  readonly touch: TouchPanel | null;
  /** The console's view of the touch panel (status, calibration); null without one. */
  readonly touchPort: TouchConsolePort | null;
  page(): PageModel | null;
  /** Handler: notices or data sets changed — re-select the playlist and redraw. */
  refresh(): void;
  start(): void;
  stop(): Promise<void>;
}

export interface ScreenDeps extends Omit<ModuleBase, 'binding'> {
  binding?: ModuleBase['binding'];
  notices: NoticeStore;
  data: Pick<CityDataModule, 'typed' | 'feedback' | 'categories'>;
  /** Where frames go (the LED module's sink). */
  sink: FrameSink;
  reporter: Reporter;
  /** Charging, pads and lamp as the screen shows them; null shows "unavailable". */
  fieldStatus: FieldStatusProvider | null;
  /** How often clock, rotation and idle countdown are checked (ScreenService default 500 ms). */
  tickMs?: number;
}

export function createScreen(config: Readonly<Config>, d: ScreenDeps): ScreenModule {
  const { logger: log } = d;
  const sc = config.screen;
  const loc = config.pole.location;
  const renderer = new Renderer(sc.width, sc.height, sc.pixelPitchMm);
  const screen = new ScreenService({
    store: d.notices, data: d.data.typed, feedback: d.data.feedback, feedbackCategories: d.data.categories, renderer, sink: d.sink, reporter: d.reporter, logger: log,
    timeZone: config.pole.timezone, language: config.pole.language, now: d.now, monotonic: d.monotonic,
    pole: { id: config.pole.id, address: loc.address, lat: loc.lat, lon: loc.lon },
    links: sc.links, elderServices: sc.elder.services, idleTimeoutSec: sc.idleTimeoutSec, idleWarningSec: sc.idleWarningSec,
    ...(d.tickMs !== undefined ? { tickMs: d.tickMs } : {}),
  });
  registerScreenCommands(d.commands, screen, renderer);
  if (d.fieldStatus) screen.setFieldStatus(d.fieldStatus);

  // Touch panel (eGalax serial): its events go straight to the screen.
  let touch: TouchPanel | null = null;
  const tc = config.devices.touch;
  if (tc?.enabled) {
    const serial = new SerialLink({ path: tc.path, baudRate: tc.baudRate, name: 'touch', logger: log, binding: d.binding });
    touch = new TouchPanel({
      serial, logger: log, width: sc.width, height: sc.height, debounceMs: tc.debounceMs,
      calibration: (tc.calibration as Calibration | undefined) ?? defaultCalibration(sc.width, sc.height),
      gestures: { pixelPitchMm: sc.pixelPitchMm },
    });
    const panel = touch;
    panel.on('touch', (e) => screen.touch(e));
    d.health.register('touch', () => touchHealth(panel));
  } else {
    d.health.register('touch', (): Health => ({ status: 'absent', detail: 'no touch panel configured' }));
  }

  return {
    service: screen, renderer, touch,
    touchPort: touch ? touchConsolePort(touch, screen, { width: sc.width, height: sc.height }) : null,
    page: () => screen.page,
    refresh: () => screen.refresh(),
    start() {
      touch?.serial.start();
      screen.start();
    },
    async stop() {
      screen.stop();
      touch?.close();
      await touch?.serial.stop();
    },
  };
}
