/**
 * Display adapters (docs/protocols/onbon.md §11): each screen entry in the config names the
 * protocol its controller speaks — `devices.led.protocol: smartpole | onbon`, and the optional
 * second screen `devices.sign` (an Onbon notice sign beside the main screen). The smartpole link
 * is the LED module (runtime/led/module.ts); this module builds the Onbon screens, registers their
 * health and their `sign.*` commands (MQTT and console), and starts and stops them together.
 * `refresh` is the handler for "notices changed".
 */
import type { BindingInterface } from '@serialport/bindings-interface';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config } from './config/schema.js';
import type { Health, HealthRegistry } from './health.js';
import type { CommandRegistry } from './commands/registry.js';
import { commandError } from './commands/errors.js';
import type { NoticeStore } from './notices/notice-store.js';
import type { Reporter } from './uplink/reporter.js';
import type { BrightnessService, BrightnessState } from './screen/brightness.js';
import { BrightnessArgs } from './screen/brightness-commands.js';
import { OnbonDisplay } from './sign/onbon-display.js';
import type { LuxSource } from './sign/sign-brightness.js';

export type ScreenName = 'led' | 'sign';
export type DisplayProtocol = 'smartpole' | 'onbon';

/** What the runtime asks of any screen, whatever its controller speaks. */
export interface DisplayAdapter {
  readonly screen: ScreenName;
  readonly protocol: DisplayProtocol;
  readonly brightness: BrightnessService;
  health(): Health;
  status(): Record<string, unknown>;
  setTestPattern(on: boolean): Record<string, unknown>;
  /** The content changed (a notice arrived or went). */
  refresh(): void;
  start(): void;
  stop(): Promise<void>;
}

export interface SignDisplays {
  readonly list: readonly DisplayAdapter[];
  get(screen: ScreenName): DisplayAdapter | undefined;
  /** Handler: notices arrived or went — every sign re-selects what it shows. */
  refresh(): void;
  start(): void;
  stop(): Promise<void>;
}

export interface SignDisplayDeps {
  logger: Logger;
  binding?: BindingInterface | undefined;
  notices: NoticeStore;
  commands: CommandRegistry;
  health: HealthRegistry;
  reporter: Reporter;
  /** Ambient light for the brightness curve (the LED board's STATUS), when a board is fitted. */
  lux: LuxSource | null;
  now: () => number;
}

const Screen = z.enum(['led', 'sign']).optional();

/** Builds every Onbon screen the config names; none when there is none. */
export function createSignDisplays(config: Readonly<Config>, d: SignDisplayDeps): SignDisplays {
  const entries: [ScreenName, Config['devices']['sign']][] = [];
  const led = config.devices.led;
  if (led?.enabled && led.protocol === 'onbon') entries.push(['led', led]);
  if (config.devices.sign?.enabled) entries.push(['sign', config.devices.sign]);
  const list: DisplayAdapter[] = entries.map(([screen, cfg]) => new OnbonDisplay(screen, {
    screen, config: cfg!, notices: d.notices, timeZone: config.pole.timezone, language: config.pole.language,
    idleText: config.pole.location.address, logger: d.logger, binding: d.binding, lux: d.lux, reporter: d.reporter, now: d.now,
  }));
  for (const a of list) d.health.register(a.screen, () => a.health());
  if (!config.devices.sign) d.health.register('sign', (): Health => ({ status: 'absent', detail: 'no notice sign configured (devices.sign)' }));

  const pick = (screen: ScreenName | undefined): DisplayAdapter => {
    const a = screen ? list.find((x) => x.screen === screen) : list[0];
    if (!a) throw commandError('SP_CMD_NOT_FITTED', { device: 'sign' }, { message: `no Onbon sign${screen ? ` on devices.${screen}` : ''} on this pole` });
    return a;
  };
  d.commands.register({
    name: 'sign.status', description: 'the Onbon sign: card state, areas shown and pending, brightness, counters ({"screen": "led"|"sign"})',
    args: z.strictObject({ screen: Screen }), run: (a) => pick(a.screen).status(),
  });
  d.commands.register({
    name: 'sign.test', description: 'the sign\'s test pattern (each colour, then a checkerboard): {"on": true|false}',
    args: z.strictObject({ on: z.boolean(), screen: Screen }), run: (a) => pick(a.screen).setTestPattern(a.on),
  });
  d.commands.register({
    name: 'sign.brightness', description: 'sign brightness: {"percent": 0-100, "durationSec": N} overrides, {"auto": true} resumes, {} reports',
    args: z.intersection(BrightnessArgs, z.object({ screen: Screen })),
    run: (a): BrightnessState => {
      const b = pick(a.screen).brightness;
      if (a.auto) return b.setOverride(null);
      if (a.percent !== undefined) return b.setOverride(a.percent, a.durationSec);
      return b.state();
    },
  });

  return {
    list,
    get: (screen) => list.find((a) => a.screen === screen),
    refresh: () => { for (const a of list) a.refresh(); },
    start: () => { for (const a of list) a.start(); },
    stop: async () => { for (const a of list) await a.stop(); },
  };
}
