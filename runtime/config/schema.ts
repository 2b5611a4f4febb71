/**
 * The pole's configuration: one file, parsed by zod once at start and frozen (docs/configuration.md).
 * Each device has its own section; a section may be absent or `enabled: false` when the device is
 * not fitted. Paths of bad fields are reported by load.ts.
 */
import { z } from 'zod';
import { KeyPowers } from '../../protocols/key-powers.js';
import { ChargingSection, FieldBusSection, LampSection } from './fieldbus-schema.js';
import { parsePinHash } from '../../protocols/console/pin-hash.js';

const PoleId = z.string().regex(/^[A-Z0-9][A-Z0-9-]{2,31}$/, 'upper-case letters, digits and "-", 3–32 chars (e.g. WH-JA-0001)');
const GroupName = z.string().regex(/^[a-z0-9-]+(\/[a-z0-9-]+)*$/, 'lower-case path such as district/jiangan');
const SerialPath = z.string().min(1);

export const PoleSection = z.strictObject({
  id: PoleId,
  groups: z.array(GroupName).max(32).default([]),
  /** Where the pole stands: used for distances, sunrise/sunset, CAP area matching. */
  location: z.strictObject({
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
    address: z.string().max(200).default(''),
    /** GB/T 2260 administrative area code (e.g. 420102 江岸区); used to match CAP alerts. */
    areaCode: z.string().regex(/^\d{6}$/).optional(),
  }),
  timezone: z.string().default('Asia/Shanghai'),
  /** Language the screen starts in and the CAP <info> block it prefers. */
  language: z.enum(['zh', 'en']).default('zh'),
  /** In test mode, CAP Test/Exercise messages are shown. */
  testMode: z.boolean().default(false),
});

export const LogSection = z.strictObject({
  level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});

export const StorageSection = z.strictObject({
  /** Directory for the SQLite database, snapshots and keys. Relative paths are resolved from the config file. */
  dataDir: z.string().default('./data'),
  /** Free space in the data directory below which storage health is degraded (docs/security.md §Storage). */
  warnFreeMB: z.number().int().min(1).default(256),
  /** Free space below which storage health is down: writes are about to fail. */
  downFreeMB: z.number().int().min(1).default(32),
});

const BrokerUrl = z.string().regex(/^(mqtts?|wss?|tcp|ssl):\/\/[^,\s]+$/, 'mqtt://host:port or mqtts://host:port');
const MqttTls = z.strictObject({
  caFile: z.string().optional(),
  certFile: z.string().optional(),
  keyFile: z.string().optional(),
  rejectUnauthorized: z.boolean().default(true),
});
/**
 * A topic level the pole builds from config: safe on every broker we support, including NATS 2.9's
 * MQTT gateway, which refuses `.`, spaces and the NATS wildcards `*` `>` (docs/fleet.md §Topics).
 */
const TopicPrefix = z.string().regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'levels of A–Z a–z 0–9 _ - separated by "/" (no ".", spaces or wildcards: docs/fleet.md §Topics)');

