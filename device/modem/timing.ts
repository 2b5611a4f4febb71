/**
 * Every duration the modem manager uses, with production values (docs/protocols/modem.md
 * §Timing). Tests and the simulator run the same logic faster by scaling this table
 * (`devices.modem.timing.scale`), never by special-casing code: command timeouts keep a floor so
 * a loaded machine does not turn into spurious timeouts.
 */
export interface ModemTiming {
  /** AT command timeouts by command prefix (longest prefix wins); `default` for the rest. */
  commandTimeoutsMs: Record<string, number>;
  /** Signal and serving-cell polling once values are valid (MM: 30 s). */
  pollMs: number;
  /** Polling until the first valid values (MM: every 3 s, up to 5 tries). */
  fastPollMs: number;
  fastPollTries: number;
  /** Registration re-query while registering, in case a URC is lost. */
  registrationPollMs: number;
  /** Not registered this long (with a cell in sight) → recovery (MM re-register timeout: 120 s). */
  registrationTimeoutMs: number;
  /** Data-context check (`AT+QIACT?`) while online (MM bearer monitor: 30 s). */
  dataCheckMs: number;
  /** Online but the uplink has been down this long → ping through the modem to test the data path. */
  dataStallMs: number;
  /** Wait between attempts while probing or while the SIM is busy. */
  retryMs: number;
  /** The SIM may answer NOT READY / busy this long after boot before it counts as failed. */
  simReadyTimeoutMs: number;
  /** After `AT+CFUN=1,1` or a power cycle: the port must be back and answering within this. */
  bootTimeoutMs: number;
  /** The AT port missing this long (outside a reset) → power cycle. */
  absentTimeoutMs: number;
  /** Quiet required after a timeout before the next command is sent. */
  settleMs: number;
  /** Online this long after a recovery → the recovery ladder starts from the bottom again. */
  stableMs: number;
  /** Wait before the first recovery step; doubles per step up to the max, ±20 % jitter. */
  recoveryInitialMs: number;
  recoveryMaxMs: number;
  /** Telemetry record period (and temperature read). */
  telemetryMs: number;
  /** Longest run of the power-cycle hook. */
  powerCycleTimeoutMs: number;
  /** Per-ping timeout of the data-path check (AT+QPING). */
  pingTimeoutMs: number;
  /** Host data path: how often the interface, lease and routes are read while connecting. */
  hostPollMs: number;
  /** Host data path: data call made, yet no lease and default route through the interface this long → failed. */
  hostLinkTimeoutMs: number;
  /** Host data path: online, and the route through the interface gone this long → data stall. */
  hostStallMs: number;
}

/** Production values; sources in docs/protocols/modem.md §Timing. */
export const PRODUCTION_TIMING: Readonly<ModemTiming> = Object.freeze({
  commandTimeoutsMs: Object.freeze({
    default: 3_000, // MM's default for AT commands
    'AT+CPIN?': 1_000, // MM
    'AT+CPIN=': 5_000, // PIN verification (Quectel manual: 5 s)
    'AT+CSQ': 3_000, // MM
    'AT+COPS': 180_000, // QNAN §3.1.1
    'AT+QIACT=': 150_000, // Quectel TCP/IP manual: up to 150 s
    'AT+QIDEACT=': 40_000, // Quectel TCP/IP manual
    'AT+CFUN': 15_000, // MM quectel plugin
    'AT+QPOWD': 30_000,
    'AT+QPING=': 3_000, // OK comes at once; results arrive as URCs
    'AT+QNETDEVCTL=': 2_000, // reference: max 2 s (the call completes later, +QNETDEVSTATUS)
  }),
  pollMs: 30_000,
  fastPollMs: 3_000,
  fastPollTries: 5,
  registrationPollMs: 5_000,
  registrationTimeoutMs: 120_000,
  dataCheckMs: 30_000,
  dataStallMs: 120_000,
  retryMs: 1_000,
  simReadyTimeoutMs: 20_000,
  bootTimeoutMs: 60_000,
  absentTimeoutMs: 60_000,
  settleMs: 100,
  stableMs: 60_000,
  recoveryInitialMs: 5_000,
  recoveryMaxMs: 1_800_000,
  telemetryMs: 60_000,
  powerCycleTimeoutMs: 60_000,
  pingTimeoutMs: 5_000,
  hostPollMs: 250,
  hostLinkTimeoutMs: 30_000,
  hostStallMs: 3_000,
});

export interface TimingConfig {
  /** Multiplies every production duration (1 in production; the simulator uses 0.1). */
  scale: number;
  /** Scaled command timeouts never go below this (or below the production value if that is smaller). */
  floorMs: number;
  /** Explicit values in ms, taken as they are (not scaled). */
  commandTimeoutsMs?: Record<string, number>;
  overrides?: Partial<Omit<ModemTiming, 'commandTimeoutsMs'>>;
}

export function scaleTiming(c: TimingConfig, base: Readonly<ModemTiming> = PRODUCTION_TIMING): ModemTiming {
  const s = c.scale;
  const cmd: Record<string, number> = {};
  for (const [k, v] of Object.entries(base.commandTimeoutsMs)) cmd[k] = s >= 1 ? v : Math.max(v * s, Math.min(v, c.floorMs));
  Object.assign(cmd, c.commandTimeoutsMs ?? {});
  const out = { ...base, commandTimeoutsMs: cmd } as ModemTiming;
  for (const k of Object.keys(base) as (keyof ModemTiming)[]) {
    if (k === 'commandTimeoutsMs' || k === 'fastPollTries') continue;
    (out[k] as number) = (base[k] as number) * s;
  }
  return { ...out, ...(c.overrides ?? {}) };
}

/** The timeout for one command: the longest matching prefix of the table, else `default`. */
export function commandTimeout(table: Record<string, number>, command: string): number {
  let best = '';
  for (const k of Object.keys(table)) if (k !== 'default' && command.startsWith(k) && k.length > best.length) best = k;
  return best ? table[best]! : table.default ?? 3_000;
}
