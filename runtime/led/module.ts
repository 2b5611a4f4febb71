/**
 * The LED board area (docs/protocols/led-link.md): the serial port, LED link v2, the presenter
 * that turns frames into dirty-rect transfers, the brightness curve, fault reports to the city.
 * Owns the `led` health entry, `screen.brightness` and `screen.snapshot`, and the console's view
 * of the board. Without a board (or with an Onbon card, runtime/display-adapter.ts) frames go to
 * a sink that drops them, so the rest of the pole still runs.
 */
import { EventEmitter } from 'node:events';
import type { Frame } from '../../display/frame.js';
import { LedLink } from '../../device/led/led-link.js';
import { LedPresenter } from '../../device/led/led-presenter.js';
import type { NoticeRef } from '../notices/notice-ref.js';
import { SerialLink } from '../../device/serial/serial-link.js';
import { registerSnapshotCommand } from '../commands/screen-snapshot.js';
import type { Config } from '../config/schema.js';
import type { LedConsolePort } from '../console/device-ports.js';
import type { Health } from '../health.js';
import type { ModuleBase } from '../module.js';
import { BrightnessService } from '../screen/brightness.js';
import { registerBrightnessCommands } from '../screen/brightness-commands.js';
import type { FrameSink } from '../screen/screen-service.js';
import type { LuxSource } from '../sign/sign-brightness.js';
import type { Reporter } from '../uplink/reporter.js';
import { ledConsolePort } from './console-port.js';
import { reportLedFaults } from './faults.js';
import { ledHealth } from './health.js';

/** Discards frames when no LED board is fitted, so the rest of the pole still runs. */
class NullSink extends EventEmitter<{ presented: [{ tag?: NoticeRef | undefined }] }> implements FrameSink {
  show(_frame: Frame, tag?: NoticeRef): void {
    this.emit('presented', { tag });
  }
}

export interface LedBoard {
  serial: SerialLink;
  link: LedLink;
  presenter: LedPresenter<NoticeRef>;
  brightness: BrightnessService;
}

export interface LedModule {
  /** Where the screen's frames go; emits `presented` with the frame's tag once the board shows it. */
  readonly sink: FrameSink;
  /** The board's parts; null when no smartpole board is fitted. The presenter emits `presented` with transfer figures. */
  readonly board: LedBoard | null;
  /** The console's view (selftest, test patterns, brightness); null without a board. */
  readonly consolePort: LedConsolePort | null;
  /** Ambient light from the board's STATUS (the signs' brightness curve); null without a board. */
  readonly lux: LuxSource | null;
  start(): void;
  stop(): Promise<void>;
}

export interface LedDeps extends Omit<ModuleBase, 'monotonic'> {
  reporter: Reporter;
}

export function createLed(config: Readonly<Config>, d: LedDeps): LedModule {
  const cfg = config.devices.led;
  // Base64 grows 4/3; leave room for the response's other fields.
  const maxPngBytes = Math.floor((config.uplink.maxResponseBytes - 2048) * 3 / 4);
  if (!(cfg?.enabled && cfg.protocol === 'smartpole')) {
    d.health.register('led', (): Health => ({ status: 'absent', detail: 'no LED board configured' }));
    registerSnapshotCommand(d.commands, { shown: () => undefined, maxPngBytes });
    registerBrightnessCommands(d.commands, null);
    return { sink: new NullSink(), board: null, consolePort: null, lux: null, start: () => {}, stop: async () => {} };
  }
  const log = d.logger;
  const serial = new SerialLink({ path: cfg.path, baudRate: cfg.baudRate, name: 'led', logger: log, binding: d.binding });
  const link = new LedLink({ serial, logger: log, linkRate: cfg.linkRate, fec: cfg.fec, statusIntervalMs: cfg.statusIntervalMs, ackMarginMs: cfg.ackMarginMs, duplex: cfg.duplex, turnaroundMs: cfg.turnaroundMs });
  const presenter = new LedPresenter<NoticeRef>(link, log);
  const brightness = new BrightnessService({ link, config: cfg.brightness, timeZone: config.pole.timezone, logger: log, now: d.now });
  reportLedFaults(link, d.reporter, log);
  d.health.register('led', () => ledHealth(serial, link, presenter, brightness));
  registerSnapshotCommand(d.commands, { shown: () => presenter.shown, maxPngBytes });
  registerBrightnessCommands(d.commands, brightness);
  return {
    sink: presenter, board: { serial, link, presenter, brightness },
    consolePort: ledConsolePort(serial, link, presenter, brightness), lux: link,
    start() {
      serial.start();
      brightness.start();
    },
    async stop() {
      brightness.stop();
      link.close();
      await serial.stop();
    },
  };
}