export const MqttSection = z.strictObject({
  /** One broker. Several: `urls` (docs/fleet.md). */
  url: BrokerUrl.optional(),
  /** Brokers (cluster nodes) to fail over between; each may carry its own TLS files. */
  urls: z.array(z.union([BrokerUrl, z.strictObject({ url: BrokerUrl, tls: MqttTls.optional() })])).min(1).max(16).optional(),
  /** `ordered`: always from the first; `shuffled`: an order of its own per pole (seeded by the pole id) so a fleet spreads itself. */
  urlOrder: z.enum(['ordered', 'shuffled']).default('ordered'),
  topicPrefix: TopicPrefix.default('smartpole/v1'),
  /** Defaults to the pole id. */
  clientId: z.string().optional(),
  username: z.string().optional(),
  /** Secret: never logged; `config show` redacts it. */
  password: z.string().optional(),
  keepaliveSec: z.number().int().min(5).max(1200).default(30),
  protocolVersion: z.union([z.literal(4), z.literal(5)]).default(4),
  /**
   * Jittered exponential reconnect (docs/mqtt-api.md §Uplink): initialSec doubling up to maxSec, reset
   * after a stable minute.
   */
  reconnect: z.strictObject({
    initialSec: z.number().min(0.1).max(60).default(1),
    maxSec: z.number().min(1).max(3600).default(120),
  }).default({ initialSec: 1, maxSec: 120 }),
  /**
   * QoS of the pole's subscriptions. 1 (default): the broker queues in-flight messages for it. 0: no
   * broker-side queue — nothing is lost, since notices, data sets and replies are retained and
   * commands are re-sent until answered; on a NATS cluster a QoS 1 subscription is a JetStream
   * consumer that cannot be made for many seconds after a node dies (docs/fleet.md §Failover).
   */
  subscribeQos: z.union([z.literal(0), z.literal(1)]).default(1),
  /** Retained `poles/{id}/heartbeat` every so often while connected (liveness that does not trust wills); 0 = never. */
  heartbeatSec: z.number().int().min(0).max(3600).default(60),
  tls: MqttTls.optional(),
}).refine((m) => m.url !== undefined || m.urls !== undefined, { message: 'give mqtt.url or mqtt.urls', path: ['url'] });

export const IssuerKey = z.strictObject({
  kid: z.string().min(1).max(64),
  issuer: z.string().min(1).max(64),
  /** Ed25519 public key: PEM (SPKI) or base64 of the raw 32 bytes. */
  publicKey: z.string().min(40),
  /** What it may sign (docs/security.md §Key powers); absent: everything (development keys only). */
  powers: KeyPowers.optional(),
});

/** The offline root key that signs the fleet trust list (docs/security.md §Trust list). */
export const RootKey = z.strictObject({
  kid: z.string().min(1).max(64),
  publicKey: z.string().min(40),
});

export const TrustSection = z.strictObject({
  keys: z.array(IssuerKey).min(1),
  /** The root key; without it a trust list on `trust/list` is refused (SP_TRUST_NO_ROOT). */
  root: RootKey.optional(),
  /** Key ids that must no longer be accepted. */
  revokedKids: z.array(z.string()).default([]),
  /** Allowed difference between the issuer's clock and the pole's. */
  clockSkewSec: z.number().int().min(0).max(3600).default(120),
});

/** The durable uplink (docs/mqtt-api.md §Uplink). */
export const UplinkSection = z.strictObject({
  /** Outbox bound in records; past it the lowest-value records go first (never citizens' messages or charging records). */
  outboxMaxRows: z.number().int().min(100).max(10_000_000).default(100_000),
  /** Outbox bound in payload bytes. */
  outboxMaxBytes: z.number().int().min(64 * 1024).max(4 * 1024 ** 3).default(64 * 1024 * 1024),
  /** Events per code per minute before they are suppressed (and counted). */
  eventsPerMinute: z.number().int().min(1).max(10_000).default(10),
  /** How often the pole sends its own `uplink` telemetry (outbox and MQTT figures); 0 = never. */
  telemetryIntervalSec: z.number().int().min(0).max(86_400).default(300),
  /** Largest command response (bytes of JSON, e.g. screen.snapshot's PNG in base64). */
  maxResponseBytes: z.number().int().min(4096).max(4 * 1024 * 1024).default(512 * 1024),
});

