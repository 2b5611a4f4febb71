/**
 * The runtime config the simulator gives its pole: a Wuhan Jiang'an pole wired to the simulated
 * devices' serial paths, the broker, and the development signing key.
 */
import { splitUrls } from '../runtime/uplink/broker-list.js';
import type { ConfigInput } from '../runtime/config/schema.js';
import type { SigningKey } from '../ops/keys.js';
import type { KeyPowersInput } from '../protocols/key-powers.js';
import type { Calibration } from '../protocols/touch/calibration.js';

/**
 * The simulated panel's calibration, as ts_calibrate computed it (5 points) for a touch glass
 * fitted slightly off: raw ≈ 200 + 32.5·x + 0.4·y, 300 − 0.3·x + 19.6·y. Not the identity, so the
 * simulator exercises the real calibration path (protocols/touch/calibration.test.ts has the vector).
 */
export const SIM_TOUCH_CALIBRATION: Calibration = [2016, -41, -390878, 30, 3343, -1009096, 65536];

/** The simulated glass's pointercal for a panel of another size: the same glass, scaled to its pixels. */
export function simTouchCalibration(width: number, height: number): Calibration {
  const [a0, a1, a2, a3, a4, a5, a6] = SIM_TOUCH_CALIBRATION;
  const sx = width / 480;
  const sy = height / 800;
  return [Math.round(a0 * sx), Math.round(a1 * sx), Math.round(a2 * sx), Math.round(a3 * sy), Math.round(a4 * sy), Math.round(a5 * sy), a6];
}

/**
 * The documented development PIN of the simulated pole's technician console (docs/console.md)
 * and its scrypt hash (fixed salt, so the sim config is reproducible). Never use it on a real pole.
 */
export const DEV_CONSOLE_PIN = '246810';
export const DEV_CONSOLE_PIN_HASH = 'scrypt$32768$8$1$c21hcnRwb2xlLWRldnBpbg==$5/T3+ZyQS8uB+c0qxBwDK4XBDt6TlvMmKzydXWkCpRE=';

/** Console settings a test may shorten (lockout and idle times in seconds). */
export type SimConsoleOverrides = Partial<Record<'idleLogoutSec' | 'lockoutBaseSec' | 'lockoutMaxSec' | 'maxPinAttempts', number>> & { color?: boolean };

export interface SimPoleConfigInput {
  poleId: string;
  mqttUrl: string;
  dataDir: string;
  devKey: SigningKey;
  /** Role keys with limited powers, and the root key's public half (simulator/role-keys.ts). */
  roleKeys?: { key: SigningKey; powers: KeyPowersInput }[];
  rootKey?: SigningKey;
  paths: { led: string; console?: string; modem?: string; touch?: string; fieldBus?: string; sign?: string | undefined };
  /** The simulated Onbon sign's card settings, when fitted. */
  sign?: { model: '5E2'; address: number; width: number; height: number; colours: 'red-green'; baudRate: 9600 };
  /** Data set files seeded when absent (the Wuhan sample). */
  seedDataDir?: string;
  /** Field-bus line speed (default 9600). */
  fieldBusBaud?: number;
  /** Panel resolution (default 480×800, portrait). */
  screen?: { width: number; height: number };
  linkRate: number;
  /** LED line duplex (default 'full') and, for 'half', the turnaround the board uses too. */
  ledDuplex?: 'full' | 'half';
  ledTurnaroundMs?: number;
  /** The simulated modem, when fitted: its power file and the time scale of its timing table. */
  modem?: { powerFile: string; powerScript: string; timeScale: number; timing?: Record<string, number>; /** `--netns`: the host data path over this interface. */ hostInterface?: string };
  logLevel: 'debug' | 'info' | 'warn';
  console?: SimConsoleOverrides;
}

