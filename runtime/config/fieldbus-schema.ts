/**
 * Config sections of the field bus and what runs on it: `devices.fieldBus` (the RS-485
 * line and its units), `charging` (EV connector, tariff, session timing) and `lamp` (TALQ-style
 * schedule, photocell, fail-safe, alarm thresholds). Documented in docs/configuration.md and
 * docs/lamp-schedule.md; referenced from schema.ts.
 */
import { z } from 'zod';

const Level = z.number().min(0).max(100);

const Unit = (address: number, pollMs: number) => z.strictObject({
  enabled: z.boolean().default(true),
  /** Modbus unit address (1–247). */
  address: z.number().int().min(1).max(247).default(address),
  /** Time between polls. */
  pollMs: z.number().int().min(20).max(600_000).default(pollMs),
  /** Reply timeout beyond wire time; default the bus's. */
  timeoutMs: z.number().int().min(10).max(10_000).optional(),
  retries: z.number().int().min(0).max(5).optional(),
});

export const FieldBusUnits = z.strictObject({
  evCharger: Unit(1, 1000).optional(),
  meter: Unit(2, 1000).optional(),
  pads: Unit(3, 2000).extend({
    count: z.number().int().min(1).max(8).default(2),
    /** The pad board switches a pad off above this coil temperature. */
    overTempC: z.number().min(30).max(90).default(60),
  }).optional(),
  lamp: Unit(4, 2000).optional(),
});

export const FieldBusSection = z.strictObject({
  enabled: z.boolean().default(true),
  path: z.string().min(1),
  baudRate: z.number().int().positive().default(9600),
  /** The Modbus default is even parity; the EV-CC-AC1-M3 and most meters ship 8N1. */
  parity: z.enum(['none', 'even', 'odd']).default('none'),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
  /** Reply timeout beyond the wire time of request and reply. */
  timeoutMs: z.number().int().min(10).max(10_000).default(100),
  retries: z.number().int().min(0).max(5).default(2),
  /** Failed transactions in a row before a unit is reported offline. */
  offlineAfter: z.number().int().min(1).max(20).default(3),
  /** How often an offline unit is probed. */
  probeIntervalSec: z.number().min(0.1).max(600).default(5),
  units: FieldBusUnits.prefault({}),
});