export const ScreenSection = z.strictObject({
  width: z.number().int().min(64).max(4096).default(480),
  height: z.number().int().min(64).max(4096).default(800),
  /** Physical pixel pitch, for touch-target sizes (9 mm minimum) and the legibility floor (docs/screen.md). */
  pixelPitchMm: z.number().positive().max(20).default(0.5),
  /** Seconds without touch before the UI returns to the attract loop. */
  idleTimeoutSec: z.number().int().min(10).max(600).default(45),
  /** Seconds of visible countdown before that reset (WCAG 2.2.1 asks for ≥ 20 s to react). */
  idleWarningSec: z.number().int().min(5).max(120).default(20),
  /** QR code targets; `{ticket}`, `{poleId}`, `{lat}`, `{lon}` are filled in. */
  links: z.strictObject({
    feedbackUrl: z.string().url().default('https://www.wuhan.gov.cn/hdjl/ticket?no={ticket}&pole={poleId}'),
    mapUrl: z.string().url().default('https://uri.amap.com/marker?position={lon},{lat}'),
  }).prefault({}),
  /**
   * Elder mode (docs/screen.md §Elder mode): the services data set's category ids shown on its
   * home page, most used first (the city's 12345 statistics); up to 4, filled from the data set.
   */
  elder: z.strictObject({
    services: z.array(z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a services category id')).max(4).default(['social', 'id-hukou', 'community', 'halls']),
  }).prefault({}),
  /** Data set files (protocols/datasets.ts DataSetFile) seeded into the store when absent; the simulator sets its Wuhan sample. */
  seedDataDir: z.string().optional(),
}).refine((s) => s.idleWarningSec < s.idleTimeoutSec, { message: 'idleWarningSec must be shorter than idleTimeoutSec', path: ['idleWarningSec'] });

const SerialDevice = z.strictObject({
  enabled: z.boolean().default(true),
  path: SerialPath,
  baudRate: z.number().int().positive().default(115200),
});

const HhMm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '"HH:MM", 24-hour local time');

/** LED panel brightness (docs/brightness.md). */
export const BrightnessSection = z.strictObject({
  nightFloorPercent: z.number().min(0).max(100).default(12),
  maxPercent: z.number().min(1).max(100).default(100),
  darkLux: z.number().positive().default(10),
  brightLux: z.number().positive().default(30_000),
  smoothingSec: z.number().min(0).max(3600).default(30),
  rampMs: z.number().int().min(0).max(60_000).default(2000),
  minStepPercent: z.number().min(0).max(50).default(2),
  noSensorPercent: z.number().min(0).max(100).default(70),
  /** Fixed levels by local time; the first matching entry wins over the automatic curve. */
  schedule: z.array(z.strictObject({
    from: HhMm, to: HhMm, percent: z.number().int().min(0).max(100),
    days: z.array(z.number().int().min(0).max(6)).min(1).optional(),
  })).max(32).default([]),
}).refine((b) => b.brightLux > b.darkLux, { message: 'brightLux must be above darkLux' });

const DEFAULT_BRIGHTNESS = {
  nightFloorPercent: 12, maxPercent: 100, darkLux: 10, brightLux: 30_000, smoothingSec: 30, rampMs: 2000, minStepPercent: 2, noSensorPercent: 70, schedule: [],
};

export const LedSection = SerialDevice.extend({
  /** Which protocol drives this screen: our LED link (docs/protocols/led-link.md) or an Onbon card (OnbonSection). */
  protocol: z.literal('smartpole').default('smartpole'),
  baudRate: z.number().int().positive().default(1_000_000),
  /** Usable bytes/s on the wire: ≈1 MB/s on USB CDC, 92,160 at 921600 baud RS-485. */
  linkRate: z.number().int().positive().default(1_000_000),
  /** Reed–Solomon parity per 255-byte block: "auto" adapts to the line (docs/protocols/led-link.md §6.4), or fixed 0–32. */
  fec: z.union([z.literal('auto'), z.number().int().min(0).max(32).multipleOf(2)]).default('auto'),
  /** How often the board reports STATUS (temperature, lux, failed modules); 3 silent periods resynchronise. */
  statusIntervalMs: z.number().int().min(500).max(60_000).default(5000),
  /** Slack added to each frame's ACK deadline for host and OS latency. */
  ackMarginMs: z.number().int().min(5).max(5000).default(150),
  /** "half" for 2-wire RS-485 (older poles): the board answers only when the host is silent (docs/protocols/led-link.md §5.5). */
  duplex: z.enum(['full', 'half']).default('full'),
  /** Half duplex: line quiet before the other side may drive it. */
  turnaroundMs: z.number().min(0.1).max(100).default(2),
  brightness: BrightnessSection.default(DEFAULT_BRIGHTNESS),
});

