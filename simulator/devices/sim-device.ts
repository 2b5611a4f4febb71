/**
 * What every simulated device exposes to the simulator's API: its state, the serial pair it sits
 * on, and the faults it can inject (docs/simulator.md §HTTP API: /api/devices, /api/faults).
 */
import type { SerialPair } from '../serial/serial-pair.js';

export interface FaultSpec {
  describe: string;
  run(args: Record<string, unknown>): Promise<void> | void;
}

export interface SimDevice {
  name: string;
  kind: string;
  pair: SerialPair | null;
  state(): Record<string, unknown>;
  faults: Record<string, FaultSpec>;
}

/** A number argument of a fault (`{"rate": 0.01}`), checked against its range; `dflt` when absent. */
export function faultNumber(args: Record<string, unknown>, key: string, min: number, max: number, dflt?: number): number {
  const v = args[key] ?? dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new RangeError(`"${key}" must be a number ${min}…${max}`);
  return v;
}

/** Faults every serial device has: pull the cable and put it back. */
export function cableFaults(pair: SerialPair): Record<string, FaultSpec> {
  return {
    unplug: { describe: 'make the serial device disappear, as a pulled USB cable', run: () => pair.unplug() },
    replug: { describe: 'bring the serial device back', run: () => pair.replug() },
  };
}