export const ChargingSection = z.strictObject({
  /** OCPP connector id of the pole's one charging point. */
  connectorId: z.number().int().min(1).max(9).default(1),
  /** Current offered to the car (6–32 A, IEC 61851). */
  maxCurrentA: z.number().int().min(6).max(32).default(16),
  tariff: z.strictObject({
    currency: z.string().regex(/^[A-Z]{3}$/).default('CNY'),
    /** Electricity price per kWh. */
    energyPerKwh: z.number().min(0).max(100).default(0.6),
    /** Service fee per kWh (Chinese public chargers bill both). */
    servicePerKwh: z.number().min(0).max(100).default(0.8),
  }).prefault({}),
  /** MeterValues while charging (OCPP MeterValueSampleInterval). */
  meterValueIntervalSec: z.number().min(1).max(3600).default(10),
  /** How long an authorization (command or payment) waits for the car to be plugged in. */
  authorizeTimeoutSec: z.number().int().min(10).max(3600).default(120),
  /** Start a session for every plugged-in car without authorization (OCPP FreeVend). */
  freeVend: z.boolean().default(false),
  /** A stopping session without a final meter reading raises an alarm after this long (it stays open until the meter answers). */
  finalMeterTimeoutSec: z.number().min(1).max(3600).default(60),
  /** A running session is stopped (fault) when the meter has not answered for this long. */
  meterLossStopSec: z.number().min(1).max(3600).default(30),
  /** Power through a disabled connector above which its relay is reported stuck. */
  relayStuckPowerW: z.number().min(1).max(5000).default(200),
  /** Charging outbox depth past which every second MeterValues is dropped (EVerest: 500). */
  meterValuesThinAbove: z.number().int().min(10).max(100_000).default(500),
  /**
   * The operator's "scan to charge" page the screen's QR code opens; `{pole}` and `{connector}` are
   * filled in. Absent: the screen offers no QR code (docs/charging.md §Screen).
   */
  startUrl: z.string().url().refine((u) => /^https:\/\//.test(u), 'must be an https:// URL').optional(),
});

const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM (24 h, local time)');
const AstroEvent = z.enum(['sunrise', 'sunset', 'civilDawn', 'civilDusk']);
/** A moment of the schedule day: a local time, or a solar event ± minutes (TALQ AstroClock). */
export const TimeSpec = z.union([
  z.strictObject({ time: LocalTime }),
  z.strictObject({ astro: AstroEvent, offsetMin: z.number().int().min(-180).max(180).default(0) }),
]);

export const DynamicControl = z.strictObject({
  from: TimeSpec,
  to: TimeSpec,
  /** TALQ DynamicControl effect operation, applied on the fixed/astro level. */
  op: z.enum(['set', 'max', 'min', 'add', 'sub', 'mul']),
  value: z.number().min(0).max(100),
});

export const Program = z.strictObject({
  switchPoints: z.array(z.union([
    z.strictObject({ time: LocalTime, level: Level, rampSec: z.number().min(0).max(3600).optional() }),
    z.strictObject({ astro: AstroEvent, offsetMin: z.number().int().min(-180).max(180).default(0), level: Level, rampSec: z.number().min(0).max(3600).optional() }),
  ])).max(32).default([]),
  dynamic: z.array(DynamicControl).max(16).default([]),
});

const DateOrYearly = z.string().regex(/^(\d{4}-)?\d{2}-\d{2}$/, 'YYYY-MM-DD or MM-DD (every year)');
const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

export const CalendarRule = z.strictObject({
  name: z.string().min(1).max(64),
  /** TALQ ccDate: a date range, absolute or yearly. */
  from: DateOrYearly.optional(),
  to: DateOrYearly.optional(),
  /** TALQ ccDay: days of the week… */
  weekdays: z.array(Weekday).min(1).optional(),
  /** …optionally the nth of them in the month (1–5, −1 = last), e.g. "first Thursday". */
  nth: z.union([z.number().int().min(1).max(5), z.literal(-1)]).optional(),
  program: z.string().min(1),
});

export const LampSection = z.strictObject({
  /** Rated power at 100 %, for lamp-failure and dimming checks. */
  ratedPowerW: z.number().positive().max(2000).default(120),
  /** TALQ defaultLightState: the level when no calendar rule or program applies. */
  defaultLevel: Level.default(100),
  /** Ramp to a new level unless the switch point or command says otherwise. */
  rampSec: z.number().min(0).max(3600).default(2),
  /** The driver's own fail-safe (DALI SYSTEM FAILURE LEVEL / POWER ON LEVEL). */
  failSafe: z.strictObject({
    systemFailureLevel: Level.default(100),
    powerOnLevel: Level.default(100),
    /** Master silence before the driver applies its failure level; 0 = never. */
    commTimeoutSec: z.number().int().min(0).max(65535).default(300),
  }).prefault({}),
  photocell: z.strictObject({
    enabled: z.boolean().default(true),
    /** Dark: below onLux for onDelaySec. Bright: above offLux for offDelaySec (hysteresis). */
    onLux: z.number().min(0).max(10_000).default(30),
    offLux: z.number().min(0).max(10_000).default(60),
    onDelaySec: z.number().min(0).max(3600).default(60),
    offDelaySec: z.number().min(0).max(3600).default(120),
    /** Level while dark, when the schedule says less. */
    level: Level.default(100),
  }).prefault({}).refine((p) => p.offLux > p.onLux, { message: 'offLux must be above onLux (hysteresis)', path: ['offLux'] }),
  schedule: z.strictObject({
    /** TALQ dayOffset: 0 = days run midnight to midnight, 12 = noon to noon. */
    dayOffset: z.union([z.literal(0), z.literal(12)]).default(12),
    rules: z.array(CalendarRule).max(64).default([]),
    defaultProgram: z.string().optional(),
    programs: z.record(z.string().regex(/^[a-z0-9-]{1,32}$/), Program).default({}),
  }).prefault({}).superRefine((s, ctx) => {
    const known = new Set(Object.keys(s.programs));
    s.rules.forEach((r, i) => { if (!known.has(r.program)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'program'], message: `no program "${r.program}"` }); });
    if (s.defaultProgram && !known.has(s.defaultProgram)) ctx.addIssue({ code: 'custom', path: ['defaultProgram'], message: `no program "${s.defaultProgram}"` });
  }),
  alarms: z.strictObject({
    /** lampFailure: power below this fraction of the expected power while it should be lit. */
    lampFailureFraction: z.number().min(0.01).max(0.9).default(0.2),
    /** dayBurning: power above this while it should be off. */
    dayBurningW: z.number().min(0).max(500).default(5),
    /** dimmingFailure: |measured/expected power − 1| beyond this once settled. */
    dimmingTolerance: z.number().min(0.05).max(1).default(0.3),
    /** cycling: this many on→off flips within cyclingWindowMin while the target holds. */
    cyclingCount: z.number().int().min(2).max(100).default(4),
    cyclingWindowMin: z.number().min(1).max(240).default(10),
    /** supplyLoss: mains below this, or a driver restart seen through its start counter. */
    supplyMinV: z.number().min(50).max(250).default(170),
    /** Polls a condition must persist before an alarm is raised (debounce). */
    confirmPolls: z.number().int().min(1).max(20).default(3),
    /** Telemetry (level, power, energy, hours) interval. */
    telemetrySec: z.number().int().min(10).max(86_400).default(300),
  }).prefault({}),
});

export type FieldBusConfig = z.infer<typeof FieldBusSection>;
export type ChargingConfig = z.infer<typeof ChargingSection>;
export type LampConfig = z.infer<typeof LampSection>;
export type LampProgram = z.infer<typeof Program>;
export type LampCalendarRule = z.infer<typeof CalendarRule>;
export type LampTimeSpec = z.infer<typeof TimeSpec>;