/** A notice sign on an Onbon BX-5E/6E card over RS-232/485 (docs/protocols/onbon.md §11). */
export const OnbonSection = SerialDevice.extend({
  protocol: z.literal('onbon'),
  /** The card's serial speed as set in it: 9600 or 57600 on BX-5E/6E. */
  baudRate: z.union([z.literal(9600), z.literal(19200), z.literal(38400), z.literal(57600), z.literal(115200)]).default(9600),
  /** Card model (header device type, generation: 5E byte-packed, 6E word-packed bitmaps). */
  model: z.enum(['5E1', '5E2', '5E3', '6E1', '6E2', '6E3', '6E1X', '6E2X']).default('5E1'),
  /** Screen address set in the card (LedshowTW "screen number"); 1 out of the box. */
  address: z.number().int().min(1).max(0xfffd).default(1),
  width: z.number().int().min(16).max(4096).multipleOf(8),
  height: z.number().int().min(16).max(1024),
  /** "red": single colour; "red-green": dual colour (yellow = both). */
  colours: z.enum(['red', 'red-green']).default('red'),
  /** Text row height: 16 px (one line per 16 rows) or 24 px. */
  fontPx: z.union([z.literal(16), z.literal(24)]).default(16),
  /** Seconds a page of notice text stays before the card turns to the next. */
  pageSec: z.number().int().min(2).max(120).default(6),
  /** The sign's clock line (top row), when the sign has two rows or more. */
  clock: z.boolean().default(true),
  /** Time the card may take to act and answer, on top of the wire time, ms. */
  ackTimeoutMs: z.number().int().min(50).max(30_000).default(1000),
  /** Re-sends of a request that got no answer or NACK ERR_CHECKSUM/ERR_BUSY. */
  retries: z.number().int().min(0).max(10).default(3),
  /** Keep-alive ping while idle; a card silent for `offlineAfter` pings is offline. */
  pingIntervalMs: z.number().int().min(200).max(600_000).default(5000),
  offlineAfter: z.number().int().min(1).max(20).default(2),
  /** The card's receive buffer: no request is built larger. */
  maxFrameBytes: z.number().int().min(1024).max(1024 * 1024).default(64 * 1024),
  /** Every area is written again this often, whatever the card said (0 = never), min. */
  refreshMin: z.number().min(0).max(1440).default(30),
  brightness: BrightnessSection.default(DEFAULT_BRIGHTNESS),
});

export const TouchSection = SerialDevice.extend({
  baudRate: z.number().int().positive().default(9600),
  /**
   * tslib pointercal: a0..a6, x' = (a2 + a0·x + a1·y)/a6, y' = (a5 + a3·x + a4·y)/a6 (raw 0..0x3FFF
   * → screen px). Absent: the raw range maps linearly onto the screen.
   */
  calibration: z.array(z.number().int()).length(7)
    .refine((a) => a[6] !== 0, 'a6 (the divisor) must not be 0')
    .refine((a) => a[0]! * a[4]! - a[1]! * a[3]! !== 0, 'a0·a4 − a1·a3 must not be 0 (x and y would collapse)')
    .optional(),
  /** A release is confirmed after this long without a new touch packet (bounce filter). */
  debounceMs: z.number().int().min(0).max(200).default(15),
});