export function simPoleConfig(i: SimPoleConfigInput): ConfigInput {
  return {
    pole: {
      id: i.poleId,
      groups: ['district/jiangan', 'street/aomen-rd'],
      location: { lat: 30.6043, lon: 114.3012, address: '武汉市江岸区澳门路', areaCode: '420102' },
      timezone: 'Asia/Shanghai',
      language: 'zh',
    },
    log: { level: i.logLevel },
    storage: { dataDir: i.dataDir },
    // Several brokers (`--mqtt-url a,b,c`, a cluster's nodes): failover in that order (docs/fleet.md).
    mqtt: { ...(i.mqttUrl.includes(',') ? { urls: splitUrls(i.mqttUrl) } : { url: i.mqttUrl }), topicPrefix: 'smartpole/v1', keepaliveSec: 15 },
    trust: {
      keys: [
        { kid: i.devKey.kid, issuer: i.devKey.issuer, publicKey: i.devKey.publicKey },
        ...(i.roleKeys ?? []).map((r) => ({ kid: r.key.kid, issuer: r.key.issuer, publicKey: r.key.publicKey, powers: r.powers })),
      ],
      ...(i.rootKey ? { root: { kid: i.rootKey.kid, publicKey: i.rootKey.publicKey } } : {}),
      clockSkewSec: 120,
    },
    screen: { width: i.screen?.width ?? 480, height: i.screen?.height ?? 800, pixelPitchMm: 0.5, idleTimeoutSec: 45, idleWarningSec: 20, ...(i.seedDataDir ? { seedDataDir: i.seedDataDir } : {}) },
    devices: {
      led: {
        enabled: true, path: i.paths.led, baudRate: 1_000_000, linkRate: i.linkRate, statusIntervalMs: 2000,
        ...(i.ledDuplex === 'half' ? { duplex: 'half' as const, turnaroundMs: i.ledTurnaroundMs ?? 2 } : {}),
      },
      ...(i.paths.sign && i.sign ? {
        sign: {
          enabled: true, protocol: 'onbon' as const, path: i.paths.sign, model: i.sign.model, address: i.sign.address, width: i.sign.width, height: i.sign.height,
          colours: i.sign.colours, baudRate: i.sign.baudRate, fontPx: 16 as const,
        },
      } : {}),
      ...(i.paths.console ? { console: { enabled: true, path: i.paths.console, baudRate: 115200, pinHash: DEV_CONSOLE_PIN_HASH, ...i.console } } : {}),
      ...(i.modem && i.paths.modem ? {
        modem: {
          enabled: true, path: i.paths.modem, baudRate: 115200, apn: 'cmnet', simPin: '1234',
          // The same hook a real pole runs, pointed at the simulated modem's power file instead of a GPIO.
          powerCycleCommand: `sh '${i.modem.powerScript}' '${i.modem.powerFile}' ${Math.max(0.1, 3 * i.modem.timeScale).toFixed(2)}`,
          // DHCP on the veth runs in real time, not at the modem's time scale: give it real seconds.
          timing: { scale: i.modem.timeScale, floorMs: 1000, ...(i.modem.hostInterface ? { hostLinkTimeoutMs: 10_000 } : {}), ...i.modem.timing },
          ...(i.modem.hostInterface ? { host: { interface: i.modem.hostInterface, usbnet: 'ecm' as const } } : {}),
        },
      } : {}),
      ...(i.paths.touch ? { touch: { enabled: true, path: i.paths.touch, baudRate: 9600, calibration: [...simTouchCalibration(i.screen?.width ?? 480, i.screen?.height ?? 800)], debounceMs: 15 } } : {}),
      ...(i.paths.fieldBus ? {
        fieldBus: {
          enabled: true, path: i.paths.fieldBus, baudRate: i.fieldBusBaud ?? 9600, parity: 'none' as const,
          units: {
            evCharger: { address: 1, pollMs: 1000 }, meter: { address: 2, pollMs: 1000 },
            pads: { address: 3, pollMs: 2000, count: 2 }, lamp: { address: 4, pollMs: 2000 },
          },
        },
      } : {}),
    },
    charging: { connectorId: 1, maxCurrentA: 16, startUrl: 'https://pay.example.invalid/ev?pole={pole}&connector={connector}&car={plugIn}', tariff: { currency: 'CNY', energyPerKwh: 0.6, servicePerKwh: 0.8 }, meterValueIntervalSec: 10 },
    lamp: simLampConfig(),
  };
}

/**
 * A Wuhan street's lamp programme (docs/lamp-schedule.md): on at sunset−10 min, 60 % from 23:00,
 * the "睡眠" (sleep) minimum from 01:00 to 04:30, full again before the morning rush, off at
 * sunrise+10; later dimming on Friday and Saturday nights; no dimming over the Spring Festival.
 */
export function simLampConfig(): NonNullable<ConfigInput['lamp']> {
  return {
    ratedPowerW: 120,
    defaultLevel: 100,
    rampSec: 2,
    failSafe: { systemFailureLevel: 100, powerOnLevel: 100, commTimeoutSec: 300 },
    photocell: { enabled: true, onLux: 30, offLux: 60, onDelaySec: 60, offDelaySec: 120, level: 100 },
    schedule: {
      dayOffset: 12,
      defaultProgram: 'standard',
      rules: [
        { name: 'spring-festival', from: '2027-02-05', to: '2027-02-11', program: 'festival' },
        { name: 'weekend-nights', weekdays: ['fri', 'sat'], program: 'weekend' },
      ],
      programs: {
        standard: {
          switchPoints: [
            { astro: 'sunset', offsetMin: -10, level: 100, rampSec: 30 },
            { time: '23:00', level: 60, rampSec: 300 },
            { time: '05:30', level: 100, rampSec: 60 },
            { astro: 'sunrise', offsetMin: 10, level: 0, rampSec: 30 },
          ],
          dynamic: [{ from: { time: '01:00' }, to: { time: '04:30' }, op: 'min', value: 40 }],
        },
        weekend: {
          switchPoints: [
            { astro: 'sunset', offsetMin: -10, level: 100, rampSec: 30 },
            { time: '00:30', level: 60, rampSec: 300 },
            { astro: 'sunrise', offsetMin: 10, level: 0, rampSec: 30 },
          ],
        },
        festival: { switchPoints: [{ astro: 'civilDusk', offsetMin: -30, level: 100 }, { astro: 'sunrise', offsetMin: 10, level: 0 }] },
      },
    },
  };
}
