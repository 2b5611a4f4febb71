/**
 * Per-unit bookkeeping of the Modbus master: options, counters, state, latency window — and the
 * wire-time allowance of a reply. Split from modbus-master.ts to keep that file to its one job.
 */
import { FunctionCode, type Request } from '../../protocols/modbus/pdu.js';
import { LatencyWindow } from './latency-window.js';
import type { UnitOptions, UnitStats } from './modbus-master.js';

export enum UnitState {
  /** Not yet heard from. */
  Unknown = 'unknown',
  Online = 'online',
  /** `offlineAfter` failed transactions in a row; probed every `probeIntervalMs`. */
  Offline = 'offline',
}

export interface Unit {
  opts: UnitOptions;
  stats: Omit<UnitStats, 'latencyMs'>;
  latency: LatencyWindow;
  lastProbeAt: number;
}

/** The entry for `address`, created on first use with default options. */
export function unitEntry(units: Map<number, Unit>, address: number): Unit {
  let u = units.get(address);
  if (!u) {
    u = {
      opts: { name: `unit${address}` }, latency: new LatencyWindow(200), lastProbeAt: 0,
      stats: {
        address, name: `unit${address}`, state: UnitState.Unknown, transactions: 0, ok: 0, timeouts: 0, crcErrors: 0, badResponses: 0,
        exceptions: 0, retries: 0, refusedOffline: 0, consecutiveFailures: 0, lastError: null, lastOkAt: null,
      },
    };
    units.set(address, u);
  }
  u.stats.name = u.opts.name;
  return u;
}

/** The longest reply a request can get, for its wire-time allowance. */
export function maxReplyBytes(r: Request): number {
  switch (r.fc) {
    case FunctionCode.ReadCoils: case FunctionCode.ReadDiscreteInputs: return 5 + Math.ceil(r.quantity / 8);
    case FunctionCode.ReadHoldingRegisters: case FunctionCode.ReadInputRegisters: return 5 + 2 * r.quantity;
    default: return 8;
  }
}