/** Text that goes inside a quoted AT parameter: no quotes or line breaks (they would end the command). */
const AtText = (max: number) => z.string().max(max).regex(/^[^"\r\n]*$/, 'no double quotes or line breaks');
const Ms = z.number().int().min(1).max(86_400_000);

/**
 * The modem's timing table (device/modem/timing.ts). Production values by default; `scale`
 * multiplies every one of them so tests and the simulator run the same logic faster. Explicit
 * values (ms) are taken as they are.
 */
export const ModemTimingSection = z.strictObject({
  scale: z.number().positive().max(1).default(1),
  /** Scaled AT timeouts never go below this (nor below the production value if smaller). */
  floorMs: z.number().int().min(10).max(60_000).default(1000),
  commandTimeoutsMs: z.record(z.string().regex(/^AT/i, 'an AT command prefix such as AT+COPS'), Ms).default({}),
  pollMs: Ms.optional(),
  fastPollMs: Ms.optional(),
  fastPollTries: z.number().int().min(0).max(50).optional(),
  registrationPollMs: Ms.optional(),
  registrationTimeoutMs: Ms.optional(),
  dataCheckMs: Ms.optional(),
  dataStallMs: Ms.optional(),
  retryMs: Ms.optional(),
  simReadyTimeoutMs: Ms.optional(),
  bootTimeoutMs: Ms.optional(),
  absentTimeoutMs: Ms.optional(),
  settleMs: Ms.optional(),
  stableMs: Ms.optional(),
  recoveryInitialMs: Ms.optional(),
  recoveryMaxMs: Ms.optional(),
  telemetryMs: Ms.optional(),
  powerCycleTimeoutMs: Ms.optional(),
  pingTimeoutMs: Ms.optional(),
  hostPollMs: Ms.optional(),
  hostLinkTimeoutMs: Ms.optional(),
  hostStallMs: Ms.optional(),
});

export const ModemSection = SerialDevice.extend({
  apn: AtText(62).default('cmnet'),
  apnUser: AtText(63).default(''),
  /** Secret: never logged. */
  apnPassword: AtText(63).default(''),
  apnAuth: z.enum(['none', 'pap', 'chap', 'pap-or-chap']).default('none'),
  pdpType: z.enum(['IP', 'IPV6', 'IPV4V6']).default('IPV4V6'),
  contextId: z.number().int().min(1).max(16).default(1),
  /** Secret: never logged. Offered once per SIM; never when only one attempt is left. */
  simPin: z.string().regex(/^\d{4,8}$/).optional(),
  /**
   * Shell command that power-cycles the modem through a pole GPIO, e.g. scripts/modem-power-cycle.sh.
   */
  powerCycleCommand: z.string().min(1).optional(),
  /** AT+CFUN=1,1 resets tried before the power-cycle hook. */
  resetsBeforePowerCycle: z.number().int().min(0).max(10).default(2),
  /** Consecutive unanswered AT commands that make the modem "hung" (ModemManager: 10). */
  maxConsecutiveTimeouts: z.number().int().min(1).max(50).default(3),
  /** Host pinged through the modem to test a suspect data path; default: the MQTT broker's host. */
  probeHost: AtText(253).optional(),
  /**
   * The host data path (docs/protocols/modem.md §Host data path): the pole's traffic leaves by this
   * network interface of the modem (USB ECM by default), whose lease the host's network stack takes.
   * `online` then needs a lease and the default route through it. Absent: the modem's own IP
   * stack (AT+QIACT), as the simulator's TCP relay uses.
   */
  host: z.strictObject({
    interface: z.string().regex(/^[A-Za-z0-9_.:-]{1,15}$/, 'a Linux interface name (1–15 characters)'),
    usbnet: z.enum(['ecm', 'mbim', 'rndis']).default('ecm'),
  }).optional(),
  timing: ModemTimingSection.default({ scale: 1, floorMs: 1000, commandTimeoutsMs: {} }),
});

export { FieldBusSection, ChargingSection, LampSection };

export const ConsoleSection = SerialDevice.extend({
  /** scrypt hash of the technician PIN: `scrypt$N$r$p$saltB64$hashB64`. Secret: never logged. */
  pinHash: z.string().superRefine((s, ctx) => {
    const r = parsePinHash(s);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason });
  }).optional(),
  /** Log out after this long without a key (10 minutes). */
  idleLogoutSec: z.number().positive().max(86_400).default(600),
  /** Wrong PINs in a row before PIN entry locks. */
  maxPinAttempts: z.number().int().min(1).max(20).default(5),
  /** First lockout; each further one doubles, up to lockoutMaxSec. */
  lockoutBaseSec: z.number().positive().max(86_400).default(60),
  lockoutMaxSec: z.number().positive().max(7 * 86_400).default(3600),
  /** Colour (ANSI) for new sessions; each session can change it with `color on|off`. */
  color: z.boolean().default(false),
});

