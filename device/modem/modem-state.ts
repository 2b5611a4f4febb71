/**
 * The modem's one state enum (docs/protocols/modem.md §State machine) and what each state
 * tells a technician. The ladder of bring-up is absent → probing → sim-check → registering →
 * connecting → online; every other state names why the pole is not online.
 */
export enum ModemState {
  /** No AT port: unplugged, powered off, or re-enumerating. */
  Absent = 'absent',
  /** Port open: probe, init (E0, CMEE=1), identity. */
  Probing = 'probing',
  /** Asking the SIM (and entering the configured PIN). */
  SimCheck = 'sim-check',
  /** The SIM wants a PIN: none configured, or the configured one was refused. */
  SimPin = 'sim-pin',
  /** The SIM is blocked: a technician must enter the PUK. */
  SimPuk = 'sim-puk',
  /** No SIM inserted. */
  SimMissing = 'sim-missing',
  /** SIM present but failing (CME 13/15, or busy past the boot grace). */
  SimFailure = 'sim-failure',
  /** Searching for / attaching to a network. */
  Registering = 'registering',
  /** The network refused registration. */
  Denied = 'denied',
  /** Registered; data context being activated. */
  Connecting = 'connecting',
  /** Registered (home or roaming) with the data context up. */
  Online = 'online',
  /** AT+CFUN=1,1 sent: waiting for RDY and the port to come back. */
  Resetting = 'resetting',
  /** The power-cycle hook runs: waiting for the port to come back. */
  PowerCycling = 'power-cycling',
  /** The port is there but the modem does not answer. */
  Hung = 'hung',
  Stopped = 'stopped',
}

/** States in which the modem answers AT and the SIM is usable: polling makes sense. */
export const RADIO_STATES: ReadonlySet<ModemState> = new Set([ModemState.Registering, ModemState.Denied, ModemState.Connecting, ModemState.Online]);

export const SIM_PROBLEM_STATES: ReadonlySet<ModemState> = new Set([ModemState.SimPin, ModemState.SimPuk, ModemState.SimMissing, ModemState.SimFailure]);

/** Health status per state (runtime/health.ts). */
export function stateHealth(s: ModemState): 'ok' | 'degraded' | 'down' {
  if (s === ModemState.Online) return 'ok';
  if (s === ModemState.Probing || s === ModemState.SimCheck || s === ModemState.Registering || s === ModemState.Connecting || s === ModemState.Resetting || s === ModemState.PowerCycling) return 'degraded';
  return 'down';
}