export const DevicesSection = z.strictObject({
  /** The main screen: our LED link (protocol "smartpole", the default) or an Onbon card (protocol "onbon"). */
  led: z.union([LedSection, OnbonSection]).optional(),
  /** A second screen, a notice sign on an Onbon card, beside the main one. */
  sign: OnbonSection.extend({ protocol: z.literal('onbon').default('onbon') }).optional(),
  touch: TouchSection.optional(),
  modem: ModemSection.optional(),
  fieldBus: FieldBusSection.optional(),
  console: ConsoleSection.optional(),
});

/** Signed software updates (docs/updates.md; runtime/update). */
export const UpdateSection = z.strictObject({
  /** Accept update manifests at all. */
  enabled: z.boolean().default(true),
  /** Boot state, releases, downloads. Default `<storage.dataDir>/update`; under the launcher its --dir wins (SMARTPOLE_UPDATE_DIR). */
  dir: z.string().optional(),
  /** Largest package accepted (a disk bound). */
  maxPackageBytes: z.number().int().min(64 * 1024).max(256 * 1024 * 1024).default(64 * 1024 * 1024),
  /** Free disk left after the package and its unpacked release (estimated at 6× the package). */
  reserveFreeMB: z.number().int().min(0).max(65_536).default(64),
  /** Time from the switch by which the new release must be healthy, or it is rolled back. */
  gateSec: z.number().int().min(10).max(3600).default(180),
  /** Starts of a new release allowed before it is rolled back (RAUC's boot attempts). */
  bootAttempts: z.number().int().min(1).max(10).default(3),
  /** Chunk subscriptions open at once. */
  chunkWindow: z.number().int().min(1).max(64).default(4),
  /** No chunk for this long: subscribe to the window again. */
  chunkStallSec: z.number().int().min(1).max(600).default(30),
  /** Report `downloading` every this many percent. */
  progressStepPct: z.number().int().min(1).max(100).default(10),
});

export const ConfigSchema = z.strictObject({
  pole: PoleSection,
  log: LogSection.default({ level: 'info' }),
  storage: StorageSection.default({ dataDir: './data', warnFreeMB: 256, downFreeMB: 32 }),
  mqtt: MqttSection,
  trust: TrustSection,
  uplink: UplinkSection.default({ outboxMaxRows: 100_000, outboxMaxBytes: 64 * 1024 * 1024, eventsPerMinute: 10, telemetryIntervalSec: 300, maxResponseBytes: 512 * 1024 }),
  screen: ScreenSection.prefault({}),
  devices: DevicesSection.default({}),
  /** EV charging on the field bus (runtime/charging). */
  charging: ChargingSection.prefault({}),
  /** The lamp: schedule, photocell, fail-safe, alarms (runtime/lamp, docs/lamp-schedule.md). */
  lamp: LampSection.prefault({}),
  update: UpdateSection.prefault({}),
});

export type Config = z.infer<typeof ConfigSchema>;
export type OnbonConfig = z.infer<typeof OnbonSection>;
export type ConfigInput = z.input<typeof ConfigSchema>;
